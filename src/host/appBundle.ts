import { zipSync, type Zippable } from "fflate";

/**
 * An app folder packed as one zip (the files only; the settings travel in the manifest).
 * fflate packs (the dev server and `swasgi build`, in Node); the Service Worker unpacks with
 * the platform's DecompressionStream.
 * @example (await unpackAppBundle(packAppBundle(new Map([["app.py", bytes]])))).get("app.py")
 */
export function packAppBundle(files: ReadonlyMap<string, Uint8Array>): Uint8Array {
  const tree: Zippable = {};
  // Fixed mtime: the same files give the same bytes, so the content hash is a version.
  for (const [path, bytes] of [...files].sort(([a], [b]) => (a < b ? -1 : 1))) tree[path] = [bytes, { mtime: 315619200000 }];
  return zipSync(tree, { level: 6 });
}

/**
 * The files of a bundle; rejects, naming what is wrong, when it is not a zip swasgi can read.
 * Reads the central directory itself (a few dozen lines) rather than importing fflate into the
 * Service Worker: fflate builds its Huffman tables when the script loads, 32768-step loops at
 * every worker start, and its inflater would be a second copy of the platform's.
 */
export async function unpackAppBundle(zip: Uint8Array): Promise<Map<string, Uint8Array>> {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const end = endRecord(view);
  if (end < 0) throw new Error("not a zip archive (no end-of-directory record: not a zip, or cut short)");
  const count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  const entries: Promise<[string, Uint8Array]>[] = [];
  for (let i = 0; i < count; i++) {
    if (at + 46 > end || view.getUint32(at, true) !== 0x02014b50) throw new Error(`zip directory entry ${i + 1} is damaged`);
    const method = view.getUint16(at + 10, true);
    const size = view.getUint32(at + 20, true);
    const originalSize = view.getUint32(at + 24, true);
    const nameLength = view.getUint16(at + 28, true);
    const local = view.getUint32(at + 42, true);
    const name = new TextDecoder().decode(zip.subarray(at + 46, at + 46 + nameLength));
    at += 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
    // Folder entries and anything that could climb out of the app folder are dropped.
    if (name.endsWith("/") || name.split("/").some((part) => part === ".." || part === "")) continue;
    if (local + 30 > zip.byteLength || view.getUint32(local, true) !== 0x04034b50) throw new Error(`${name}: its zip entry is damaged`);
    const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    if (start + size > zip.byteLength) throw new Error(`${name}: its zip entry is cut short`);
    entries.push(inflate(name, method, zip.subarray(start, start + size), originalSize).then((bytes): [string, Uint8Array] => [name, bytes]));
  }
  return new Map(await Promise.all(entries));
}

async function inflate(name: string, method: number, data: Uint8Array, originalSize: number): Promise<Uint8Array> {
  let bytes: Uint8Array;
  if (method === 0) bytes = data.slice();
  else if (method === 8) {
    const stream = new Blob([data as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
    try {
      bytes = new Uint8Array(await new Response(stream).arrayBuffer());
    } catch (error) {
      throw new Error(`${name}: not a valid deflate stream (${String((error as Error)?.message ?? error)})`);
    }
  } else throw new Error(`${name}: zip compression method ${method} is not supported (stored or deflate only)`);
  if (bytes.byteLength !== originalSize) throw new Error(`${name}: ${bytes.byteLength} bytes where the zip says ${originalSize}`);
  return bytes;
}

/** Offset of the end-of-central-directory record (its comment must end the file), or -1. */
function endRecord(view: DataView): number {
  for (let at = view.byteLength - 22; at >= Math.max(0, view.byteLength - 22 - 0xffff); at--) {
    if (view.getUint32(at, true) === 0x06054b50 && at + 22 + view.getUint16(at + 20, true) === view.byteLength) return at;
  }
  return -1;
}

