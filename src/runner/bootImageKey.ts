import { BOOT_PARAMETERS } from "./interpreter.ts";

/**
 * The key a boot image must carry to be restored here. `runtimeKey` must identify everything
 * the boot ran: the wasm, the glue and swasgi's code and Python library. The callers' keys do:
 * a built site's id covers sw.js and the wasm, and the Node and dev keys live no longer than
 * the process or worker that holds the code. (Hashing the library here instead cost 2–3 ms of
 * every Service Worker start, in cold JavaScript.)
 */
export function bootImageKey(runtimeKey: string): string {
  return `${runtimeKey};${BOOT_PARAMETERS}`;
}
