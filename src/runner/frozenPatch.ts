/**
 * The frozen modules the shipped wasm leaves out (wasm/lazyFrozen.mjs: base64, copy, datetime,
 * unittest...), as the patch that puts them back into an interpreter's memory. It travels with
 * swasgi's Python library (src/python/library.ts), so apps whose files import one of them get it.
 *
 * Format: "SWFZ"; u8 module count, then u8 length + name each; u32 entry count, then per entry
 * u32 address, u32 length, u8 1 if the bytes the shipped wasm holds there follow (0: they are
 * zeros), those bytes, the bytes to write (numbers little-endian).
 */
export interface FrozenPatch {
  /** Top-level names of the modules it brings back ("base64", "collections", "os"...). */
  modules: string[];
  entries: { at: number; before: Uint8Array; after: Uint8Array }[];
}

/** Reads a patch; a malformed one throws, naming what is wrong. */
export function readFrozenPatch(bytes: Uint8Array): FrozenPatch {
  const bad = (what: string): never => {
    throw new Error(`frozen module patch: ${what}`);
  };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 9 || String.fromCharCode(...bytes.subarray(0, 4)) !== "SWFZ") bad("not a patch (no SWFZ header)");
  const decoder = new TextDecoder();
  let p = 4;
  const modules: string[] = [];
  for (let n = bytes[p++]; n > 0; n--) {
    const length = bytes[p++];
    if (p + length > bytes.length) bad("truncated module name");
    modules.push(decoder.decode(bytes.subarray(p, p + length)));
    p += length;
  }
  if (p + 4 > bytes.length) bad("truncated");
  const entries: FrozenPatch["entries"] = [];
  let count = view.getUint32(p, true);
  p += 4;
  for (; count > 0; count--) {
    if (p + 9 > bytes.length) bad("truncated entry");
    const at = view.getUint32(p, true);
    const length = view.getUint32(p + 4, true);
    const stored = bytes[p + 8];
    p += 9;
    if (stored > 1) bad(`entry at address ${at} has kind ${stored}`);
    if (p + (stored + 1) * length > bytes.length) bad(`truncated entry at address ${at}`);
    const before = stored ? bytes.subarray(p, p + length) : new Uint8Array(length);
    p += stored * length;
    entries.push({ at, before, after: bytes.subarray(p, p + length) });
    p += length;
  }
  if (p !== bytes.length) bad(`${bytes.length - p} bytes after the last entry`);
  return { modules, entries };
}

/**
 * Writes the patch into `memory`. Every entry is checked first against what the shipped wasm
 * holds there (or already the patched bytes: applying twice is harmless), so a patch built for
 * another runtime changes nothing and throws.
 */
export function applyFrozenPatch(memory: Uint8Array, patch: FrozenPatch): void {
  const equal = (at: number, bytes: Uint8Array) => {
    for (let i = 0; i < bytes.length; i++) if (memory[at + i] !== bytes[i]) return false;
    return true;
  };
  for (const { at, before, after } of patch.entries) {
    if (at + before.length > memory.length || !(equal(at, before) || equal(at, after))) {
      throw new Error(`frozen module patch: memory at ${at} is not what this runtime's wasm holds there (a patch for another build?)`);
    }
  }
  for (const { at, after } of patch.entries) memory.set(after, at);
}
