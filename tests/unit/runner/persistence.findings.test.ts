// Issue 10, findings 3 to 5: /data rolls back exactly, saves exactly, costs what changed, and
// files count against a storage cap. Each drives the real runtime through dataOpsApp.
import { mkdtemp, readFile, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test } from "vitest";
import { DirectoryStore } from "../../../src/store/directoryStore.ts";
import { CHUNK_BYTES, type DataChanges, MemoryStore } from "../../../src/store/protocol.ts";
import { digest, ERRNO, listing, serveOps } from "./dataOpsApp.ts";

const hex = (text: string) => Buffer.from(text).toString("hex");
/** As a listing shows a file with this text. */
const file = (text: string) => digest(Buffer.from(text));

/** A store that counts commits: a request that changes nothing must not reach the store. */
class CountingStore extends MemoryStore {
  commits: DataChanges[] = [];
  override async commit(changes: DataChanges): Promise<void> {
    this.commits.push(changes);
    return super.commit(changes);
  }
}

async function dataDir() {
  return path.join(await mkdtemp(path.join(tmpdir(), "swasgi-data-")), "data");
}

test("a file replaced by a folder in a failed request comes back, and the next request does not save the loss", async () => {
  const dir = await dataDir();
  const app = await serveOps(new DirectoryStore(dir));
  expect((await app.run([["create", "a", hex("precious")]])).errnos).toEqual([null]);
  const failed = await app.run([["remove", "a"], ["mkdir", "a"], ["create", "a/inside", hex("x")]], true);
  expect(failed.status).toBe(500);
  expect(await app.dump()).toEqual({ a: file("precious") });
  expect((await app.run([["create", "other", hex("ok")]])).status).toBe(200);
  expect(await readFile(path.join(dir, "a"), "utf8")).toBe("precious");
  expect(listing(await new DirectoryStore(dir).load())).toEqual({ a: file("precious"), other: file("ok") });
});

test("a file replaced by a folder (and a folder by a file) in a request that succeeds is saved as it is", async () => {
  const dir = await dataDir();
  const app = await serveOps(new DirectoryStore(dir));
  await app.run([["create", "a", hex("file")], ["mkdir", "d"], ["create", "d/x", hex("in d")]]);
  const swapped = await app.run([["remove", "a"], ["mkdir", "a"], ["create", "a/inside", hex("x")], ["remove", "d/x"], ["rmdir", "d"], ["create", "d", hex("now a file")]]);
  expect(swapped.errnos).toEqual([null, null, null, null, null, null]);
  const expected = { a: null, "a/inside": file("x"), d: file("now a file") };
  expect(await app.dump()).toEqual(expected);
  expect((await stat(path.join(dir, "a"))).isDirectory()).toBe(true);
  expect(listing(await new DirectoryStore(dir).load())).toEqual(expected);
  await app.runner.close();
  expect(await (await serveOps(new DirectoryStore(dir))).dump()).toEqual(expected);
});

test("/data itself cannot be renamed or removed (EACCES: / is read-only), and saving goes on", async () => {
  const store = new MemoryStore();
  const app = await serveOps(store);
  await app.run([["create", "keep", hex("1")]]);
  const moved = await app.run([["rename", "", "../elsewhere"], ["rmdir", ""], ["create", "after", hex("2")]]);
  expect(moved.status).toBe(200);
  expect(ERRNO.EACCES).toContain(moved.errnos![0]);
  expect(ERRNO.EACCES).toContain(moved.errnos![1]);
  expect(moved.errnos![2]).toBe(null);
  expect(listing(await store.load())).toEqual({ keep: file("1"), after: file("2") });
});

test("an empty folder is saved and survives a new interpreter", async () => {
  const store = new MemoryStore();
  const app = await serveOps(store);
  await app.run([["mkdir", "uploads"]]);
  await app.runner.close();
  expect(await (await serveOps(store)).dump()).toEqual({ uploads: null });
});

test("folders nest at most 64 deep (ENAMETOOLONG), and a request that changes nothing reaches no store however deep /data is", async () => {
  const store = new CountingStore();
  const app = await serveOps(store);
  const deep = await app.run([
    ["exec", "p = '/data'\nfor i in range(1000):\n    p += '/d'\n    try:\n        os.mkdir(p)\n    except OSError as e:\n        raise RuntimeError('errno %d at depth %d' % (e.errno, i + 1))\n"],
  ]);
  expect(deep.status).toBe(500);
  const [, depthErrno] = /errno (\d+) at depth 65\b/.exec(deep.text)!;
  expect(ERRNO.ENAMETOOLONG).toContain(Number(depthErrno));
  // The failed request left nothing; 64 deep works, a file at 65 does not.
  expect(await app.dump()).toEqual({});
  const ok = await app.run([["exec", "p = '/data'\nfor i in range(64):\n    p += '/d'\n    os.mkdir(p)\n"], ["create", `${"d/".repeat(64)}f`, hex("x")]]);
  expect(ok.errnos![0]).toBe(null);
  expect(ERRNO.ENAMETOOLONG).toContain(ok.errnos![1]);
  expect(store.commits).toHaveLength(1);
  expect(store.commits[0].ops.length).toBe(64);
  // Nothing changed: nothing to save, and nothing was compared to find that out.
  expect((await app.run([["exec", "os.listdir('/data')"]])).status).toBe(200);
  expect(store.commits).toHaveLength(1);
});

