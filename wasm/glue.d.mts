// Types for build/runtime/glue.mjs (copied there by wasm/build.mjs): the emscripten module
// factory, with only the parts swasgi uses. wasm/patchGlue.mjs reads this file: the glue keeps
// every member named here and may drop the runtime's other methods, so list what you call.
export interface EmscriptenFS {
  mkdir(path: string, mode?: number): void;
  mkdirTree(path: string, mode?: number): void;
  writeFile(path: string, data: string | Uint8Array, opts?: { mode?: number }): void;
  readFile(path: string): Uint8Array;
  readdir(path: string): string[];
  stat(path: string): { mode: number; size: number; mtime: Date };
  isDir(mode: number): boolean;
  isFile(mode: number): boolean;
  chdir(path: string): void;
  cwd(): string;
  chmod(path: string, mode: number): void;
  unlink(path: string): void;
  rmdir(path: string): void;
  analyzePath(path: string): { exists: boolean };
  // The tracked /data and capped /tmp (src/runner/trackedFs.ts): a file system type of
  // swasgi's own, mounted over MEMFS nodes; nodes are typed there (MemNode).
  mount(type: { mount(mount: object): object }, opts: object, mountpoint: string): object;
  lookupPath(path: string, opts?: { follow?: boolean }): { path: string; node: object };
  hashAddNode(node: object): void;
  hashRemoveNode(node: object): void;
  ErrnoError: new (errno: number) => Error;
  // Host reads and writes at offsets (DataSync.openFile): the sqlite3 engine's pages.
  open(path: string | object, flags: number, mode?: number): EmscriptenStream;
  read(stream: EmscriptenStream, buffer: Uint8Array, offset: number, length: number, position?: number): number;
  write(stream: EmscriptenStream, buffer: Uint8Array, offset: number, length: number, position?: number): number;
  close(stream: EmscriptenStream): void;
  truncate(path: string | object, length: number): void;
}

/** An open file: `node` is the file system node (src/runner/memfsNode.ts MemNode). */
export interface EmscriptenStream {
  node: object;
}

export interface EmscriptenModule {
  FS: EmscriptenFS;
  swasgiUpdateMemoryViews(): void;
}

export interface ModuleArg {
  instantiateWasm(
    info: { env: Record<string, unknown>; wasi_snapshot_preview1: Record<string, unknown> },
    receive: (instance: WebAssembly.Instance, module?: WebAssembly.Module) => void,
  ): object;
  print?(text: string): void;
  printErr?(text: string): void;
}

declare const createModule: (moduleArg: ModuleArg) => Promise<EmscriptenModule>;
export default createModule;
