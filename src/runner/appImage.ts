import { type BootImage, frame, PAGE_BYTES, unframe } from "./bootImage.ts";

/**
 * An app image: what one app changed in memory after a boot image was restored, as the runs of
 * words that differ. Restored on top of that same boot image it spares the next start work, in
 * one of two stages:
 * - *compiled*: the app's modules compiled, none run. Imports of those modules skip
 *   MicroPython's lexer, parser and compiler (src/runner/precompiledImports.ts): at a Service
 *   Worker's cold start those are the wasm functions first compiled, most of an import's time.
 * - *imported*: the app's entry module imported as well. The start skips the import itself,
 *   whose module bodies are the first Python an instance runs (so the first wasm functions V8
 *   compiles). Only taken when the import did nothing a later start must see again
 *   (importEffects.ts): no clock, randomness, output, host call or file outside /app and /lib.
 *   What it holds was computed from the app's own files alone, for this app alone.
 */
export interface AppImage {
  /** The app's files and the boot image key: bootImageKey + the host's version of the app. */
  readonly key: string;
  /** The capture of the boot image it is a difference from (`BootImage.id`). */
  readonly base: string;
  /** Size of linear memory when it was taken. */
  readonly memoryBytes: number;
  /** Where memory differs from the base: (address, length) pairs, ascending, word-aligned. */
  readonly runs: Uint32Array;
  /** Those runs' bytes, back to back. */
  readonly data: Uint8Array;
  /** What the stub directory holds (precompiledImports.ts): "pkg/" a directory, "pkg/x.mpy" a stub. */
  readonly modules: readonly string[];
  /** Per ref-table slot, the granted member it held (BootImage.refs): the import may look up more. */
  readonly refs: readonly (readonly string[] | null)[];
  /** The app's entry module was imported (stage *imported*), not only compiled. */
  readonly imported: boolean;
}

const FORMAT = "swasgi-app-image-2";

/** Differing words closer than this are kept in one run: a run costs 8 bytes of header. */
const MERGE_GAP_WORDS = 4;

/**
 * Where `memory` differs from `base` (a page `base` leaves out is zeros there), as runs of
 * whole words. Compiling touches a few hundred bytes on each of many heap pages (it fills the
 * holes a boot leaves), so runs keep an app image at a tenth of what whole pages would take.
 */
export function diffRuns(base: BootImage, memory: Uint8Array): { runs: Uint32Array; data: Uint8Array } {
  const wordsPerPage = PAGE_BYTES >>> 2;
  const words = new Uint32Array(memory.buffer, memory.byteOffset, memory.byteLength >>> 2);
  const baseWords = new Uint32Array(base.data.buffer, base.data.byteOffset, base.data.byteLength >>> 2);
  const pageCount = Math.ceil(words.length / wordsPerPage);
  // Where each page's words start in the base image's data, -1 where the base has zeros.
  const basePage = new Int32Array(pageCount).fill(-1);
  base.pages.forEach((page, i) => page < pageCount && (basePage[page] = i * wordsPerPage));
  const runs: number[] = [];
  let total = 0;
  let runStart = -1;
  let lastDiff = -1;
  const close = () => {
    runs.push(runStart * 4, (lastDiff - runStart + 1) * 4);
    total += (lastDiff - runStart + 1) * 4;
    runStart = -1;
  };
  for (let page = 0; page < pageCount; page++) {
    const at = page * wordsPerPage;
    const end = Math.min(at + wordsPerPage, words.length);
    const b = basePage[page] - at;
    // Most of memory is zeros on both sides: a tight loop finds the first difference, if any.
    let i = at;
    if (b < -at) while (i < end && words[i] === 0) i++;
    else while (i < end && words[i] === baseWords[i + b]) i++;
    for (; i < end; i++) {
      if (words[i] === (b < -at ? 0 : baseWords[i + b])) continue;
      if (runStart >= 0 && i - lastDiff > MERGE_GAP_WORDS) close();
      if (runStart < 0) runStart = i;
      lastDiff = i;
    }
    if (runStart >= 0) close(); // runs stay within a page
  }
  const data = new Uint8Array(total);
  let p = 0;
  for (let i = 0; i < runs.length; i += 2) {
    data.set(memory.subarray(runs[i], runs[i] + runs[i + 1]), p);
    p += runs[i + 1];
  }
  return { runs: Uint32Array.from(runs), data };
}

/** Writes an app image's runs over memory that holds its base image (already large enough). */
export function applyRuns(image: AppImage, memory: Uint8Array): void {
  let p = 0;
  for (let i = 0; i < image.runs.length; i += 2) {
    memory.set(image.data.subarray(p, p + image.runs[i + 1]), image.runs[i]);
    p += image.runs[i + 1];
  }
}

export function encodeAppImage(image: AppImage): Uint8Array {
  return frame({ format: FORMAT, key: image.key, base: image.base, memoryBytes: image.memoryBytes, runs: [...image.runs], modules: image.modules, refs: image.refs, imported: image.imported }, image.data);
}

/** The app image in `bytes` if it is well formed and made for `key`; undefined otherwise. */
export function decodeAppImage(bytes: Uint8Array, key: string): AppImage | undefined {
  try {
    const { header, data } = unframe(bytes);
    const { runs, modules, memoryBytes, base, refs, imported } = header;
    if (header.format !== FORMAT || header.key !== key || typeof base !== "string" || typeof memoryBytes !== "number") return undefined;
    if (typeof imported !== "boolean" || !Array.isArray(refs) || !refs.every(isRefPath)) return undefined;
    if (!Array.isArray(runs) || runs.length % 2 || !Array.isArray(modules)) return undefined;
    let end = 0;
    let total = 0;
    for (let i = 0; i < runs.length; i += 2) {
      const [at, length] = [runs[i], runs[i + 1]];
      if (!Number.isInteger(at) || !Number.isInteger(length) || at < end || length <= 0 || at + length > memoryBytes) return undefined;
      end = at + length;
      total += length;
    }
    if (total !== data.byteLength) return undefined;
    if (!modules.every(isStubPath)) return undefined;
    return { key, base, memoryBytes, runs: Uint32Array.from(runs as number[]), data, modules: modules as string[], refs: refs as (string[] | null)[], imported };
  } catch {
    return undefined;
  }
}

/** A ref slot's content: empty, or a granted module (and member) by name. */
function isRefPath(ref: unknown): boolean {
  return ref === null || (Array.isArray(ref) && ref.length >= 1 && ref.length <= 2 && ref.every((part) => typeof part === "string"));
}

/** A path below the stub directory: no absolute path, no `..`, a directory or a `.mpy`. */
function isStubPath(path: unknown): boolean {
  if (typeof path !== "string" || !(path.endsWith("/") || path.endsWith(".mpy"))) return false;
  const parts = path.replace(/\/$/, "").split("/");
  return parts.every((part) => part !== "" && part !== "." && part !== ".." && !part.includes("\0"));
}
