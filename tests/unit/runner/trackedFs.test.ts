// The tracked /tmp and /data (src/runner/trackedFs.ts) behave as MEMFS does for everything
// Python can do, and add their caps.
import { expect, test } from "vitest";
import { DataSync } from "../../../src/runner/dataSync.ts";
import { run, sandbox } from "./sandboxHarness.ts";

// Everything Python does with files, printed; run on plain MEMFS and on the tracked mounts.
const WORKLOAD = String.raw`
import os
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
def update(path):
    with open(path, 'w+b') as f:
        f.write(bytes(range(256)) * 300)
        f.seek(70000)
        f.write(b'XYZ')
        f.seek(100000)
        f.write(b'far')
        f.seek(69998)
        return f.read(8), f.seek(0, 2)
for root in ('/tmp', '/data'):
    t('write', lambda: write(root + '/a', 'hello\n' * 1000))
    t('append', lambda: write(root + '/a', 'tail', 'a'))
    t('read', lambda: read(root + '/a')[-10:])
    t('update', lambda: update(root + '/u'))
    t('open missing', lambda: open(root + '/nope'))
    t('open dir for writing', lambda: open(root, 'w'))
    t('mkdir', lambda: os.mkdir(root + '/d'))
    t('mkdir existing', lambda: os.mkdir(root + '/d'))
    t('mkdir under missing', lambda: os.mkdir(root + '/x/y'))
    t('mkdir under file', lambda: os.mkdir(root + '/a/y'))
    t('create in dir', lambda: write(root + '/d/f', 'x'))
    t('rmdir non-empty', lambda: os.rmdir(root + '/d'))
    t('rename', lambda: os.rename(root + '/d/f', root + '/d/g'))
    t('rename over file', lambda: os.rename(root + '/u', root + '/d/g'))
    t('rename file over dir', lambda: os.rename(root + '/a', root + '/d'))
    t('rename dir over file', lambda: os.rename(root + '/d', root + '/a'))
    t('rename dir over non-empty dir', lambda: (os.mkdir(root + '/e'), os.rename(root + '/e', root + '/d')))
    t('rename dir over empty dir', lambda: (os.mkdir(root + '/e2'), os.rename(root + '/e', root + '/e2')))
    t('listdir', lambda: sorted(os.listdir(root)))
    t('rename missing', lambda: os.rename(root + '/d/zz', root + '/d/g2'))
    t('rename dir into itself', lambda: os.rename(root + '/d', root + '/d/sub'))
    t('remove', lambda: os.remove(root + '/d/g'))
    t('remove dir', lambda: os.remove(root + '/d'))
    t('rmdir', lambda: os.rmdir(root + '/d'))
    t('rmdir missing', lambda: os.rmdir(root + '/d'))
    t('listdir file', lambda: os.listdir(root + '/a'))
    t('stat', lambda: [os.stat(p)[0] for p in (root, root + '/a')] + [os.stat(root + '/a')[6]])
    t('chdir', lambda: (os.chdir(root), os.getcwd(), read('a')[:5], os.chdir('/')))
    t('truncate', lambda: (write(root + '/a', ''), os.stat(root + '/a')[6]))
    t('read removed while open', lambda: (write(root + '/r', 'kept'), [open(root + '/r').read() for _ in [os.remove(root + '/r')]]))
`;

async function outputOf(tracked: boolean): Promise<string> {
  const box = await sandbox({ timeoutMs: 5000 });
  if (tracked) new DataSync(box.py.fs, { storageBytes: 64 << 20 }).fill(new Map());
  expect(run(box.py, WORKLOAD)).toBe(null);
  return box.output();
}

test("Python sees the same files, results and errors in the tracked /tmp and /data as in MEMFS", async () => {
  const plain = await outputOf(false);
  expect(plain).toContain("update (b'noXYZstu', 100003)");
  expect(await outputOf(true)).toBe(plain);
});

test("each tracked mount holds at most maxNodes files and folders (ENOSPC), names of 255 characters, and moving between /tmp and /data is EXDEV", async () => {
  const box = await sandbox({ timeoutMs: 5000 });
  new DataSync(box.py.fs, { storageBytes: 64 << 20, maxNodes: 5 }).fill(new Map());
  expect(run(box.py, `
import os
out = []
for root in ('/tmp', '/data'):
    for i in range(6):
        try:
            open('%s/f%d' % (root, i), 'w').close()
            out.append(None)
        except OSError as e:
            out.append(e.errno)
try:
    os.rename('/tmp/f0', '/data/moved')
except OSError as e:
    out.append(e.errno)
os.remove('/tmp/f1')
for name in ('x' * 255, 'y' * 256):
    try:
        open('/tmp/' + name, 'w').close()
        out.append(None)
    except OSError as e:
        out.append(e.errno)
print(out, sorted(os.listdir('/data')))
`)).toBe(null);
  // emscripten numbering: 51 ENOSPC, 75 EXDEV, 37 ENAMETOOLONG (POSIX 28, 18, 36 once mapped).
  expect(box.output()).toMatch(/^\[None, None, None, None, None, (51|28), None, None, None, None, None, (51|28), (75|18), None, (37|36)\] \['f0', 'f1', 'f2', 'f3', 'f4'\]\n$/);
});

test("os.statvfs of /tmp and /data tells the storage cap and what is left of it", async () => {
  const box = await sandbox({ timeoutMs: 5000 });
  new DataSync(box.py.fs, { storageBytes: 1 << 20 }).fill(new Map());
  expect(run(box.py, `
import os
before = os.statvfs('/data')
open('/tmp/x', 'wb').write(b'x' * 409600)
after = os.statvfs('/data')
print(before[0], before[2], before[4], after[4])
`)).toBe(null);
  // f_bsize, f_blocks, f_bavail: 1 MiB is 256 blocks of 4 KiB; /tmp's 100 blocks count for /data too.
  expect(box.output()).toBe("4096 256 256 156\n");
});

test("a /data saved 1,000 folders deep before the cap still loads; a request that changes nothing there has nothing to save, one write one op", async () => {
  const box = await sandbox({ timeoutMs: 5000 });
  const data = new DataSync(box.py.fs, { storageBytes: 64 << 20 });
  const deep = Array.from({ length: 1000 }, () => "d").join("/");
  const tree = new Map<string, { kind: "dir" } | { kind: "file"; bytes: Uint8Array }>();
  for (let i = 1; i <= 1000; i++) tree.set(deep.slice(0, i * 2 - 1), { kind: "dir" });
  tree.set(`${deep}/f`, { kind: "file", bytes: new TextEncoder().encode("bottom") });
  data.fill(tree);
  expect(run(box.py, `import os\nprint(len(os.listdir('/data/${deep}')))`)).toBe(null);
  expect(box.output()).toBe("1\n");
  expect(data.take()).toBe(undefined);
  expect(run(box.py, `open('/data/${deep}/f', 'a').write('!')`)).toBe(null);
  const changes = data.take()!;
  expect(changes.ops).toEqual([expect.objectContaining({ op: "file", path: `${deep}/f`, from: `${deep}/f`, size: 7 })]);
});
