// Builds DataChanges by hand for store tests, and reads trees back as plain objects.
import { CHUNK_BYTES, type DataChanges, type FileOp, type StoredTree } from "../../../src/store/protocol.ts";

let nextId = 1;

export const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

/** Every chunk of `data`: a whole file as a FileOp carries it. */
export function chunksOf(data: Uint8Array): Map<number, Uint8Array> {
  const chunks = new Map<number, Uint8Array>();
  for (let index = 0; index * CHUNK_BYTES < data.byteLength; index++) chunks.set(index, data.slice(index * CHUNK_BYTES, (index + 1) * CHUNK_BYTES));
  return chunks;
}

/** A new file at `path` (a fresh id unless given). */
export function newFile(path: string, data: Uint8Array | string, id = nextId++): FileOp {
  const content = typeof data === "string" ? bytes(data) : data;
  return { op: "file", path, id, size: content.byteLength, chunks: chunksOf(content) };
}

/** New files and the folders their paths need, as one commit. */
export function put(files: Record<string, Uint8Array | string>): DataChanges {
  const ops: DataChanges["ops"] = [];
  const made = new Set<string>();
  for (const [path, data] of Object.entries(files)) {
    const parts = path.split("/");
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join("/");
      if (!made.has(dir)) ops.push({ op: "mkdir", path: dir });
      made.add(dir);
    }
    ops.push({ op: "remove", path }, newFile(path, data));
  }
  return { ops, dropped: [] };
}

/** A tree as `{ path: text | "<dir>" }`, for comparing whole trees at a glance. */
export function plain(tree: StoredTree): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [path, entry] of tree) out[path] = entry.kind === "dir" ? "<dir>" : new TextDecoder().decode(entry.bytes);
  return out;
}

/** The text of the file at `path`, undefined when there is none. */
export function textAt(tree: StoredTree, path: string): string | undefined {
  const entry = tree.get(path);
  return entry?.kind === "file" ? new TextDecoder().decode(entry.bytes) : undefined;
}
