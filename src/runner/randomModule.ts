import type { LinearMemory } from "./ffi/memory.ts";
import { HostFunction, Namespace, type PyValue } from "./ffi/records.ts";

/** The most one call fills: `crypto.getRandomValues` refuses more than 65,536 bytes at once. */
export const RANDOM_CHUNK_BYTES = 65536;

/**
 * `_swasgi_random`: bytes from the host's CSPRNG (`crypto.getRandomValues`), for `os.urandom`
 * and `secrets` (src/python/lib/_swasgi_urandom.py). Never Python's own PRNG, whose state the
 * app can read and set.
 *
 * `fill(address, size)` writes `size` random bytes (at most RANDOM_CHUNK_BYTES) into linear
 * memory at `address` and answers how many it wrote: 0 when the arguments are not integers or
 * the range is outside memory (app code can call it with anything).
 * @example
 *   // Python: buf = bytearray(16); _swasgi_random.fill(uctypes.addressof(buf), 16)
 *   randomModule(() => py.memory)
 */
export function randomModule(memory: () => LinearMemory): Namespace {
  const int = (value: PyValue): number => (typeof value === "number" && Number.isInteger(value) ? value : -1);
  return new Namespace("_swasgi_random", {
    fill: new HostFunction("fill", (address, size) => {
      const n = int(size);
      if (n < 0 || n > RANDOM_CHUNK_BYTES) return 0;
      // Read when called, not at import: the runner is shared by Node and the Service Worker.
      const bytes = globalThis.crypto.getRandomValues(new Uint8Array(n));
      return memory().write(int(address), bytes) ? n : 0;
    }),
  });
}
