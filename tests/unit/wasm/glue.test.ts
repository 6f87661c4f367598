// The glue build (wasm/patchGlue.mjs, wasm/shrinkGlue.mjs): build/runtime holds its current
// output, the shrunk glue keeps what swasgi and the runtime use, and a glue it does not
// recognize fails the build instead of shipping half-understood.
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { expect, test } from "vitest";
import type { EmscriptenFS } from "../../../build/runtime/glue.mjs";
import { Interpreter } from "../../../src/runner/interpreter.ts";
import { loadRuntimeNode } from "../../../src/runner/loadRuntimeNode.ts";
import { posixErrno } from "../../../src/runner/posixErrno.ts";
import { patchGlue } from "../../../wasm/patchGlue.mjs";

const require = createRequire(import.meta.url);
const packageGlue = path.join(path.dirname(require.resolve("@micropython/micropython-webassembly-pyscript/package.json")), "micropython.mjs");
const builtGlue = new URL("../../../build/runtime/glue.mjs", import.meta.url);

test("build/runtime holds patchGlue's current output", async () => {
  // A stale build/runtime (wasm/*.mjs changed, `npm run build:wasm` not run) fails here.
  expect(patchGlue(await readFile(packageGlue, "utf8"))).toBe(await readFile(builtGlue, "utf8"));
});

test("every FS method of glue.d.mts survives the shrinking", async () => {
  // Typed so that a method added to EmscriptenFS must be listed here.
  const methods: Record<keyof EmscriptenFS, true> = {
    mkdir: true, mkdirTree: true, writeFile: true, readFile: true, readdir: true, stat: true, isDir: true,
    isFile: true, chdir: true, cwd: true, chmod: true, unlink: true, rmdir: true, analyzePath: true,
    mount: true, lookupPath: true, hashAddNode: true, hashRemoveNode: true, ErrnoError: true,
    open: true, read: true, write: true, close: true, truncate: true,
  };
  const py = await Interpreter.create(await loadRuntimeNode(), { timeoutMs: 5000, graceMs: 500, memoryBytes: 64 << 20 });
  for (const name of Object.keys(methods)) expect(typeof py.fs[name as keyof EmscriptenFS], name).toBe("function");
});

// What Python sees of the file system, as the unshrunk glue answered it (errno values are
// emscripten's: 44 ENOENT, 20 EEXIST, 31 EISDIR, 54 ENOTDIR, 55 ENOTEMPTY, 28 EINVAL, 2 EACCES;
// the runner hands Python their POSIX numbers, src/runner/posixErrno.ts).
const FS_WORKLOAD = String.raw`
import os, sys
def t(label, f):
    try:
        print(label, repr(f()))
    except OSError as e:
        print(label, 'OSError', e.args[0])
def write(path, data, mode='w'):
    with open(path, mode) as f:
        return f.write(data)
def read(path, mode='r'):
    with open(path, mode) as f:
        return f.read()
def seek():
    with open('/tmp/a', 'rb') as f:
        f.seek(5990)
        head = f.read(8)
        f.seek(-3, 2)
        return head, f.read(), f.tell()
def update():
    with open('/tmp/b', 'w+b') as f:
        f.write(bytes(range(256)) * 4)
        f.seek(100)
        f.write(b'XYZ')
        f.seek(98)
        return f.read(8)
t('cwd', os.getcwd)
for d in ('/', '/dev', '/home', '/proc/self/fd'):
    t('listdir ' + d, lambda: sorted(os.listdir(d)))
t('write', lambda: write('/tmp/a', 'hello\n' * 1000))
t('append', lambda: write('/tmp/a', 'tail', 'a'))
t('read', lambda: read('/tmp/a')[-10:])
t('seek', seek)
t('update', update)
t('open missing', lambda: open('/tmp/nope'))
t('open dir for writing', lambda: open('/tmp', 'w'))
t('mkdir', lambda: os.mkdir('/tmp/d'))
t('mkdir existing', lambda: os.mkdir('/tmp/d'))
t('mkdir under missing', lambda: os.mkdir('/tmp/x/y'))
t('create in dir', lambda: write('/tmp/d/f', 'x'))
t('rmdir non-empty', lambda: os.rmdir('/tmp/d'))
t('rename', lambda: os.rename('/tmp/d/f', '/tmp/d/g'))
t('listdir after rename', lambda: os.listdir('/tmp/d'))
t('rename missing', lambda: os.rename('/tmp/d/zz', '/tmp/d/g2'))
t('rename dir into itself', lambda: os.rename('/tmp/d', '/tmp/d/sub'))
t('remove', lambda: os.remove('/tmp/d/g'))
t('remove dir', lambda: os.remove('/tmp/d'))
t('rmdir', lambda: os.rmdir('/tmp/d'))
t('rmdir missing', lambda: os.rmdir('/tmp/d'))
t('listdir file', lambda: os.listdir('/tmp/a'))
t('stat', lambda: [os.stat(p)[0] for p in ('/tmp', '/tmp/a', '/dev/null')] + [os.stat('/tmp/a')[6]])
t('stat missing', lambda: os.stat('/nope'))
t('statvfs', lambda: os.statvfs('/')[:5] + os.statvfs('/')[8:])
t('chdir', lambda: (os.chdir('/tmp'), os.getcwd(), read('a')[:5]))
t('chdir to file', lambda: os.chdir('/tmp/a'))
t('ilistdir', lambda: sorted(os.ilistdir('.')))
t('dev null', lambda: (write('/dev/null', 'x'), read('/dev/null')))
t('dev urandom', lambda: len(open('/dev/urandom', 'rb').read(16)))
t('stdin', sys.stdin.read)
t('read-only write', lambda: open('/app/ro.txt', 'w'))
t('read-only read', lambda: read('/app/ro.txt'))
t('truncate', lambda: (write('/tmp/a', ''), os.stat('/tmp/a')[6]))
t('big file', lambda: (write('/tmp/big', b'z' * 3000000, 'wb'), os.stat('/tmp/big')[6]))
print('to stderr', file=sys.stderr)
`;

