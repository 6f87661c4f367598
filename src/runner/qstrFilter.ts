/**
 * The filter of interned-string hashes that lets qstr_find_strn skip MicroPython's unsorted
 * string pools (wasm/qstrFilter.mjs): one bit per 16-bit hash, in the C heap.
 *
 * Its bytes are taken before MicroPython starts (so a boot image made with it restores with it,
 * like the collector's regions), filled from every unsorted pool once MicroPython is up, and
 * only then switched on: from then on the wasm sets the bit of each string it interns. A bit
 * missing for an interned string would make a lookup miss it and intern it twice, so the
 * filter is either complete or off.
 */
import { GC } from "./gcLayout.ts";

const BYTES = 65536 / 8;
/** MP_STATE_VM(last_pool), and qstr_pool_t's fields (py/qstr.h) as the wasm reads them. */
const LAST_POOL = 48;
const POOL_PREV = 0;
const POOL_SORTED_WORD = 4;
const POOL_LEN = 12;
const POOL_HASHES = 16;
/** More pools than this is a forged list (pools double in size). */
const MAX_POOLS = 64;

export interface QstrFilterExports {
  malloc(size: number): number;
  swasgi_set_qstr_filter(address: number): void;
}

export class QstrFilter {
  readonly #address: number;

  /** Takes the filter's bytes (off). Call on a fresh instance, where placeStack is called. */
  constructor(exports: QstrFilterExports, memory: WebAssembly.Memory) {
    this.#address = exports.malloc(BYTES);
    if (!this.#address) throw new Error("swasgi: no memory for the interned-string filter");
    new Uint8Array(memory.buffer, this.#address, BYTES).fill(0);
  }

  /** After mp_js_init: the bits of every unsorted pool's strings, then on. */
  fillAndEnable(exports: QstrFilterExports, memory: WebAssembly.Memory): void {
    const view = new DataView(memory.buffer);
    const bits = new Uint8Array(memory.buffer, this.#address, BYTES);
    const size = view.byteLength;
    const u32 = (at: number) => (at >= 0 && at + 4 <= size ? view.getUint32(at, true) : 0);
    let pools = 0;
    for (let pool = u32(GC.STATE + LAST_POOL); pool && pools < MAX_POOLS; pool = u32(pool + POOL_PREV), pools++) {
      if (u32(pool + POOL_SORTED_WORD) >>> 31) continue;
      const hashes = u32(pool + POOL_HASHES);
      const len = Math.min(u32(pool + POOL_LEN), (size - hashes) >>> 1);
      for (let i = 0; i < len; i++) {
        const hash = view.getUint16(hashes + 2 * i, true);
        bits[hash >>> 3] |= 1 << (hash & 7);
      }
    }
    this.enable(exports);
  }

  /** On, with bits already in memory (restored from a boot image made with the filter on). */
  enable(exports: QstrFilterExports): void {
    exports.swasgi_set_qstr_filter(this.#address);
  }
}
