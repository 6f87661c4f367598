/**
 * What Python did, while watched, that a memory image cannot repeat: read the clock or the
 * random source, wrote output, touched a file outside the trees every boot rebuilds alike,
 * called the host, or met its time limit (the interpreter notes that one). An app's import
 * that did none of these leaves the same memory at every start, so that memory can be kept and
 * restored instead of importing again (appImage.ts); one that did must import at each start (a
 * token drawn at import would otherwise be the same for every worker, a timestamp would be the
 * first start's, a print would be seen once).
 *
 * The watch sits on the runtime's imports, where every such action passes: Python cannot
 * reach the clock, the file system or the host any other way.
 */
export class ImportEffects {
  #watching = false;
  readonly #seen = new Set<string>();

  constructor(
    /** Trees rebuilt identically at every boot of one app version: reading them is pure. */
    private readonly pureRoots: readonly string[],
  ) {}

  start(): void {
    this.#seen.clear();
    this.#watching = true;
  }

  /** Ends the watch; what was seen, as "clock", "randomness", "output", "file /data/x", "host function f"… */
  stop(): ReadonlySet<string> {
    this.#watching = false;
    return new Set(this.#seen);
  }

  note(effect: string): void {
    if (this.#watching) this.#seen.add(effect);
  }

  /**
   * Wrappers for the runtime's imports that report effects, over the given implementations.
   * `path(ptr)` reads a C string; `cwd()` is the file system's working directory.
   * @example Object.assign(env, effects.wrap(env, { path: (p) => memory.string(p), cwd: () => FS.cwd() }));
   */
  wrap(env: Record<string, unknown>, io: { path(ptr: number): string; cwd(): string }): Record<string, (...args: number[]) => unknown> {
    const wrapped: Record<string, (...args: number[]) => unknown> = {};
    const around = (name: string, effect: (...args: number[]) => string | undefined) => {
      const inner = env[name];
      if (typeof inner !== "function") return;
      wrapped[name] = (...args: number[]) => {
        if (this.#watching) {
          const seen = effect(...args);
          if (seen) this.#seen.add(seen);
        }
        return (inner as (...args: number[]) => unknown)(...args);
      };
    };
    const read = (path: string) => (this.#isPure(path) ? undefined : `file ${path}`);
    const at = (dirfd: number, ptr: number) => resolve(dirfd, io.path(ptr), io.cwd());
    around("mp_js_random_u32", () => "randomness");
    around("mp_js_ticks_ms", () => "clock");
    around("mp_js_time_ms", () => "clock");
    around("__syscall_openat", (dirfd, ptr, flags) => {
      const path = at(dirfd, ptr);
      return flags & WRITING ? `file ${path} (written)` : read(path);
    });
    around("__syscall_stat64", (ptr) => read(at(AT_FDCWD, ptr)));
    around("__syscall_lstat64", (ptr) => read(at(AT_FDCWD, ptr)));
    around("__syscall_statfs64", (ptr) => read(at(AT_FDCWD, ptr)));
    around("__syscall_newfstatat", (dirfd, ptr) => read(at(dirfd, ptr)));
    // The working directory lives in the JS file system, outside any image.
    around("__syscall_chdir", (ptr) => `file ${at(AT_FDCWD, ptr)} (chdir)`);
    for (const name of ["__syscall_mkdirat", "__syscall_unlinkat"]) around(name, (dirfd, ptr) => `file ${at(dirfd, ptr)} (written)`);
    around("__syscall_rmdir", (ptr) => `file ${at(AT_FDCWD, ptr)} (written)`);
    around("__syscall_renameat", (dirfd, ptr) => `file ${at(dirfd, ptr)} (written)`);
    around("__syscall_poll", () => "file (poll)");
    around("fd_write", (fd) => (fd === 1 || fd === 2 ? "output" : "file (written)"));
    return wrapped;
  }

  #isPure(path: string): boolean {
    return this.pureRoots.some((root) => path === root || path.startsWith(`${root}/`));
  }
}

const AT_FDCWD = -100;
/** O_WRONLY | O_RDWR | O_CREAT | O_TRUNC | O_APPEND, as emscripten numbers them. */
const WRITING = 0o1 | 0o2 | 0o100 | 0o1000 | 0o2000;

/**
 * An absolute, normalized path. Relative to a directory descriptor other than the working
 * directory it cannot be known here: then a name no pure root contains.
 */
function resolve(dirfd: number, path: string, cwd: string): string {
  if (!path.startsWith("/") && dirfd !== AT_FDCWD) return `(fd ${dirfd})/${path}`;
  const parts: string[] = [];
  for (const part of (path.startsWith("/") ? path : `${cwd}/${path}`).split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") parts.pop();
    else parts.push(part);
  }
  return `/${parts.join("/")}`;
}
