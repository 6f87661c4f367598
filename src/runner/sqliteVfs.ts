import type { Sqlite3Static } from "@sqlite.org/sqlite-wasm";
import type { EmscriptenFS, EmscriptenStream } from "../../build/runtime/glue.mjs";
import { childOf, isDirMode, type MemNode } from "./memfsNode.ts";

/** The VFS name every connection opens with; SQLite's own VFSes are unregistered. */
export const VFS_NAME = "swasgi";

/** An open file of the interpreter's file system (emscripten's FS.FSStream). */
type Stream = EmscriptenStream;

/** The positional file calls of emscripten's FS (MicroPython's own `open()` uses them). */
type PositionalFS = EmscriptenFS;

const O_RDWR = 2;
const O_CREAT = 64;
/** emscripten's errno for ENOSPC: what the storage cap throws. */
const ENOSPC = 51;
const MAX_PATH = 512;
const SECTOR_BYTES = 4096;

/**
 * Where an app's database files may be: its `/data` (persisted) or `/tmp`, as a normalized
 * absolute path. Anything else (the app's read-only files, `..`, a URI) is refused here, in
 * the one VFS SQLite can use, whatever SQL asked for it (ATTACH, VACUUM INTO).
 */
export function allowedPath(path: string): boolean {
  return path.length <= MAX_PATH && ALLOWED_PATH.test(path);
}

/** `/data` or `/tmp`, then one or more parts that are neither empty, `.` nor `..` (no NUL anywhere). */
const ALLOWED_PATH = /^\/(?:data|tmp)(?:\/(?!\.\.?(?:\/|$))[^/\0]+)+$/;

/** The engine's struct wrappers as they are at run time: C members behind `$` names (the types omit the `$`). */
interface Struct {
  [member: `$${string}`]: number;
  readonly pointer: number;
  dispose(): void;
}

interface OpenFile {
  path: string;
  /** A file in the interpreter's FS, or a temporary file SQLite gave no name (in host memory). */
  stream?: Stream;
  temp?: { bytes: Uint8Array; size: number };
  lock: number;
  deleteOnClose: boolean;
  /** Set when /data may have been restored under it: checked at its next read transaction. */
  stale?: boolean;
}

/** Lock levels held by the open files of one path (SQLite's five-state file lock). */
interface PathLocks {
  shared: Set<OpenFile>;
  reserved?: OpenFile;
  pending?: OpenFile;
  exclusive?: OpenFile;
}

/**
 * Registers a synchronous VFS that keeps database and journal files in the interpreter's own
 * emscripten file system, page by page with positional reads and writes: `/data`'s machinery
 * sees exactly the pages SQLite wrote, and its storage cap applies (ENOSPC → SQLITE_FULL).
 * It becomes the only VFS of this engine instance: SQLite's own (unix over the engine's private
 * MEMFS, kvvfs over localStorage, memdb) are unregistered, so no URI can reach them.
 */
