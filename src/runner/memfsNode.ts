/**
 * Emscripten's file system nodes as MEMFS makes them (library_fs.js `FSNode`, library_memfs.js):
 * the fields the tracked file system (trackedFs.ts) reads and patches. The glue's declared API
 * (build/runtime/glue.d.mts) hands nodes out as `object`; this is what they are.
 */
export interface MemNode {
  id: number;
  name: string;
  mode: number;
  /** The directory holding it; a file system's root is its own parent. */
  parent: MemNode;
  /** What is mounted on this folder (FS.mount), if anything: lookups continue at its root. */
  mounted?: { root: MemNode } | null;
  node_ops: NodeOps;
  stream_ops: StreamOps;
  /** A directory's children by name; a file's bytes (capacity ≥ usedBytes), null when empty. */
  contents: Record<string, MemNode> | Uint8Array | null;
  usedBytes: number;
}

export interface MemStream {
  node: MemNode;
}

export interface NodeAttr {
  size?: number;
  mode?: number;
}

export interface StatFs {
  bsize: number;
  blocks: number;
  bfree: number;
  bavail: number;
  files: number;
  ffree: number;
}

/** Node operations; which exist depends on the node's kind (MEMFS.ops_table). */
export interface NodeOps {
  getattr(node: MemNode): unknown;
  setattr(node: MemNode, attr: NodeAttr): void;
  lookup?(parent: MemNode, name: string): MemNode;
  mknod?(parent: MemNode | null, name: string, mode: number, dev: number): MemNode;
  rename?(node: MemNode, newDir: MemNode, newName: string): void;
  unlink?(parent: MemNode, name: string): void;
  rmdir?(parent: MemNode, name: string): void;
  readdir?(node: MemNode): string[];
  symlink?(parent: MemNode, name: string, target: string): MemNode;
  statfs?(root: unknown): Partial<StatFs>;
}

export interface StreamOps {
  llseek?(stream: MemStream, offset: number, whence: number): number;
  read?(stream: MemStream, buffer: Uint8Array, offset: number, length: number, position: number): number;
  write?(stream: MemStream, buffer: Uint8Array, offset: number, length: number, position: number, canOwn?: boolean): number;
}

const S_IFMT = 0o170000;
export const isDirMode = (mode: number): boolean => (mode & S_IFMT) === 0o040000;
export const isFileMode = (mode: number): boolean => (mode & S_IFMT) === 0o100000;

/** A directory's child by name: an own property only ("constructor" is not a file). */
export function childOf(dir: MemNode, name: string): MemNode | null {
  const children = dir.contents as Record<string, MemNode>;
  return Object.hasOwn(children, name) ? children[name] : null;
}

export function isEmptyDir(dir: MemNode): boolean {
  for (const _ in dir.contents as Record<string, MemNode>) return false;
  return true;
}

/**
 * Error numbers as the glue throws them (`FS.ErrnoError`, emscripten's WASI numbering): the
 * interpreter turns them into `OSError`, mapped to the `errno` module's numbers wherever the
 * rest of the glue's are.
 */
export const ERRNO = {
  EINVAL: 28,
  ENAMETOOLONG: 37,
  ENOSPC: 51,
  ENOTEMPTY: 55,
  EPERM: 63,
} as const;
