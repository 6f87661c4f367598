import { unzipSync, zipSync, type Zippable } from "fflate";

/**
 * An app folder packed as one zip (the files only; the settings travel in the manifest).
 * Pure JS (fflate): the dev server packs in Node, the Service Worker unpacks.
 * @example unpackAppBundle(packAppBundle(new Map([["app.py", bytes]]))).get("app.py")
 */
export function packAppBundle(files: ReadonlyMap<string, Uint8Array>): Uint8Array {
  const tree: Zippable = {};
  // Fixed mtime: the same files give the same bytes, so the content hash is a version.
  for (const [path, bytes] of [...files].sort(([a], [b]) => (a < b ? -1 : 1))) tree[path] = [bytes, { mtime: 315619200000 }];
  return zipSync(tree, { level: 6 });
}

export function unpackAppBundle(zip: Uint8Array): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  for (const [path, bytes] of Object.entries(unzipSync(zip))) {
    // Folder entries and anything that could climb out of the app folder are dropped.
    if (path.endsWith("/") || path.split("/").some((part) => part === ".." || part === "")) continue;
    files.set(path, bytes);
  }
  return files;
}
