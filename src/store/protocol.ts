/**
 * Persistence of an app's `/data` directory. Paths are relative to `/data`, `/`-separated,
 * never empty, `.` or `..`. Implementations: a Node directory (src/store/directoryStore.ts),
 * IndexedDB (src/store/indexedDbStore.ts) and memory (below, also the reference the others
 * are tested against); all run the same contract suite.
 */
export interface DataStore {
  /** The whole tree of the last commit, parents before children. */
  load(): Promise<StoredTree>;
  /** Applies all changes or none of them. Rejects with `QuotaError` when storage is full. */
  commit(changes: DataChanges): Promise<void>;
}

/** Files travel in chunks of this size: a change to a few bytes of a large file is one chunk. */
export const CHUNK_BYTES = 64 * 1024;

/**
 * A file or folder as stored. `id` names a file's bytes independently of its path, so renaming
 * a file moves no bytes; stores that keep files under their path (a directory) have none.
 */
export type StoredEntry = { kind: "dir" } | { kind: "file"; bytes: Uint8Array; id?: number };
export type StoredTree = Map<string, StoredEntry>;

/**
 * One request's (or several interleaved requests') changes to `/data`: `ops` applied in order
 * to the last commit's tree give the new tree. Each op states what is at `path` afterwards, so
 * applying one twice gives the same tree (the directory store replays them after a crash).
 */
export interface DataChanges {
  ops: DataOp[];
  /** Ids of files that no longer exist anywhere: their bytes can go. */
  dropped: number[];
}

export type DataOp =
  /** Nothing at `path`: whatever was there goes, with everything below it. */
  | { op: "remove"; path: string }
  /** A folder at `path` (its parent exists already). */
  | { op: "mkdir"; path: string }
  /** A file at `path` (its parent exists already): see FileOp. */
  | FileOp;

/**
 * A file at `path` whose bytes are `size` long: those it had at `from` in the last commit (none
 * when `from` is absent: a new file), with `chunks` (chunk index → bytes, each CHUNK_BYTES long
 * but the last) written over them; past the old end and outside the chunks, zeros.
 */
export interface FileOp {
  op: "file";
  path: string;
  id: number;
  size: number;
  chunks: Map<number, Uint8Array>;
  from?: string;
}

/** Storage refused the write for lack of space: the request that hit it gets a 507. */
export class QuotaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "QuotaError";
  }
}

/** `a/b/c` → `a/b`; a top-level name → "". */
export function parentPath(path: string): string {
  const slash = path.lastIndexOf("/");
  return slash < 0 ? "" : path.slice(0, slash);
}

/** Whether `path` is `dir` itself or below it. */
export function isWithin(path: string, dir: string): boolean {
  return path === dir || path.startsWith(`${dir}/`);
}

/** A path as the protocol allows it; anything else is a bug or tampering, never applied. */
export function checkPath(path: string): string {
  if (typeof path !== "string" || !path || path.split("/").some((part) => !part || part === "." || part === ".." || part.includes("\0"))) {
    throw new Error(`swasgi: not a /data path: ${JSON.stringify(path)}`);
  }
  return path;
}

interface MemoryFile {
  kind: "file";
  id: number;
  size: number;
}

/**
 * A store that keeps nothing between interpreters: the CLI's default without --data-dir. Kept
 * the way the IndexedDB store keeps its records (entries by path, chunks by file id), so the
 * contract suite checks that model in Node too.
 */
export class MemoryStore implements DataStore {
  #entries = new Map<string, { kind: "dir" } | MemoryFile>();
  #chunks = new Map<number, Map<number, Uint8Array>>();

  async load(): Promise<StoredTree> {
    const tree: StoredTree = new Map();
    for (const path of [...this.#entries.keys()].sort()) {
      const entry = this.#entries.get(path)!;
      if (entry.kind === "dir") {
        tree.set(path, { kind: "dir" });
        continue;
      }
      const bytes = new Uint8Array(entry.size);
      for (const [index, chunk] of this.#chunks.get(entry.id) ?? []) {
        bytes.set(chunk.subarray(0, Math.max(0, entry.size - index * CHUNK_BYTES)), index * CHUNK_BYTES);
      }
      tree.set(path, { kind: "file", id: entry.id, bytes });
    }
    return tree;
  }

  async commit({ ops, dropped }: DataChanges): Promise<void> {
    for (const op of ops) checkPath(op.path);
    for (const op of ops) {
      const path = op.path;
      if (op.op === "remove") {
        for (const key of [...this.#entries.keys()]) if (isWithin(key, path)) this.#entries.delete(key);
      } else if (op.op === "mkdir") {
        this.#entries.set(path, { kind: "dir" });
      } else {
        this.#entries.set(path, { kind: "file", id: op.id, size: op.size });
        const chunks = this.#chunks.get(op.id) ?? new Map<number, Uint8Array>();
        this.#chunks.set(op.id, chunks);
        for (const [index, bytes] of op.chunks) chunks.set(index, bytes.slice());
        for (const index of chunks.keys()) if (index * CHUNK_BYTES >= op.size) chunks.delete(index);
      }
    }
    for (const id of dropped) this.#chunks.delete(id);
  }
}
