import { expect, test } from "vitest";
import { CHUNK_BYTES, type DataStore } from "../../../src/store/protocol.ts";
import { bytes, newFile, plain, put, textAt } from "./changes.ts";

/**
 * The behaviour every /data store must have, run against each implementation
 * (hono's common.case.test.ts pattern). `fresh` gives an empty store; `reopen` a second
 * instance over the same storage, as after a restart.
 */
export function storeContract(name: string, fresh: () => Promise<{ store: DataStore; reopen: () => DataStore }>): void {
  test(`${name}: an empty store loads nothing`, async () => {
    const { store } = await fresh();
    expect((await store.load()).size).toBe(0);
  });

  test(`${name}: committed files and folders survive a reopen, empty folders and binary content included`, async () => {
    const { store, reopen } = await fresh();
    const binary = new Uint8Array(256).map((_, i) => i);
    await store.commit(put({ "a.txt": "one", "dir/sub/b.bin": binary }));
    await store.commit({ ops: [{ op: "mkdir", path: "uploads" }], dropped: [] });
    const tree = await reopen().load();
    expect(plain(tree)).toMatchObject({ "a.txt": "one", dir: "<dir>", "dir/sub": "<dir>", uploads: "<dir>" });
    const entry = tree.get("dir/sub/b.bin");
    expect(entry?.kind === "file" && [...entry.bytes]).toEqual([...binary]);
    // Parents come before their children.
    const keys = [...tree.keys()];
    for (const [i, key] of keys.entries()) if (key.includes("/")) expect(keys.indexOf(key.slice(0, key.lastIndexOf("/")))).toBeLessThan(i);
  });

  test(`${name}: a commit replaces and removes files, and removes folders with what is in them`, async () => {
    const { store, reopen } = await fresh();
    await store.commit(put({ a: "1", b: "2", "d/x": "3", "d/y/z": "4", "d-sibling": "5" }));
    await store.commit({ ops: [{ op: "remove", path: "a" }, newFile("a", "new"), { op: "remove", path: "b" }, { op: "remove", path: "d" }], dropped: [] });
    expect(plain(await reopen().load())).toEqual({ a: "new", "d-sibling": "5" });
  });

  test(`${name}: a file can become a folder and a folder a file`, async () => {
    const { store, reopen } = await fresh();
    await store.commit(put({ f: "file", "d/inner": "x" }));
    await store.commit({
      ops: [{ op: "remove", path: "f" }, { op: "mkdir", path: "f" }, newFile("f/now", "in folder"), { op: "remove", path: "d" }, newFile("d", "now a file")],
      dropped: [],
    });
    expect(plain(await reopen().load())).toEqual({ f: "<dir>", "f/now": "in folder", d: "now a file" });
  });

  test(`${name}: changed chunks of a large file are written over its old bytes, also after a rename`, async () => {
    const { store, reopen } = await fresh();
    const big = new Uint8Array(5 * CHUNK_BYTES + 100).map((_, i) => i % 251);
    const file = newFile("db.sqlite", big);
    await store.commit({ ops: [file], dropped: [] });
    const page = new Uint8Array(CHUNK_BYTES).fill(7);
    const expected = big.slice();
    expected.set(page, 2 * CHUNK_BYTES);
    await store.commit({ ops: [{ op: "file", path: "db.sqlite", id: file.id, size: big.byteLength, chunks: new Map([[2, page]]), from: "db.sqlite" }], dropped: [] });
    let entry = (await reopen().load()).get("db.sqlite");
    expect(entry?.kind === "file" && Buffer.compare(entry.bytes, expected)).toBe(0);
    // Moved and cut to 1.5 chunks: the last chunk is rewritten, the rest goes.
    const cut = expected.slice(0, CHUNK_BYTES + CHUNK_BYTES / 2);
    await store.commit({
      ops: [
        { op: "mkdir", path: "moved" },
        { op: "file", path: "moved/db.sqlite", id: file.id, size: cut.byteLength, chunks: new Map([[1, cut.slice(CHUNK_BYTES)]]), from: "db.sqlite" },
        { op: "remove", path: "db.sqlite" },
      ],
      dropped: [],
    });
    const tree = await reopen().load();
    expect(tree.has("db.sqlite")).toBe(false);
    entry = tree.get("moved/db.sqlite");
    expect(entry?.kind === "file" && Buffer.compare(entry.bytes, cut)).toBe(0);
    // Grown again past a gap: what was cut does not come back, the gap reads as zeros.
    const grown = new Uint8Array(4 * CHUNK_BYTES);
    grown.set(cut);
    grown.set(bytes("end"), 4 * CHUNK_BYTES - 3);
    await store.commit({
      ops: [{ op: "file", path: "moved/db.sqlite", id: file.id, size: grown.byteLength, chunks: new Map([[3, grown.slice(3 * CHUNK_BYTES)]]), from: "moved/db.sqlite" }],
      dropped: [],
    });
    entry = (await reopen().load()).get("moved/db.sqlite");
    expect(entry?.kind === "file" && Buffer.compare(entry.bytes, grown)).toBe(0);
  });

  test(`${name}: commits applied in order keep the last write`, async () => {
    const { store, reopen } = await fresh();
    await Promise.all([1, 2, 3, 4, 5].map((n) => store.commit(put({ n: String(n) }))));
    expect(textAt(await reopen().load(), "n")).toBe("5");
  });

  test(`${name}: a path that leaves /data is refused and nothing of the commit lands`, async () => {
    const { store, reopen } = await fresh();
    await store.commit(put({ keep: "good" }));
    await expect(store.commit({ ops: [{ op: "remove", path: "keep" }, newFile("../escape", "x")], dropped: [] })).rejects.toThrow(/not a \/data path/);
    expect(plain(await reopen().load())).toEqual({ keep: "good" });
  });
}
