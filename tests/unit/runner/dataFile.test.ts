// DataSync.openFile: the host's page-at-a-time access to a /data file (what the sqlite3 engine
// builds on): saved chunk by chunk, undone with a failed request, capped like the app's writes.
import { expect, test } from "vitest";
import { DataSync } from "../../../src/runner/dataSync.ts";
import { CHUNK_BYTES, MemoryStore } from "../../../src/store/protocol.ts";
import { sandbox } from "./sandboxHarness.ts";

const MB = 1024 * 1024;

async function withData(storageBytes = 64 * MB) {
  const box = await sandbox({ timeoutMs: 5000 });
  const data = new DataSync(box.py.fs, { storageBytes });
  data.fill(new Map());
  return { box, data };
}

test("pages written into a large file are saved as the chunks they touch, and read back", async () => {
  const { data } = await withData();
  const store = new MemoryStore();
  const db = data.openFile("app.db", true);
  db.write(0, new Uint8Array(20 * MB).fill(1));
  await store.commit(data.take()!);
  data.settle(true);
  // Three 4 KiB pages: two in one chunk, one in another.
  const page = new Uint8Array(4096).fill(2);
  db.write(5 * MB, page);
  db.write(5 * MB + 8192, page);
  db.write(12 * MB, page);
  const changes = data.take()!;
  data.settle(true);
  expect(changes.ops).toHaveLength(1);
  const [op] = changes.ops;
  expect(op.op === "file" && [...op.chunks.keys()].sort((a, b) => a - b)).toEqual([(5 * MB) / CHUNK_BYTES, (12 * MB) / CHUNK_BYTES]);
  await store.commit(changes);
  const saved = (await store.load()).get("app.db");
  expect(saved?.kind === "file" && saved.bytes.byteLength).toBe(20 * MB);
  expect(saved?.kind === "file" && [...saved.bytes.subarray(5 * MB + 8190, 5 * MB + 8194)]).toEqual([1, 1, 2, 2]);
  expect([...db.read(12 * MB - 2, 4)]).toEqual([1, 1, 2, 2]);
  expect(db.read(20 * MB - 1, 10).byteLength).toBe(1);
  db.close();
});

test("a failed request undoes the host's writes and truncation too", async () => {
  const { data } = await withData();
  const db = data.openFile("app.db", true);
  db.write(0, new Uint8Array(200_000).fill(3));
  data.take();
  data.settle(true);
  db.write(100_000, new Uint8Array(50_000).fill(4));
  db.truncate(120_000);
  db.write(500_000, new Uint8Array([9]));
  data.rollback();
  expect(db.size).toBe(200_000);
  expect(db.read(0, 200_000).every((b) => b === 3)).toBe(true);
  expect(data.take()).toBe(undefined);
});

test("host writes count against the storage cap (ENOSPC)", async () => {
  const { data } = await withData(1 * MB);
  const db = data.openFile("app.db", true);
  db.write(0, new Uint8Array(MB - 10));
  let errno: unknown;
  try {
    db.write(MB - 10, new Uint8Array(100));
  } catch (error) {
    errno = (error as { errno?: number }).errno;
  }
  expect(errno).toBe(51);
  expect(db.size).toBe(MB - 10);
});
