import type { EmscriptenFS } from "../../build/runtime/glue.mjs";
import { type DataChanges, parentPath, type StoredTree } from "../store/protocol.ts";
import { DataJournal, type LostBy } from "./dataJournal.ts";
import type { Failure } from "./protocol.ts";
import { childOf, isDirMode, type MemNode } from "./memfsNode.ts";
import { StorageBudget, TrackedFs } from "./trackedFs.ts";

export const DATA_DIR = "/data";
export const TMP_DIR = "/tmp";
export const APP_DIR = "/app";

export interface DataLimits {
  /** `/tmp` and `/data` file bytes together (`storageMb`). */
  storageBytes: number;
  /** Folders and a file below `/data` or `/tmp` (`/data/a/b.txt` is 2). */
  maxDepth?: number;
  /** Files and folders in each of `/data` and `/tmp`. */
  maxNodes?: number;
}

/** A file of `/data` opened by the host (DataSync.openFile). */
export interface DataFile {
  readonly size: number;
  /** Up to `length` bytes from `offset` (fewer at the end of the file). */
  read(offset: number, length: number): Uint8Array;
  /** Writes `bytes` at `offset`, growing the file (with zeros before, past its end) as needed. */
  write(offset: number, bytes: Uint8Array): void;
  truncate(size: number): void;
  close(): void;
}

export const DEFAULT_MAX_DEPTH = 64;
const DIR_MODE = 0o40777;
const FILE_MODE = 0o100666;
const O_WRONLY = 0o1;

const baseName = (path: string) => path.slice(path.lastIndexOf("/") + 1);
export const DEFAULT_MAX_NODES = 100_000;

/**
 * An interpreter's `/tmp` and `/data`: both mounted as tracked file systems under one storage
 * cap, `/data` with a journal of what changed since the last save. The runner `fill`s `/data`
 * from the store at boot, `take`s a request's changes for the store and `settle`s with the
 * outcome, or `rollback`s a failed request. Each costs what changed, never what `/data` holds.
 *
 * @example
 *   const data = new DataSync(py.fs, { storageBytes: 64 << 20 });
 *   data.fill(await store.load());
 *   const changes = data.take();                    // after a request that succeeded
 *   if (changes) data.settle(await store.commit(changes).then(() => true as const, () => "save failed" as const));
 */
export class DataSync {
  readonly data: TrackedFs;
  readonly tmp: TrackedFs;
  readonly app: TrackedFs;
  readonly #budget: StorageBudget;
  readonly #journal: DataJournal;

  constructor(
    private readonly fs: EmscriptenFS,
    limits: DataLimits,
  ) {
    const budget = new StorageBudget(limits.storageBytes);
    const caps = { budget, maxDepth: limits.maxDepth ?? DEFAULT_MAX_DEPTH, maxNodes: limits.maxNodes ?? DEFAULT_MAX_NODES };
    this.tmp = new TrackedFs(fs, TMP_DIR, caps);
    this.data = new TrackedFs(fs, DATA_DIR, caps);
    // The app's folder (its cwd) takes new files too, as frameworks expect (Microdot spools
    // uploads to a temporary file there), under the same cap and never saved; its own files,
    // written before `fill`, do not count.
    this.app = new TrackedFs(fs, APP_DIR, caps);
    this.app.enforce = false;
    this.#budget = budget;
    this.#journal = new DataJournal(fs, this.data);
  }

  /**
   * Loads the store's tree (caps are not applied to it: a stored tree always loads), and makes
   * every folder outside `/tmp`, `/data` and `/app` read-only: the app's own files and swasgi's
   * are in place by now, and a file written anywhere else would escape the storage cap.
   */
  fill(tree: StoredTree): void {
    this.#sealOutside(this.fs.lookupPath("/").node as MemNode);
    this.#budget.exempt = this.app.bytes;
    this.app.enforce = true;
    this.#journal.enabled = false;
    this.data.enforce = false;
    // Nodes made under their parent node: emscripten's path lookups cost depth² per call.
    const dirs = new Map<string, MemNode>([["", this.data.root]]);
    const dirAt = (path: string): MemNode => {
      let dir = dirs.get(path);
      if (!dir) {
        // Stores list parents first; a tree from an older store may lack a folder's own entry.
        const parent = dirAt(parentPath(path));
        dir = childOf(parent, baseName(path)) ?? parent.node_ops.mknod!(parent, baseName(path), DIR_MODE, 0);
        dirs.set(path, dir);
      }
      return dir;
    };
    try {
      for (const [path, entry] of tree) {
        if (entry.kind === "dir") {
          dirAt(path);
          continue;
        }
        const parent = dirAt(parentPath(path));
        const node = parent.node_ops.mknod!(parent, baseName(path), FILE_MODE, 0);
        const stream = this.fs.open(node, O_WRONLY);
        try {
          this.fs.write(stream, entry.bytes, 0, entry.bytes.byteLength, 0);
        } finally {
          this.fs.close(stream);
        }
        this.#journal.setId(node, entry.id);
      }
    } finally {
      this.data.enforce = true;
      this.#journal.enabled = true;
      this.#journal.reset();
    }
  }