test("Python's file system behaves as with the unshrunk glue", async () => {
  const output = { stdout: "", stderr: "" };
  const py = await Interpreter.create(await loadRuntimeNode(), {
    timeoutMs: 10_000,
    graceMs: 500,
    memoryBytes: 64 << 20,
    onOutput: (stream, bytes) => (output[stream] += new TextDecoder().decode(bytes)),
  });
  py.fs.writeFile("/app/ro.txt", "read only");
  py.fs.chmod("/app/ro.txt", 0o444);
  expect(py.exec(FS_WORKLOAD)).toBe(null);
  expect(output.stderr).toBe("to stderr\n");
  expect(output.stdout.trimEnd().split("\n")).toEqual([
    "cwd '/app'",
    "listdir / ['app', 'data', 'dev', 'home', 'lib', 'proc', 'tmp']",
    "listdir /dev ['null', 'random', 'shm', 'stderr', 'stdin', 'stdout', 'tty', 'tty1', 'urandom']",
    "listdir /home ['web_user']",
    "listdir /proc/self/fd ['0', '1', '2', '3']",
    "write 6000",
    "append 4",
    "read 'hello\\ntail'",
    "seek (b'llo\\nhell', b'ail', 6004)",
    "update b'bcXYZghi'",
    `open missing OSError ${posixErrno(44)}`,
    `open dir for writing OSError ${posixErrno(31)}`,
    "mkdir None",
    `mkdir existing OSError ${posixErrno(20)}`,
    `mkdir under missing OSError ${posixErrno(44)}`,
    "create in dir 1",
    `rmdir non-empty OSError ${posixErrno(55)}`,
    "rename None",
    "listdir after rename ['g']",
    `rename missing OSError ${posixErrno(44)}`,
    `rename dir into itself OSError ${posixErrno(28)}`,
    "remove None",
    `remove dir OSError ${posixErrno(31)}`,
    "rmdir None",
    `rmdir missing OSError ${posixErrno(44)}`,
    `listdir file OSError ${posixErrno(54)}`,
    "stat [16895, 33188, 8630, 6004]",
    `stat missing OSError ${posixErrno(44)}`,
    "statvfs (4096, 4096, 1000000, 500000, 500000, 2, 255)",
    "chdir (None, '/tmp', 'hello')",
    `chdir to file OSError ${posixErrno(54)}`,
    "ilistdir [('a', 32768, 0), ('b', 32768, 0)]",
    "dev null (1, '')",
    "dev urandom 16",
    "stdin ''",
    `read-only write OSError ${posixErrno(2)}`,
    "read-only read 'read only'",
    "truncate (0, 0)",
    "big file (3000000, 3000000)",
  ]);
});

test("a glue the shrinker does not recognize fails the build", async () => {
  const glue = await readFile(packageGlue, "utf8");
  expect(() => patchGlue(glue.replace("MEMFS={", "MEMFS2={"))).toThrow(/namespaces/);
  expect(() => patchGlue(glue.replaceAll(/\bassert\(/g, "check("))).toThrow(/ASSERTIONS/);
  expect(() => patchGlue(glue.replace("emscripten_resize_heap:", "emscripten_resize_heap2:"))).toThrow(/emscripten_resize_heap/);
  expect(() => patchGlue(glue.replace("return Module.instantiateWasm?", "return Module.instantiateWasm2?"))).toThrow(/instantiateWasm/);
});
