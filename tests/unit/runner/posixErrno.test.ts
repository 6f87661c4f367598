import { describe, expect, test } from "vitest";
import { posixErrno, posixErrnoImports } from "../../../src/runner/posixErrno.ts";

describe("posixErrno", () => {
  test("maps the WASI numbers of the file system's errors to Linux's", () => {
    // WASI (emscripten) → Linux: ENOENT 44 → 2, EEXIST 20 → 17, ENOTDIR 54 → 20, EISDIR 31 → 21,
    // ENOTEMPTY 55 → 39, EACCES 2 → 13, EPERM 63 → 1, EINVAL 28 → 22, ENOSPC 51 → 28, EROFS 69 → 30.
    expect([44, 20, 54, 31, 55, 2, 63, 28, 51, 69].map(posixErrno)).toEqual([2, 17, 20, 21, 39, 13, 1, 22, 28, 30]);
  });

  test("never answers 27, which the C side takes for EINTR and retries on", () => {
    for (let wasi = 0; wasi < 200; wasi++) expect(posixErrno(wasi)).not.toBe(27);
  });

  test("wraps syscalls (-errno) and WASI fd calls (errno); leaves other imports and results alone", () => {
    const env: Record<string, unknown> = {
      __syscall_openat: () => -44,
      __syscall_getcwd: () => 12,
      fd_close: () => 8,
      fd_read: () => 0,
      call0: () => -44,
    };
    const wrapped = posixErrnoImports(env) as Record<string, () => number>;
    expect(wrapped.__syscall_openat()).toBe(-2);
    expect(wrapped.__syscall_getcwd()).toBe(12);
    expect(wrapped.fd_close()).toBe(9);
    expect(wrapped.fd_read()).toBe(0);
    expect(wrapped.call0).toBeUndefined();
  });
});
