// The IndexedDB store in real Chromium, through the same contract suite as the Node stores
// (tests/unit/store/storeContract.ts): each call crosses into a page that runs the store.
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { build, type Rollup } from "vite";
import { afterAll, beforeAll, expect, test } from "vitest";
import type { DataChanges, DataStore, StoredTree } from "../../src/store/protocol.ts";
import { storeContract } from "../unit/store/storeContract.ts";
import { checkDataProperty } from "../unit/runner/dataProperty.ts";
import { launchBrowser } from "./harness.ts";
import { fromBase64, toBase64, type WireChanges, type WireTree } from "./idbStore/wire.ts";

const ORIGIN = "http://swasgi-store.test";
let browser: Browser;
let page: Page;

beforeAll(async () => {
  const output = (await build({
    configFile: false,
    logLevel: "warn",
    build: { write: false, lib: { entry: fileURLToPath(new URL("idbStore/page.ts", import.meta.url)), formats: ["es"], fileName: "page" }, minify: false },
    root: path.resolve(fileURLToPath(new URL("../..", import.meta.url))),
  })) as Rollup.RollupOutput[];
  const code = output[0].output.find((chunk) => chunk.type === "chunk")!.code;
  browser = await launchBrowser();
  page = await browser.newPage();
  await page.route(`${ORIGIN}/**`, (route) =>
    route.request().url().endsWith("/page.js")
      ? route.fulfill({ contentType: "text/javascript", body: code })
      : route.fulfill({ contentType: "text/html", body: '<!doctype html><script type="module" src="/page.js"></script>' }),
  );
  await page.goto(`${ORIGIN}/`);
  await page.waitForFunction(() => "idbStore" in globalThis);
});

afterAll(async () => {
  await browser?.close();
});

let apps = 0;

/** The store of app `app` in the page. */
class PageStore implements DataStore {
  constructor(readonly app: string) {}
  async load(): Promise<StoredTree> {
    const wire = await page.evaluate((app) => (globalThis as never as { idbStore: { load(a: string): Promise<WireTree> } }).idbStore.load(app), this.app);
    return new Map(wire.map(([p, b, id]) => [p, b === null ? { kind: "dir" } : { kind: "file", bytes: fromBase64(b), id }]));
  }
  async commit(changes: DataChanges): Promise<void> {
    const wire: WireChanges = {
      dropped: changes.dropped,
      ops: changes.ops.map((op) => (op.op === "file" ? { ...op, chunks: [...op.chunks].map(([i, b]) => [i, toBase64(b)] as [number, string]) } : op)),
    };
    const error = await page.evaluate(
      ([app, w]) => (globalThis as never as { idbStore: { commit(a: string, w: WireChanges): Promise<string | null> } }).idbStore.commit(app, w),
      [this.app, wire] as const,
    );
    if (error) throw new Error(error);
  }
}

storeContract("IndexedDbStore (Chromium)", async () => {
  const app = `app${apps++}`;
  return { store: new PageStore(app), reopen: () => new PageStore(app) };
});

test("IndexedDbStore (Chromium): a version 1 database (whole files by path) is migrated, cookies kept", async () => {
  const result = await page.evaluate(
    (name) => (globalThis as never as { idbStore: { migrateV1(n: string): Promise<{ tree: WireTree; cookie: unknown; stores: string[] }> } }).idbStore.migrateV1(name),
    `swasgi-v1-${Date.now()}`,
  );
  const tree = new Map(result.tree.map(([p, b]) => [p, b === null ? null : fromBase64(b)]));
  expect([...tree.keys()]).toEqual(["a.txt", "deep", "deep/er", "deep/er/big.bin"]);
  expect(new TextDecoder().decode(tree.get("a.txt")!)).toBe("top");
  expect(tree.get("deep/er/big.bin")).toEqual(new Uint8Array(150_000).fill(9));
  expect(result.cookie).toEqual({ value: "kept" });
  expect(result.stores.sort()).toEqual(["chunks", "cookies", "entries"]);
});

test("IndexedDbStore (Chromium): /data through Python is saved exactly, after failures and successes (property)", async () => {
  await checkDataProperty(async () => {
    const app = `prop${apps++}`;
    return { store: new PageStore(app), reopen: () => new PageStore(app) };
  }, 25);
}, 300_000);
