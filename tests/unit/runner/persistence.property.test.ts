// The /data property (dataProperty.ts) against the memory store (the IndexedDB store's model;
// the real one runs it in tests/e2e/indexedDbStore.e2e.test.ts) and the directory store.
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "vitest";
import { DirectoryStore } from "../../../src/store/directoryStore.ts";
import { MemoryStore } from "../../../src/store/protocol.ts";
import { checkDataProperty } from "./dataProperty.ts";

test("property: /data through Python, saved in memory (the IndexedDB store's model): exact after failures and successes", async () => {
  await checkDataProperty(async () => {
    const store = new MemoryStore();
    return { store, reopen: () => store };
  }, 100);
}, 300_000);

test("property: /data through Python, saved in a directory: exact after failures and successes", async () => {
  await checkDataProperty(async () => {
    const dir = path.join(await mkdtemp(path.join(tmpdir(), "swasgi-prop-")), "data");
    return { store: new DirectoryStore(dir), reopen: () => new DirectoryStore(dir) };
  }, 40);
}, 300_000);