export function installSqliteVfs(sqlite: Sqlite3Static, getFs: () => EmscriptenFS): { invalidate(): void } {
  const { capi, wasm } = sqlite;
  const files = new Map<number, OpenFile>();
  const locks = new Map<string, PathLocks>();
  let checkedFs: PositionalFS | undefined;
  /** The file system's root folder (never replaced). */
  let rootFolder: MemNode | undefined;
  const fs = (): PositionalFS => {
    const found = getFs() as PositionalFS;
    if (found === checkedFs) return found;
    for (const name of ["open", "close", "read", "write", "truncate", "lookupPath"] as const) {
      if (typeof found[name] !== "function") throw new Error(`swasgi: the runtime's FS has no ${name}()`);
    }
    checkedFs = found;
    rootFolder = undefined;
    return found;
  };
  const heap = (ptr: number, n: number) => wasm.heap8u().subarray(ptr, ptr + n);
  const decoder = new TextDecoder();
  const cstring = (ptr: number): string => {
    const bytes = wasm.heap8u();
    const end = bytes.indexOf(0, ptr);
    return decoder.decode(bytes.subarray(ptr, end < 0 ? ptr : end));
  };
  // A JS exception must never unwind through SQLite's C frames: every method answers a code.
  const guard = (fallback: number, body: () => number): number => {
    try {
      return body();
    } catch (error) {
      return (error as { errno?: number })?.errno === ENOSPC ? capi.SQLITE_FULL : fallback;
    }
  };
  const locksOf = (path: string): PathLocks => {
    let found = locks.get(path);
    if (!found) locks.set(path, (found = { shared: new Set() }));
    return found;
  };
  // The open file's own size (fstat, not stat: the path may name another file by now).
  const fileSize = (file: OpenFile): number => (file.temp ? file.temp.size : (file.stream!.node as MemNode).usedBytes);

  const io = new capi.sqlite3_io_methods() as unknown as Struct;
  io.$iVersion = 1;
  const ioMethods = {
    xClose: (pFile: number) =>
      guard(capi.SQLITE_IOERR_CLOSE, () => {
        const file = files.get(pFile);
        files.delete(pFile);
        if (!file) return 0;
        release(file, capi.SQLITE_LOCK_NONE);
        forget(file.path);
        if (file.stream) fs().close(file.stream);
        if (file.deleteOnClose && !file.temp) fs().unlink(file.path);
        return 0;
      }),
    xRead: (pFile: number, pDest: number, n: number, offset64: bigint) =>
      guard(capi.SQLITE_IOERR_READ, () => {
        const file = files.get(pFile)!;
        const offset = Number(offset64);
        const dest = heap(pDest, n);
        let got: number;
        if (file.temp) {
          const piece = file.temp.bytes.subarray(Math.min(offset, file.temp.size), Math.min(offset + n, file.temp.size));
          dest.set(piece);
          got = piece.byteLength;
        } else {
          got = fs().read(file.stream!, dest, 0, n, offset);
        }
        if (got < n) {
          heap(pDest + got, n - got).fill(0);
          return capi.SQLITE_IOERR_SHORT_READ;
        }
        return 0;
      }),
    xWrite: (pFile: number, pSrc: number, n: number, offset64: bigint) =>
      guard(capi.SQLITE_IOERR_WRITE, () => {
        const file = files.get(pFile)!;
        const offset = Number(offset64);
        if (file.temp) {
          grow(file.temp, offset + n);
          file.temp.bytes.set(heap(pSrc, n), offset);
          file.temp.size = Math.max(file.temp.size, offset + n);
          return 0;
        }
        // The FS copies out of SQLite's heap; no view is kept across the call.
        return fs().write(file.stream!, heap(pSrc, n), 0, n, offset) === n ? 0 : capi.SQLITE_IOERR_WRITE;
      }),
    xTruncate: (pFile: number, size64: bigint) =>
      guard(capi.SQLITE_IOERR_TRUNCATE, () => {
        const file = files.get(pFile)!;
        const size = Number(size64);
        if (file.temp) file.temp.size = Math.min(file.temp.size, size);
        else fs().truncate(file.path, size);
        return 0;
      }),
    xSync: () => 0,
    xFileSize: (pFile: number, pSize: number) =>
      guard(capi.SQLITE_IOERR_FSTAT, () => {
        wasm.poke64(pSize, BigInt(fileSize(files.get(pFile)!)));
        return 0;
      }),
    xLock: (pFile: number, level: number) =>
      guard(capi.SQLITE_IOERR_LOCK, () => {
        const file = files.get(pFile)!;
        // Every read transaction starts here: after /data was restored (a failed request), the
        // moment to pick up the file now at this path; SQLite then re-reads its header.
        if (level === capi.SQLITE_LOCK_SHARED && file.lock === capi.SQLITE_LOCK_NONE && file.stale) reattach(file);
        return lock(file, level);
      }),
    xUnlock: (pFile: number, level: number) =>
      guard(capi.SQLITE_IOERR_UNLOCK, () => {
        release(files.get(pFile)!, level);
        return 0;
      }),
    xCheckReservedLock: (pFile: number, pOut: number) =>
      guard(capi.SQLITE_IOERR_CHECKRESERVEDLOCK, () => {
        const held = locksOf(files.get(pFile)!.path);
        wasm.poke32(pOut, held.reserved || held.pending || held.exclusive ? 1 : 0);
        return 0;
      }),
    xFileControl: () => capi.SQLITE_NOTFOUND,
    xSectorSize: () => SECTOR_BYTES,
    xDeviceCharacteristics: () => capi.SQLITE_IOCAP_POWERSAFE_OVERWRITE,
  };

  /** Points `file` at whatever file its path names now (a new empty one if it was removed). */
  function reattach(file: OpenFile): void {
    file.stale = false;
    if (!file.stream) return;
    if (exists(file.path) && (fs().stat(file.path) as { ino?: number }).ino === (file.stream as { node?: { id?: number } }).node?.id) return;
    fs().close(file.stream);
    file.stream = fs().open(file.path, O_RDWR | O_CREAT, 0o666);
  }

  /**
   * Whether a file exists, looked up in its folder: analyzePath costs several path lookups, and
   * SQLite asks this of the journal at every read transaction.
   */
  function exists(path: string): boolean {
    const slash = path.lastIndexOf("/");
    try {
      const folder = folderNode(path.slice(0, slash) || "/");
      return isDirMode(folder.mode) && childOf(folder, path.slice(slash + 1)) !== null;
    } catch {
      return false; // the folder is missing
    }
  }

  /**
   * The node of a folder. /data and /tmp (the usual case) are looked up as the root folder's
   * child, and the file system mounted there: what lookupPath does for them, without its
   * path normalization, which costs more than the rest of a read transaction's VFS calls.
   */
  function folderNode(folder: string): MemNode {
    const files = fs();
    if (folder === "/data" || folder === "/tmp") {
      rootFolder ??= files.lookupPath("/").node as MemNode;
      const point = childOf(rootFolder, folder.slice(1));
      if (point && isDirMode(point.mode)) return point.mounted?.root ?? point;
    }
    return files.lookupPath(folder, { follow: true }).node as MemNode;
  }

  /** SQLite's lock ladder for connections of one interpreter (there is no other process). */
  function lock(file: OpenFile, level: number): number {
    const held = locksOf(file.path);
    const others = (owner: OpenFile | undefined) => owner !== undefined && owner !== file;
    if (level === capi.SQLITE_LOCK_SHARED) {
      if (others(held.pending) || others(held.exclusive)) return capi.SQLITE_BUSY;
      held.shared.add(file);
    } else if (level === capi.SQLITE_LOCK_RESERVED) {
      if (others(held.reserved) || others(held.pending) || others(held.exclusive)) return capi.SQLITE_BUSY;
      held.reserved = file;
    } else if (level === capi.SQLITE_LOCK_EXCLUSIVE) {
      if (others(held.pending) || others(held.exclusive)) return capi.SQLITE_BUSY;
      held.pending = file;
      for (const reader of held.shared) if (reader !== file) return capi.SQLITE_BUSY;
      held.exclusive = file;
    }
    file.lock = Math.max(file.lock, level);
    return 0;
  }

  function release(file: OpenFile, level: number): void {
    const held = locksOf(file.path);
    if (level < capi.SQLITE_LOCK_EXCLUSIVE) {
      if (held.exclusive === file) held.exclusive = undefined;
      if (held.pending === file) held.pending = undefined;
    }
    if (level < capi.SQLITE_LOCK_RESERVED && held.reserved === file) held.reserved = undefined;
    if (level < capi.SQLITE_LOCK_SHARED) held.shared.delete(file);
    file.lock = Math.min(file.lock, level);
  }

  /** Forgets a path's (lock-free) entry once no open file names it: kept until then, as every read transaction takes and drops a lock. */
  function forget(path: string): void {
    const held = locks.get(path);
    if (!held || held.shared.size || held.reserved || held.pending || held.exclusive) return;
    for (const other of files.values()) if (other.path === path) return;
    locks.delete(path);
  }

  const vfs = new capi.sqlite3_vfs() as unknown as Struct;
  vfs.$iVersion = 2;
  vfs.$szOsFile = (capi.sqlite3_file as unknown as { structInfo: { sizeof: number } }).structInfo.sizeof;
  vfs.$mxPathname = MAX_PATH;
  let tempFiles = 0;
  const vfsMethods = {
    xOpen: (_pVfs: number, zName: number, pFile: number, flags: number, pOutFlags: number) =>
      guard(capi.SQLITE_CANTOPEN, () => {
        const deleteOnClose = (flags & capi.SQLITE_OPEN_DELETEONCLOSE) !== 0;
        let file: OpenFile;
        if (!zName) {
          file = { path: `<temp ${++tempFiles}>`, temp: { bytes: new Uint8Array(0), size: 0 }, lock: 0, deleteOnClose };
        } else {
          const path = cstring(zName);
          if (!allowedPath(path)) return capi.SQLITE_CANTOPEN;
          const create = (flags & capi.SQLITE_OPEN_CREATE) !== 0;
          if (!create && !exists(path)) return capi.SQLITE_CANTOPEN;
          file = { path, stream: fs().open(path, O_RDWR | (create ? O_CREAT : 0), 0o666), lock: 0, deleteOnClose };
        }
        files.set(pFile, file);
        const handle = new capi.sqlite3_file(pFile) as unknown as Struct;
        handle.$pMethods = io.pointer;
        handle.dispose();
        if (pOutFlags) wasm.poke32(pOutFlags, flags);
        return 0;
      }),
    xDelete: (_pVfs: number, zName: number) =>
      guard(capi.SQLITE_IOERR_DELETE, () => {
        const path = cstring(zName);
        if (!allowedPath(path)) return capi.SQLITE_IOERR_DELETE;
        if (!exists(path)) return capi.SQLITE_IOERR_DELETE_NOENT;
        fs().unlink(path);
        return 0;
      }),
    xAccess: (_pVfs: number, zName: number, _flags: number, pOut: number) =>
      guard(capi.SQLITE_IOERR_ACCESS, () => {
        const path = cstring(zName);
        wasm.poke32(pOut, allowedPath(path) && exists(path) ? 1 : 0);
        return 0;
      }),
    xFullPathname: (_pVfs: number, zName: number, nOut: number, pOut: number) =>
      wasm.cstrncpy(pOut, zName, nOut) < nOut ? 0 : capi.SQLITE_CANTOPEN,
    xRandomness: (_pVfs: number, nOut: number, pOut: number) => {
      crypto.getRandomValues(heap(pOut, nOut));
      return nOut;
    },
    // Connections of one interpreter cannot wait for each other: sleeping would only block it.
    xSleep: () => 0,
    xCurrentTime: (_pVfs: number, pOut: number) => {
      wasm.poke(pOut, 2440587.5 + Date.now() / 864e5, "double");
      return 0;
    },
    xCurrentTimeInt64: (_pVfs: number, pOut: number) => {
      wasm.poke64(pOut, BigInt(210866760000000 + Date.now()));
      return 0;
    },
    xGetLastError: () => 0,
  };
  sqlite.vfs.installVfs({
    io: { struct: io, methods: ioMethods },
    vfs: { struct: vfs, methods: vfsMethods, name: VFS_NAME, asDefault: true },
  } as unknown as Parameters<typeof sqlite.vfs.installVfs>[0]);
  // Only ours is left: no URI (`?vfs=kvvfs`) reaches localStorage or the engine's own MEMFS.
  for (let p = capi.sqlite3_vfs_find(null); p; ) {
    const other = new capi.sqlite3_vfs(p) as unknown as Struct;
    const next = other.$pNext as number;
    if (cstring(other.$zName as number) !== VFS_NAME) capi.sqlite3_vfs_unregister(p);
    other.dispose();
    p = next;
  }
  return {
    invalidate: () => {
      for (const file of files.values()) file.stale = true;
    },
  };
}

function grow(temp: { bytes: Uint8Array }, size: number): void {
  if (size <= temp.bytes.byteLength) return;
  const bigger = new Uint8Array(Math.max(size, temp.bytes.byteLength * 2, 4096));
  bigger.set(temp.bytes);
  temp.bytes = bigger;
}
