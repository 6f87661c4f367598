/**
 * The file system's errno values in the numbering Python apps expect (POSIX as Linux has it,
 * the numbering of MicroPython's `errno` module), applied where the errors enter the wasm.
 *
 * Emscripten's FS layer reports WASI numbers (ENOENT is 44, EEXIST 20), and MicroPython raises
 * `OSError(errno)` with whatever the C library left in errno, so `e.errno == errno.ENOENT`
 * failed for every missing file. Translating here, at the syscall imports, fixes every caller at
 * once (open, stat, listdir, mkdir, remove, rename, rmdir, chdir, reads and writes) without
 * touching the glue or the wasm. What the C side compares errno with after the change:
 * MicroPython retries a syscall on EINTR (27 in the WASI numbering), so no error may come out
 * as 27: Linux's 27 is EFBIG, which the in-memory file system never raises, and it becomes EIO
 * here rather than a retry loop. musl's readdir treats -ENOENT from getdents as the end of the
 * directory; with -2 it ends the listing the same way (errno set, no entry).
 */

/** WASI errno → Linux errno, as pairs. */
const PAIRS = [
  1, 7, 2, 13, 3, 98, 6, 11, 7, 114, 8, 9, 10, 16, 11, 125, 12, 10, 14, 111, 15, 104, 16, 35, 18, 33, 19, 122, 20, 17,
  21, 14, 22, 5, 25, 84, 26, 115, 27, 4, 28, 22, 29, 5, 31, 21, 32, 40, 33, 24, 34, 31, 37, 36, 41, 23, 43, 19, 44, 2,
  45, 8, 46, 37, 48, 12, 51, 28, 52, 38, 53, 107, 54, 20, 55, 39, 57, 88, 59, 25, 60, 6, 61, 75, 63, 1, 64, 32, 68, 34,
  69, 30, 70, 29, 71, 3, 72, 116, 73, 110, 74, 26, 75, 18, 116, 61, 138, 95,
];
const TO_POSIX = new Map<number, number>();
for (let i = 0; i < PAIRS.length; i += 2) TO_POSIX.set(PAIRS[i], PAIRS[i + 1]);

/** The POSIX number for a WASI errno; unknown ones become EIO (never the WASI EINTR, 27). */
export function posixErrno(wasi: number): number {
  return TO_POSIX.get(wasi) ?? 5;
}

type Import = (...args: never[]) => unknown;

/**
 * Wraps the glue's file-system imports so the errno they report is POSIX: `__syscall_*`
 * answer `-errno`, the WASI `fd_*` calls answer `errno` itself.
 * @example Object.assign(env, posixErrnoImports(env));
 */
export function posixErrnoImports(env: Record<string, unknown>): Record<string, Import> {
  const wrapped: Record<string, Import> = {};
  for (const [name, value] of Object.entries(env)) {
    if (typeof value !== "function") continue;
    const glue = value as (...args: unknown[]) => unknown;
    if (name.startsWith("__syscall_")) {
      wrapped[name] = ((...args: unknown[]) => {
        const result = glue(...args);
        return typeof result === "number" && result < 0 && result > -4096 ? -posixErrno(-result) : result;
      }) as Import;
    } else if (name.startsWith("fd_")) {
      wrapped[name] = ((...args: unknown[]) => {
        const result = glue(...args);
        return typeof result === "number" && result > 0 ? posixErrno(result) : result;
      }) as Import;
    }
  }
  return wrapped;
}
