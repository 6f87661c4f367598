import { pythonLib } from "../python/index.ts";
import { BOOT_PARAMETERS } from "./interpreter.ts";

let libFingerprint: string | undefined;

/** FNV-1a over every library file's path and text: a changed library never gets an old image. */
function fingerprint(): string {
  if (libFingerprint) return libFingerprint;
  let hash = 0x811c9dc5;
  for (const [path, text] of pythonLib) {
    for (const part of [path, "\0", text, "\0"]) {
      for (let i = 0; i < part.length; i++) hash = Math.imul(hash ^ part.charCodeAt(i), 0x01000193);
    }
  }
  libFingerprint = (hash >>> 0).toString(16);
  return libFingerprint;
}

/**
 * The key a boot image must carry to be restored here: the runtime (the caller names it, e.g.
 * by the wasm's hash), swasgi's Python library and the interpreter's boot parameters.
 */
export function bootImageKey(runtimeKey: string): string {
  return `${runtimeKey};lib=${fingerprint()};${BOOT_PARAMETERS}`;
}
