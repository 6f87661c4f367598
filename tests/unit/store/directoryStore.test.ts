import { mkdir, mkdtemp, readdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test } from "vitest";
import { DirectoryStore } from "../../../src/store/directoryStore.ts";
import { storeContract } from "./storeContract.ts";

storeContract("DirectoryStore", async () => {
  const dir = await mkdtemp(path.join(tmpdir(), "swasgi-store-"));
  return { store: new DirectoryStore(dir), reopen: () => new DirectoryStore(dir) };
});

test("DirectoryStore: a failed commit leaves the last good state and no temporary files", async () => {
  const dir = await mkdtemp(path.join(tmpdir(), "swasgi-store-"));
  const store = new DirectoryStore(dir);
  await store.commit({ put: new Map([["keep.txt", new TextEncoder().encode("good")]]), remove: [] });
  // A file where a folder must go makes the second write fail after the first was staged.
  await writeFile(path.join(dir, "blocker"), "x");
  await expect(
    store.commit({
      put: new Map([
        ["keep.txt", new TextEncoder().encode("bad")],
        ["blocker/inner.txt", new TextEncoder().encode("y")],
      ]),
      remove: [],
    }),
  ).rejects.toThrow();
  const files = await store.load();
  expect(new TextDecoder().decode(files.get("keep.txt"))).toBe("good");
  expect((await readdir(dir)).filter((f) => f.includes("swasgi-tmp"))).toEqual([]);
});

test("DirectoryStore: never writes outside its folder", async () => {
  const dir = await mkdtemp(path.join(tmpdir(), "swasgi-store-"));
  await mkdir(path.join(dir, "inner"));
  const store = new DirectoryStore(path.join(dir, "inner"));
  await expect(store.commit({ put: new Map([["../escape.txt", new Uint8Array(1)]]), remove: [] })).rejects.toThrow(/outside/);
  expect(await readdir(dir)).toEqual(["inner"]);
});