test("files past storageMb fail with ENOSPC in Python (a 1.5 GB /tmp write stops at the cap), and nothing of a failed request is saved", async () => {
  const store = new MemoryStore();
  const app = await serveOps(store, { storageMb: 4 });
  await app.run([["create", "kept", [1024 * 1024, 1]]]);
  const flood = await app.run([
    ["exec", "written = 0\nf = open('/tmp/flood', 'wb')\ntry:\n    for i in range(1536):\n        f.write(b'x' * (1 << 20))\n        written += 1\nexcept OSError as e:\n    raise RuntimeError('errno %d after %d MB' % (e.errno, written))\n"],
  ]);
  expect(flood.status).toBe(500);
  // 1 MB in /data and 3 in /tmp fill the 4 MB.
  const [, floodErrno] = /errno (\d+) after 3 MB/.exec(flood.text)!;
  expect(ERRNO.ENOSPC).toContain(Number(floodErrno));
  // /data too, and the request that hit the cap in /data saves nothing.
  const dataFlood = await app.run([["create", "new", hex("small")], ["create", "huge", [4 * 1024 * 1024, 2]]], true);
  expect(dataFlood.status).toBe(500);
  const caught = await app.run([["create", "huge", [4 * 1024 * 1024, 2]]]);
  expect(ERRNO.ENOSPC).toContain(caught.errnos![0]);
  expect(Object.keys(listing(await store.load())).sort()).toEqual(["huge", "kept"]);
  // Room comes back when files go.
  const freed = await app.run([["exec", "os.remove('/tmp/flood')"], ["create", "fits", [1024 * 1024, 3]]]);
  expect(freed.errnos).toEqual([null, null]);
});

test("outside /tmp, /data and the app's folder nothing can be written, and the app's folder is capped too", async () => {
  const app = await serveOps(new MemoryStore(), { storageMb: 1 });
  const sealed = ["/big.bin", "/lib/big.bin", "/home/web_user/big.bin", "/dev/shm/tmp/big.bin"];
  // The cwd takes new files (Microdot spools uploads there), under the storage cap.
  const capped = ["/app/big.bin", "big.bin"];
  const tries = [...sealed, ...capped];
  const result = await app.run([
    ["exec", `import json\nout = []\nfor p in ${JSON.stringify(tries)}:\n    try:\n        open(p, 'wb').write(b'x' * 2000000)\n        out.append(None)\n    except OSError as e:\n        out.append(e.errno)\ntry:\n    os.rename('/app', '/app-moved')\n    out.append(None)\nexcept OSError as e:\n    out.append(e.errno)\nopen('small.txt', 'w').write('fits')\nout.append(open('/app/small.txt').read())\nraise RuntimeError(json.dumps(out))\n`],
  ]);
  const out = JSON.parse(/RuntimeError: (\[.*\])/.exec(result.text.replaceAll("&#34;", '"'))![1]) as (number | string | null)[];
  for (const errno of [...out.slice(0, sealed.length), out[tries.length]]) expect(ERRNO.EACCES).toContain(errno);
  for (const errno of out.slice(sealed.length, tries.length)) expect(ERRNO.ENOSPC).toContain(errno);
  expect(out.at(-1)).toBe("fits");
});

test("a few bytes written into a 50 MB file reach the store as the one 64 KiB chunk they changed", async () => {
  const store = new CountingStore();
  const app = await serveOps(store);
  expect((await app.run([["create", "db.sqlite", [50 * 1024 * 1024, 7]]])).status).toBe(200);
  // A page of a database, in place, halfway in.
  expect((await app.run([["write", "db.sqlite", 25 * 1024 * 1024 + 4096, hex("one row")]])).errnos).toEqual([null]);
  const [op] = store.commits[1].ops;
  expect(op).toMatchObject({ op: "file", path: "db.sqlite", from: "db.sqlite", size: 50 * 1024 * 1024 });
  expect(op.op === "file" && [...op.chunks.keys()]).toEqual([(25 * 1024 * 1024) / CHUNK_BYTES]);
  // Bytes, not the interpreter's Int8Array heap slices MEMFS keeps.
  expect(op.op === "file" && [...op.chunks.values()][0].constructor).toBe(Uint8Array);
  const expected = new Uint8Array(50 * 1024 * 1024).fill(7);
  expected.set(Buffer.from("one row"), 25 * 1024 * 1024 + 4096);
  expect(listing(await store.load())).toEqual({ "db.sqlite": digest(expected) });
  // (Python's own view, without reading 50 MB into a 64 MB interpreter.)
  const check = "f = open('/data/db.sqlite', 'rb')\nf.seek(25 * 1024 * 1024 + 4095)\nassert f.read(9) == b'\\x07one row\\x07', 'page'\nassert os.stat('/data/db.sqlite')[6] == 50 * 1024 * 1024\n";
  expect((await app.run([["exec", check]])).errnos).toEqual([null]);
});
