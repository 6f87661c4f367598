import type { EmscriptenFS } from "../../build/runtime/glue.mjs";
import { childOf, ERRNO, isDirMode, isEmptyDir, isFileMode, type MemNode, type MemStream, type NodeAttr, type NodeOps, type StreamOps } from "./memfsNode.ts";

/**
 * What a tracked file system reports before it changes anything, so that the change can be
 * undone or saved (dataJournal.ts). Called only for changes that will happen: every check
 * that can refuse one runs first.
 */
export interface FsJournal {
  /** `dir`'s child `name` is about to change (created, removed, renamed away or over). */
  slot(dir: MemNode, name: string): void;
  /** `node` is about to move to another directory or name. */
  move(node: MemNode): void;
  created(node: MemNode): void;
  /** Bytes [start, end) of `node` are about to be overwritten in place or appended. */
  write(node: MemNode, start: number, end: number): void;
  /** `node` is about to be truncated or extended from `from` to `to` bytes. */
  resize(node: MemNode, from: number, to: number): void;
}

const NAME_MAX = 255;

/** The byte cap shared by every tracked mount of one interpreter (`storageMb`). */
export class StorageBudget {
  readonly mounts: TrackedFs[] = [];
  /** Bytes that do not count: the app's own files, in place before it runs. */
  exempt = 0;
  constructor(readonly capBytes: number) {}
  used(): number {
    return this.mounts.reduce((sum, mount) => sum + mount.bytes, 0) - this.exempt;
  }
}

export interface TrackedFsOptions {
  budget: StorageBudget;
  /** Deepest path below the mount point, in folders and a file (`/data/a/b` is 2). */
  maxDepth: number;
  /** Files and folders below the mount point. */
  maxNodes: number;
}

/** MEMFS's own operations, taken from live MEMFS nodes (the glue does not export MEMFS). */
interface MemfsOps {
  dir: NodeOps;
  dirStream: StreamOps;
  file: NodeOps;
  fileStream: StreamOps;
}

/**
 * A file system mounted at `mountpoint` (`/data`, `/tmp`): MEMFS underneath, with every
 * change reported to `journal` first and capped: bytes (shared `budget`, ENOSPC), node count
 * (ENOSPC, as a disk out of inodes), depth and name length (ENAMETOOLONG, 255 characters). The mount point itself cannot be
 * renamed or removed (emscripten's rule for mount points; DataSync makes `/` read-only, so the
 * app sees EACCES first), nor can files move between mounts (EXDEV). Symlinks and devices are
 * refused (EPERM): nothing of the app needs them, and they would not persist.
 *
 * Node counts and bytes count live nodes; a file removed while still open keeps what it grows
 * by counted (its bytes stay in memory until the interpreter goes).
 */
export class TrackedFs {
  readonly root: MemNode;
  /** File bytes below the root (see the class comment). */
  bytes = 0;
  nodes = 0;
  /** Caps on: off while the host fills `/data` from the store (stored data always loads). */
  enforce = true;
  journal: FsJournal | undefined;
  readonly dead = new WeakSet<MemNode>();
  readonly #fs: EmscriptenFS;
  readonly #options: TrackedFsOptions;
  readonly #memfs: MemfsOps;
  readonly #ops: { dir: NodeOps; file: NodeOps; fileStream: StreamOps };

  constructor(fs: EmscriptenFS, mountpoint: string, options: TrackedFsOptions) {
    this.#fs = fs;
    this.#options = options;
    options.budget.mounts.push(this);
    const memfsDir = (fs.lookupPath("/").node as MemNode).node_ops;
    // A detached MEMFS root, exactly what MEMFS.mount makes; then one file, for the file ops.
    const root = memfsDir.mknod!(null, "/", 0o40777, 0);
    const probe = memfsDir.mknod!(root, "probe", 0o100666, 0);
    this.#memfs = { dir: root.node_ops, dirStream: root.stream_ops, file: probe.node_ops, fileStream: probe.stream_ops };
    delete (root.contents as Record<string, MemNode>).probe;
    fs.hashRemoveNode(probe);
    this.#ops = this.#makeOps();
    this.#adopt(root);
    this.root = root;
    fs.mount({ mount: () => root }, {}, mountpoint);
  }

  /** Bytes of `node` as the app sees them (a view, not a copy). */
  static bytesOf(node: MemNode): Uint8Array {
    // MEMFS keeps what the interpreter wrote as a slice of HEAP8: an Int8Array, not bytes.
    const contents = node.contents as ArrayBufferView | null;
    return contents ? new Uint8Array(contents.buffer, contents.byteOffset, node.usedBytes) : new Uint8Array(0);
  }

  /** How many folders deep `node` is below the root (the root is 0). */
  depthOf(node: MemNode): number {
    let depth = 0;
    while (node !== this.root && node.parent !== node) {
      node = node.parent;
      depth++;
    }
    return depth;
  }

