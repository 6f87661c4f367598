import { mkdir, mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test } from "vitest";
import { DirectoryStore } from "../../../src/store/directoryStore.ts";
import { MemoryStore } from "../../../src/store/protocol.ts";
import { newFile, plain, put } from "./changes.ts";
import { storeContract } from "./storeContract.ts";

storeContract("MemoryStore", async () => {
  const store = new MemoryStore();
  return { store, reopen: () => store };
});

storeContract("DirectoryStore", async () => {
  const dir = await mkdtemp(path.join(tmpdir(), "swasgi-store-"));
  return { store: new DirectoryStore(dir), reopen: () => new DirectoryStore(dir) };
});

async function fresh() {
  const parent = await mkdtemp(path.join(tmpdir(), "swasgi-store-"));
  return { parent, dir: path.join(parent, "data") };
}

test("DirectoryStore: a commit that fails while staging leaves the last good state and no journal", async () => {
  const { parent, dir } = await fresh();
  const store = new DirectoryStore(dir);
  await store.commit(put({ "keep.txt": "good" }));
  // The old bytes of a file that is not there cannot be staged: the commit fails before its commit point.
  await expect(
    store.commit({ ops: [{ op: "remove", path: "keep.txt" }, { op: "file", path: "gone", id: 9, size: 1, chunks: new Map(), from: "missing" }], dropped: [] }),
  ).rejects.toThrow();
  expect(plain(await new DirectoryStore(dir).load())).toEqual({ "keep.txt": "good" });
  expect(await readdir(parent)).toEqual(["data"]);
});

test("DirectoryStore: files are real files, a folder is a folder, and the journal is gone after a commit", async () => {
  const { parent, dir } = await fresh();
  const store = new DirectoryStore(dir);
  await store.commit(put({ "notes/a.txt": "hello" }));
  await store.commit({ ops: [{ op: "mkdir", path: "empty" }], dropped: [] });
  expect(await readFile(path.join(dir, "notes/a.txt"), "utf8")).toBe("hello");
  expect((await readdir(dir)).sort()).toEqual(["empty", "notes"]);
  expect(await readdir(parent)).toEqual(["data"]);
});

test("DirectoryStore: a journal that reached its commit point is finished at load; one that did not is discarded", async () => {
  const { dir } = await fresh();
  const store = new DirectoryStore(dir);
  await store.commit(put({ a: "old" }));
  // A crash after the commit point: the manifest is there, nothing applied yet.
  const journal = `${dir}.swasgi-journal`;
  await mkdir(journal);
  await writeFile(path.join(journal, "f1"), "new");
  await writeFile(path.join(journal, "chunks"), "");
  await writeFile(path.join(journal, "manifest.json"), JSON.stringify({ ops: [{ op: "remove", path: "a" }, { op: "file", path: "a", size: 3, base: "f1", chunks: [] }] }));
  expect(plain(await new DirectoryStore(dir).load())).toEqual({ a: "new" });
  // A crash before it: staged files but no manifest.
  await mkdir(journal);
  await writeFile(path.join(journal, "f1"), "lost");
  await writeFile(path.join(journal, "manifest.json.tmp"), "{");
  expect(plain(await new DirectoryStore(dir).load())).toEqual({ a: "new" });
});

test("DirectoryStore: a journal is applied twice without harm (a crash in the middle of applying)", async () => {
  const { dir } = await fresh();
  const store = new DirectoryStore(dir);
  await store.commit(put({ "d/x": "1", big: "0123456789" }));
  const journal = `${dir}.swasgi-journal`;
  const manifest = {
    ops: [
      { op: "remove", path: "d" },
      { op: "mkdir", path: "d" },
      { op: "file", path: "d/y", size: 3, base: "f2", chunks: [] },
      { op: "file", path: "big", size: 4, base: "f3", chunks: [[0, 0, 2]] },
    ],
  };
  const stage = async () => {
    await mkdir(journal);
    await writeFile(path.join(journal, "f2"), "new");
    await import("node:fs/promises").then((fs) => fs.link(path.join(dir, "big"), path.join(journal, "f3")));
    await writeFile(path.join(journal, "chunks"), "AB");
    await writeFile(path.join(journal, "manifest.json"), JSON.stringify(manifest));
  };
  await stage();
  expect(plain(await new DirectoryStore(dir).load())).toEqual({ d: "<dir>", "d/y": "new", big: "AB23" });
  // Staged again over the result (as if the first apply died after its last step): same tree.
  await stage();
  expect(plain(await new DirectoryStore(dir).load())).toEqual({ d: "<dir>", "d/y": "new", big: "AB23" });
});

test("DirectoryStore: never writes outside its folder", async () => {
  const { parent, dir } = await fresh();
  const store = new DirectoryStore(dir);
  await expect(store.commit({ ops: [newFile("../escape.txt", "x")], dropped: [] })).rejects.toThrow(/not a \/data path/);
  await expect(store.commit({ ops: [{ op: "file", path: "a", id: 1, size: 1, chunks: new Map(), from: "../../etc/passwd" }], dropped: [] })).rejects.toThrow(/not a \/data path/);
  expect(await readdir(parent)).toEqual(["data"]);
  expect(await readdir(dir)).toEqual([]);
});