  #sealOutside(dir: MemNode): void {
    // A folder others may not write to: no file can be made, removed or renamed in it (EACCES).
    dir.mode = (dir.mode & ~0o7777) | 0o555;
    for (const child of Object.values(dir.contents as Record<string, MemNode>)) {
      if (isDirMode(child.mode) && !(child as { mounted?: unknown }).mounted) this.#sealOutside(child);
    }
  }

  /**
   * Opens `/data/<path>` for the host (the sqlite3 engine's database and journal files): reads
   * and writes at offsets go through the tracked file system, so they are saved chunk by chunk,
   * undone with a failed request and capped like the app's own. Errors are the glue's
   * `ErrnoError` (`errno`: ENOSPC 51, ENOENT 44, ...), for the caller to hand to Python.
   */
  openFile(path: string, create = false): DataFile {
    const full = `${DATA_DIR}/${path}`;
    // O_RDWR, and O_CREAT when asked.
    const stream = this.fs.open(full, create ? 0o102 : 0o2, 0o666);
    const node = stream.node as MemNode;
    const fs = this.fs;
    return {
      get size() {
        return node.usedBytes;
      },
      read(offset, length) {
        const bytes = new Uint8Array(Math.max(0, Math.min(length, node.usedBytes - offset)));
        const got = bytes.byteLength ? fs.read(stream, bytes, 0, bytes.byteLength, offset) : 0;
        return bytes.subarray(0, got);
      },
      write(offset, bytes) {
        if (bytes.byteLength) fs.write(stream, bytes, 0, bytes.byteLength, offset);
      },
      truncate(size) {
        fs.truncate(node, size);
      },
      close() {
        fs.close(stream);
      },
    };
  }

  /** What changed since the last take, or undefined; `settle` must follow once it is saved or not. */
  take(): DataChanges | undefined {
    return this.#journal.take();
  }

  /**
   * The store saved what `take` gave (`true`), or could not ("quota": storage full): then
   * `/data` goes back to the last save, and requests in flight that changed it are `lost`.
   */
  settle(outcome: true | "quota" | "save failed"): void {
    this.#journal.settle(outcome);
  }

  /**
   * A request failed: `/data` goes back to the last state handed to the store. Changes are not
   * told apart by request (requests interleave at awaits), so this undoes those of every
   * request in flight too: those that changed anything meanwhile are marked `lost`.
   */
  rollback(): void {
    this.#journal.rollback();
  }

  /** Request `id` is in flight: changes from now on may be its own. */
  begin(id: number): void {
    this.#journal.inflight.add(id);
  }

  end(id: number): void {
    this.#journal.inflight.delete(id);
    this.#journal.lost.delete(id);
  }

  /**
   * Whether changes made while request `id` was in flight were undone (another request failed,
   * or a save failed): then it must not report success, its changes may be among them.
   */
  lost(id: number): LostBy | undefined {
    return this.#journal.lost.get(id);
  }
}

/** How a request whose /data changes were undone under it ends (DataSync.lost). */
export function lostFailure(app: string, lost: LostBy): Failure {
  switch (lost) {
    case "rolled back":
      return { code: "crashed", message: `${app}: another request failed while this one ran, and the /data changes not saved yet (this request's among them) were undone; nothing of this request was saved.` };
    case "quota":
      return { code: "quota", message: `${app}: storage is full; this request's changes to /data were not saved.` };
    case "save failed":
      return { code: "crashed", message: `${app}: saving /data failed while this request ran; its changes were not saved.` };
  }
}