  #error(errno: number): Error {
    return new this.#fs.ErrnoError(errno);
  }

  #adopt(node: MemNode): void {
    if (isDirMode(node.mode)) {
      node.node_ops = this.#ops.dir;
      node.stream_ops = this.#memfs.dirStream;
    } else {
      node.node_ops = this.#ops.file;
      node.stream_ops = this.#ops.fileStream;
    }
  }

  #checkName(name: string): void {
    // MEMFS keeps children in a plain object: "__proto__" would set its prototype instead.
    if (name === "__proto__") throw this.#error(ERRNO.EINVAL);
    // Names live in the host's memory, uncounted: NAME_MAX, as POSIX file systems have it.
    if (name.length > NAME_MAX) throw this.#error(ERRNO.ENAMETOOLONG);
  }

  #charge(node: MemNode, grow: number): void {
    if (grow > 0 && this.enforce && this.#options.budget.used() + grow > this.#options.budget.capBytes) {
      throw this.#error(ERRNO.ENOSPC);
    }
  }

  #resized(node: MemNode, from: number, to: number): void {
    if (!this.dead.has(node) || to > from) this.bytes += to - from;
  }

  #died(node: MemNode): void {
    if (this.dead.has(node)) return;
    this.dead.add(node);
    this.nodes--;
    if (isFileMode(node.mode)) this.bytes -= node.usedBytes;
  }

  /** Height of the tree under `node`: 0 for a file or an empty folder. */
  #height(node: MemNode): number {
    if (!isDirMode(node.mode)) return 0;
    let height = 0;
    for (const child of Object.values(node.contents as Record<string, MemNode>)) height = Math.max(height, 1 + this.#height(child));
    return height;
  }

  #makeOps(): { dir: NodeOps; file: NodeOps; fileStream: StreamOps } {
    const memfs = this.#memfs;
    const statfs = () => {
      const { capBytes } = this.#options.budget;
      const free = Math.max(0, Math.floor((capBytes - this.#options.budget.used()) / 4096));
      return { bsize: 4096, blocks: Math.floor(capBytes / 4096), bfree: free, bavail: free, files: this.#options.maxNodes, ffree: Math.max(0, this.#options.maxNodes - this.nodes) };
    };
    const dir: NodeOps = {
      getattr: memfs.dir.getattr,
      setattr: memfs.dir.setattr,
      lookup: memfs.dir.lookup,
      readdir: memfs.dir.readdir,
      statfs,
      mknod: (parent, name, mode, dev) => {
        this.#checkName(name);
        if (!isDirMode(mode) && !isFileMode(mode)) throw this.#error(ERRNO.EPERM);
        if (this.enforce) {
          if (this.depthOf(parent!) + 1 > this.#options.maxDepth) throw this.#error(ERRNO.ENAMETOOLONG);
          if (this.nodes + 1 > this.#options.maxNodes) throw this.#error(ERRNO.ENOSPC);
        }
        this.journal?.slot(parent!, name);
        const node = memfs.dir.mknod!(parent, name, mode, dev);
        this.#adopt(node);
        this.nodes++;
        this.journal?.created(node);
        return node;
      },
      rename: (node, newDir, newName) => {
        this.#checkName(newName);
        if (this.enforce && this.depthOf(newDir) + 1 + this.#height(node) > this.#options.maxDepth) {
          throw this.#error(ERRNO.ENAMETOOLONG);
        }
        const replaced = childOf(newDir, newName);
        if (replaced && isDirMode(node.mode) && !isEmptyDir(replaced)) throw this.#error(ERRNO.ENOTEMPTY);
        this.journal?.slot(node.parent, node.name);
        this.journal?.slot(newDir, newName);
        this.journal?.move(node);
        memfs.dir.rename!(node, newDir, newName);
        if (replaced && replaced !== node) this.#died(replaced);
      },
      unlink: (parent, name) => {
        const node = childOf(parent, name);
        this.journal?.slot(parent, name);
        memfs.dir.unlink!(parent, name);
        if (node) this.#died(node);
      },
      rmdir: (parent, name) => {
        const node = childOf(parent, name);
        if (node && !isEmptyDir(node)) throw this.#error(ERRNO.ENOTEMPTY);
        this.journal?.slot(parent, name);
        memfs.dir.rmdir!(parent, name);
        if (node) this.#died(node);
      },
      symlink: () => {
        throw this.#error(ERRNO.EPERM);
      },
    };
    const file: NodeOps = {
      getattr: memfs.file.getattr,
      statfs,
      setattr: (node: MemNode, attr: NodeAttr) => {
        const from = node.usedBytes;
        const to = attr.size;
        if (to === undefined || to === from) return memfs.file.setattr(node, attr);
        this.#charge(node, to - from);
        this.journal?.resize(node, from, to);
        memfs.file.setattr(node, attr);
        this.#resized(node, from, to);
      },
    };
    const fileStream: StreamOps = {
      llseek: memfs.fileStream.llseek,
      read: memfs.fileStream.read,
      write: (stream: MemStream, buffer, offset, length, position, canOwn) => {
        const node = stream.node;
        if (length <= 0) return memfs.fileStream.write!(stream, buffer, offset, length, position, canOwn);
        const from = node.usedBytes;
        const end = position + length;
        this.#charge(node, end - from);
        this.journal?.write(node, position, end);
        const written = memfs.fileStream.write!(stream, buffer, offset, length, position, canOwn);
        this.#resized(node, from, node.usedBytes);
        return written;
      },
    };
    return { dir, file, fileStream };
  }
}
