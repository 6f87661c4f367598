import { BootImageSlot, decodeBootImage, encodeBootImage } from "../../runner/bootImage.ts";
import { bootImageKey } from "../../runner/bootImageKey.ts";
import type { SiteCache } from "./siteCache.ts";

const ENTRY = "boot-image";

/**
 * Keeps the runtime's boot image (src/runner/bootImage.ts) in a built site's cache: the first
 * worker that boots an interpreter captures it, every later worker start restores it instead of
 * booting MicroPython and compiling the Python library again.
 *
 * It is keyed by the build id, which covers `sw.js` (glue, FFI, library) and the wasm, and is
 * checked against the library and boot parameters on load. Under `swasgi dev` there is no
 * build to key it by, and the wasm may be rebuilt under a running worker: images then live
 * only as long as the worker.
 */
export class BootImageStore {
  readonly #site: SiteCache;
  readonly #runtimeKey: string;

  constructor(site: SiteCache) {
    this.#site = site;
    this.#runtimeKey = site.build ? `build=${site.build.id}` : `worker=${crypto.randomUUID()}`;
  }

  async load(): Promise<Uint8Array | undefined> {
    return this.#site.readDerived(ENTRY);
  }

  /** The slot for a runtime compiled in this worker, holding the stored image if it is valid. */
  slot(stored: Uint8Array | undefined): BootImageSlot {
    const image = stored && decodeBootImage(stored, bootImageKey(this.#runtimeKey));
    return new BootImageSlot(this.#runtimeKey, {
      image,
      onCapture: (captured) => {
        this.#site.writeDerived(ENTRY, encodeBootImage(captured)).catch((error: unknown) => {
          console.warn(`swasgi: could not keep the boot image (${String(error)}); the next worker start boots from scratch.`);
        });
      },
    });
  }
}
