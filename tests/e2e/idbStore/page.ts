// Bundled into a page by indexedDbStore.e2e.test.ts: the IndexedDB store, driven from Node
// with DataChanges and trees in a JSON-able wire form (Maps and bytes as arrays and base64).
import { IndexedDbStore } from "../../../src/store/indexedDbStore.ts";
import type { DataChanges } from "../../../src/store/protocol.ts";
import { type WireChanges, type WireTree, fromBase64, toBase64 } from "./wire.ts";

function decode(wire: WireChanges): DataChanges {
  return {
    dropped: wire.dropped,
    ops: wire.ops.map((op) => (op.op === "file" ? { ...op, chunks: new Map(op.chunks.map(([i, b]) => [i, fromBase64(b)])) } : op)),
  };
}

const api = {
  async commit(app: string, wire: WireChanges): Promise<string | null> {
    try {
      await new IndexedDbStore(app).commit(decode(wire));
      return null;
    } catch (error) {
      return String(error);
    }
  },
  async load(app: string): Promise<WireTree> {
    const tree = await new IndexedDbStore(app).load();
    return [...tree].map(([path, entry]) => (entry.kind === "dir" ? [path, null] : [path, toBase64(entry.bytes), entry.id]));
  },
  /**
   * Makes a database as swasgi's version 1 wrote it (whole files by [app, path], a cookie),
   * then loads it through the store: the tree, and the cookie as still stored.
   */
  async migrateV1(dbName: string): Promise<{ tree: WireTree; cookie: unknown; stores: string[] }> {
    const request = (r: IDBRequest) => new Promise((resolve, reject) => ((r.onsuccess = () => resolve(r.result)), (r.onerror = () => reject(r.error))));
    const open = indexedDB.open(dbName, 1);
    open.onupgradeneeded = () => {
      open.result.createObjectStore("files");
      open.result.createObjectStore("cookies");
    };
    const v1 = (await request(open)) as IDBDatabase;
    const tx = v1.transaction(["files", "cookies"], "readwrite");
    tx.objectStore("files").put(new TextEncoder().encode("top").buffer, ["notes", "a.txt"]);
    tx.objectStore("files").put(new Uint8Array(150_000).fill(9).buffer, ["notes", "deep/er/big.bin"]);
    tx.objectStore("files").put(new TextEncoder().encode("other app").buffer, ["other", "x"]);
    tx.objectStore("cookies").put({ value: "kept" }, ["notes", "sid"]);
    await new Promise((resolve) => (tx.oncomplete = resolve));
    v1.close();
    const tree = await new IndexedDbStore("notes", dbName).load();
    const { swasgiDb } = await import("../../../src/store/indexedDbStore.ts");
    const db = await swasgiDb(dbName);
    return {
      tree: [...tree].map(([path, entry]) => [path, entry.kind === "dir" ? null : toBase64(entry.bytes)]),
      cookie: await db.get("cookies", ["notes", "sid"]),
      stores: [...db.objectStoreNames],
    };
  },
};
(globalThis as unknown as { idbStore: typeof api }).idbStore = api;
