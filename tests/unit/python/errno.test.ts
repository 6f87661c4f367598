import { beforeAll, describe, expect, test } from "vitest";
import { type PySession, startPython } from "./loadLib.ts";

// OSError numbering (issue 12, item 3): what the file system raises carries the numbers of the
// `errno` module (POSIX, as Linux and CPython have them), with strerror, filename and the
// CPython subclass. Expected values are CPython 3.11's on Linux for the same operations.

let python: PySession;
beforeAll(async () => {
  python = await startPython();
  python.py.fs.mkdirTree("/app/static");
  python.py.fs.writeFile("/app/static/app.txt", "app file");
  python.py.fs.chmod("/app/static/app.txt", 0o444);
});

/** Runs `op` (a Python expression) and prints what CPython would: errno name, class, str(e). */
function failure(op: string): string {
  return python.run(`
import errno, os
try:
    ${op}
    print('no error')
except OSError as e:
    print(errno.errorcode.get(e.errno, e.errno), type(e).__name__, e.args[0] == e.errno, str(e))
`);
}

describe("OSError.errno is the errno module's numbering", () => {
  test("a missing file is ENOENT (2), as Microdot's multipart code checks", () => {
    expect(failure("open('/tmp/missing.txt')")).toBe(
      "ENOENT FileNotFoundError True [Errno 2] No such file or directory: '/tmp/missing.txt'\n",
    );
    expect(python.run("import errno\ntry:\n    open('/tmp/nope')\nexcept OSError as e:\n    print(e.errno == errno.ENOENT == 2, e.args, e.strerror, e.filename)\n"))
      .toBe("True (2, 'No such file or directory') No such file or directory /tmp/nope\n");
    expect(failure("os.stat('/tmp/missing')")).toBe("ENOENT FileNotFoundError True [Errno 2] No such file or directory: '/tmp/missing'\n");
    expect(failure("os.remove('/tmp/missing')")).toBe("ENOENT FileNotFoundError True [Errno 2] No such file or directory: '/tmp/missing'\n");
    expect(failure("os.listdir('/tmp/missing')")).toBe("ENOENT FileNotFoundError True [Errno 2] No such file or directory: '/tmp/missing'\n");
    expect(failure("os.chdir('/tmp/missing')")).toBe("ENOENT FileNotFoundError True [Errno 2] No such file or directory: '/tmp/missing'\n");
    expect(failure("os.rename('/tmp/missing', '/tmp/x')")).toBe("ENOENT FileNotFoundError True [Errno 2] No such file or directory: '/tmp/missing'\n");
  });

  test("EEXIST, ENOTDIR, EISDIR, ENOTEMPTY", () => {
    expect(failure("os.mkdir('/tmp')")).toBe("EEXIST FileExistsError True [Errno 17] File exists: '/tmp'\n");
    python.run("os.makedirs('/tmp/full/sub', exist_ok=True)\nopen('/tmp/file.txt', 'w').write('x')\n");
    expect(failure("os.listdir('/tmp/file.txt')")).toBe("ENOTDIR NotADirectoryError True [Errno 20] Not a directory: '/tmp/file.txt'\n");
    expect(failure("open('/tmp/full', 'w')")).toBe("EISDIR IsADirectoryError True [Errno 21] Is a directory: '/tmp/full'\n");
    expect(failure("os.rmdir('/tmp/full')")).toBe("ENOTEMPTY OSError True [Errno 39] Directory not empty: '/tmp/full'\n");
  });

  test("writing a read-only app file is EACCES, as CPython reports for a 0o444 file", () => {
    expect(failure("open('/app/static/app.txt', 'w')")).toBe(
      "EACCES PermissionError True [Errno 13] Permission denied: '/app/static/app.txt'\n",
    );
    expect(python.run("print(open('/app/static/app.txt').read())\n")).toBe("app file\n");
  });

  test("the errno module has the names the port's lacks, in the same numbering", () => {
    expect(python.run("import errno\nprint(errno.ENOTDIR, errno.ENOTEMPTY, errno.EROFS, errno.ENOSPC, errno.ENOENT, errno.errorcode[39])\n"))
      .toBe("20 39 30 28 2 ENOTEMPTY\n");
  });

  test("the CPython subclasses exist and are OSErrors", () => {
    expect(python.run(`
names = ['FileNotFoundError', 'FileExistsError', 'IsADirectoryError', 'NotADirectoryError', 'PermissionError',
         'ConnectionError', 'BrokenPipeError', 'TimeoutError']
print([n for n in names if not issubclass(eval(n), Exception)])
print(issubclass(FileNotFoundError, OSError), issubclass(BrokenPipeError, ConnectionError))
`)).toBe("[]\nTrue True\n");
  });
});
