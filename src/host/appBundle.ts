import { type AsyncFlateStreamHandler, Unzip, type UnzipDecoder, zipSync, type Zippable } from "fflate";

/**
 * An app folder packed as one zip (the files only; the settings travel in the manifest).
 * fflate packs (the dev server and `swasgi build`, in Node) and reads the zip's structure in
 * the Service Worker, where the platform's DecompressionStream inflates: sw.js then carries no
 * inflater of its own (the runtime transfer is budgeted, BENCHMARKS.md).
 * @example (await unpackAppBundle(packAppBundle(new Map([["app.py", bytes]])))).get("app.py")
 */
export function packAppBundle(files: ReadonlyMap<string, Uint8Array>): Uint8Array {
  const tree: Zippable = {};
  // Fixed mtime: the same files give the same bytes, so the content hash is a version.
  for (const [path, bytes] of [...files].sort(([a], [b]) => (a < b ? -1 : 1))) tree[path] = [bytes, { mtime: 315619200000 }];
  return zipSync(tree, { level: 6 });
}

/** The files of a bundle; rejects when it is not a zip swasgi can read. */
export async function unpackAppBundle(zip: Uint8Array): Promise<Map<string, Uint8Array>> {
  // The streaming reader finds entries by their local headers and would take anything else
  // (or a download cut short) for an empty folder: a zip ends with its directory's end record.
  if (!endsLikeZip(zip)) throw new Error("not a zip archive (no end-of-directory record: not a zip, or cut short)");
  const files = new Map<string, Uint8Array>();
  const pending: Promise<void>[] = [];
  const unzip = new Unzip((file) => {
    // Folder entries and anything that could climb out of the app folder are dropped.
    if (file.name.endsWith("/") || file.name.split("/").some((part) => part === ".." || part === "")) return;
    pending.push(
      new Promise((resolve, reject) => {
        const chunks: Uint8Array[] = [];
        file.ondata = (error, data, final) => {
          if (error) return reject(new Error(`${file.name}: ${error.message}`));
          chunks.push(data);
          if (final) {
            files.set(file.name, concat(chunks));
            resolve();
          }
        };
        file.start();
      }),
    );
  });
  unzip.register(PlatformInflate);
  unzip.push(zip, true);
  await Promise.all(pending);
  return files;
}

/** fflate's decoder interface for deflated entries, backed by DecompressionStream. */
class PlatformInflate implements UnzipDecoder {
  static readonly compression = 8;
  ondata: AsyncFlateStreamHandler = () => {};
  readonly #chunks: Uint8Array[] = [];

  push(chunk: Uint8Array, final: boolean): void {
    // fflate may reuse the buffer behind `chunk` (it asks not to detach it): keep a copy.
    this.#chunks.push(chunk.slice());
    if (!final) return;
    const inflated = new Blob(this.#chunks as Uint8Array<ArrayBuffer>[]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
    new Response(inflated).arrayBuffer().then(
      (bytes) => this.ondata(null, new Uint8Array(bytes), true),
      (error: Error) => this.ondata({ ...error, code: 0, message: `not a valid deflate stream (${error.message})` }, new Uint8Array(0), true),
    );
  }
}

/** The end-of-central-directory record: signature, 18 bytes, then a comment of its stated length. */
function endsLikeZip(zip: Uint8Array): boolean {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  for (let at = zip.byteLength - 22; at >= Math.max(0, zip.byteLength - 22 - 0xffff); at--) {
    if (view.getUint32(at, true) === 0x06054b50 && at + 22 + view.getUint16(at + 20, true) === zip.byteLength) return true;
  }
  return false;
}

function concat(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}
