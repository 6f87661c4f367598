/**
 * A boot image: the state of an interpreter right after MicroPython started and swasgi's own
 * Python library (the bridge, asyncio, json…) was imported, before any app code ran. Restoring
 * one skips the boot (compiling the library from source is most of a cold start) the way
 * Pyodide's memory snapshots do.
 *
 * What it holds is exactly the state that differs between instances of the same wasm: linear
 * memory (as its non-zero pages) and what each slot of the ref table pointed to, by path
 * ("_swasgi_host.done"), since the JS objects themselves belong to the interpreter that made
 * them. Wasm globals are not captured: between calls into the wasm they are back at their
 * initial values (the stack pointer is unwound, the fuel counter is refilled by the clock).
 * The emscripten file system lives in JS and is rebuilt by the host after a restore.
 *
 * An image is only ever taken before app code runs, so it is the same for every app of a build:
 * one app cannot leave anything in it for another.
 */
export interface BootImage {
  /** What the image is valid for: the runtime, the Python library and the boot parameters. */
  readonly key: string;
  /**
   * This capture's own name: an app image (appImage.ts) is a difference from one capture, and
   * two boots of one key need not leave identical memory.
   */
  readonly id: string;
  /** Size of linear memory when it was taken. */
  readonly memoryBytes: number;
  /** Index of each non-zero page (PAGE_BYTES each), ascending. */
  readonly pages: Uint32Array;
  /** Those pages' bytes, back to back. */
  readonly data: Uint8Array;
  /** Per ref-table slot: the path of the record it held, or null for an empty slot. */
  readonly refs: readonly (readonly string[] | null)[];
}

export const PAGE_BYTES = 4096;
const FORMAT = "swasgi-boot-image-2";

/** The non-zero pages of a copy of linear memory. */
export function pagesOf(memory: Uint8Array): { pages: Uint32Array; data: Uint8Array } {
  const words = new Uint32Array(memory.buffer, memory.byteOffset, memory.byteLength >>> 2);
  const wordsPerPage = PAGE_BYTES >>> 2;
  const found: number[] = [];
  for (let page = 0; page * wordsPerPage < words.length; page++) {
    const end = Math.min(words.length, (page + 1) * wordsPerPage);
    for (let i = page * wordsPerPage; i < end; i++) {
      if (words[i] !== 0) {
        found.push(page);
        break;
      }
    }
  }
  const data = new Uint8Array(found.length * PAGE_BYTES);
  found.forEach((page, i) => data.set(memory.subarray(page * PAGE_BYTES, (page + 1) * PAGE_BYTES), i * PAGE_BYTES));
  return { pages: Uint32Array.from(found), data };
}

/**
 * Writes an image's memory over a fresh instance's (same size or larger already). Pages the
 * image leaves out are zeros in it: those the fresh instance wrote are cleared, within
 * `written` ([start, end) ranges) when the caller knows where that was, else up to the
 * image's highest page (the boot allocated the Python heap above what a fresh instance writes).
 */
export function restorePages(image: BootImage, memory: Uint8Array, written?: readonly [number, number][]): void {
  const last = image.pages.length ? image.pages[image.pages.length - 1] : -1;
  const inImage = new Set(image.pages);
  for (const [start, end] of written ?? [[0, (last + 1) * PAGE_BYTES]]) {
    const from = Math.max(0, Math.floor(start / PAGE_BYTES));
    const to = Math.min(last + 1, Math.ceil(end / PAGE_BYTES));
    for (let page = from; page < to; page++) {
      if (!inImage.has(page)) memory.fill(0, page * PAGE_BYTES, (page + 1) * PAGE_BYTES);
    }
  }
  image.pages.forEach((page, i) => memory.set(image.data.subarray(i * PAGE_BYTES, (i + 1) * PAGE_BYTES), page * PAGE_BYTES));
}

/** An image as one buffer, for Cache Storage: [u32 header length][header JSON][data]. */
export function frame(header: object, data: Uint8Array): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(4 + json.byteLength + data.byteLength);
  new DataView(out.buffer).setUint32(0, json.byteLength, true);
  out.set(json, 4);
  out.set(data, 4 + json.byteLength);
  return out;
}

/** The header and data of a framed image; throws on a malformed one. */
export function unframe(bytes: Uint8Array): { header: Record<string, unknown>; data: Uint8Array } {
  const length = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + length))) as unknown;
  if (typeof header !== "object" || header === null) throw new Error("not an image");
  return { header: header as Record<string, unknown>, data: bytes.subarray(4 + length) };
}

export function encodeBootImage(image: BootImage): Uint8Array {
  return frame({ format: FORMAT, key: image.key, id: image.id, memoryBytes: image.memoryBytes, pages: [...image.pages], refs: image.refs }, image.data);
}

/** The image in `bytes` if it is well formed and made for `key`; undefined otherwise. */
export function decodeBootImage(bytes: Uint8Array, key: string): BootImage | undefined {
  try {
    const { header, data } = unframe(bytes);
    const pages = header.pages;
    const refs = header.refs;
    if (header.format !== FORMAT || header.key !== key || typeof header.id !== "string" || typeof header.memoryBytes !== "number") return undefined;
    if (!Array.isArray(pages) || !Array.isArray(refs) || data.byteLength !== pages.length * PAGE_BYTES) return undefined;
    const maxPage = header.memoryBytes / PAGE_BYTES;
    if (!pages.every((p, i) => Number.isInteger(p) && p >= 0 && p < maxPage && (i === 0 || p > pages[i - 1]))) return undefined;
    if (!refs.every((r) => r === null || (Array.isArray(r) && r.every((s) => typeof s === "string")))) return undefined;
    return { key, id: header.id, memoryBytes: header.memoryBytes, pages: Uint32Array.from(pages as number[]), data, refs: refs as string[][] };
  } catch {
    return undefined;
  }
}

/**
 * The boot image of one runtime, shared by the interpreters of a realm: the first boot without
 * one captures it, later boots restore it. `onCapture` persists it (a Service Worker keeps it in
 * its build's cache, so the next worker start restores instead of booting).
 */
export class BootImageSlot {
  #image: BootImage | undefined;
  #onCapture: ((image: BootImage) => void) | undefined;

  constructor(
    /** Identifies the runtime: a different wasm must never get this slot's image. */
    readonly runtimeKey: string,
    options: { image?: BootImage; onCapture?(image: BootImage): void } = {},
  ) {
    this.#image = options.image;
    this.#onCapture = options.onCapture;
  }

  get image(): BootImage | undefined {
    return this.#image;
  }

  offer(image: BootImage): void {
    if (this.#image) return;
    this.#image = image;
    this.#onCapture?.(image);
  }

  /** Forgets an image that failed to restore; the next boot captures a new one. */
  discard(): void {
    this.#image = undefined;
  }
}
