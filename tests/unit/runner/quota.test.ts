// A storage quota hit while saving /data: the request that hit it gets a 507, nothing of it is
// saved, and the app goes on. Chromium offers no reliable way to fill the quota from a test
// (CDP Storage.overrideQuotaForOrigin did not take effect on 156), so the browser half, the
// IndexedDB store turning QuotaExceededError into QuotaError, is one `if`
// (src/store/indexedDbStore.ts); this covers everything after it with a store that refuses
// large commits the same way.
import { readFile } from "node:fs/promises";
import { expect, test } from "vitest";
import { AppHost } from "../../../src/host/appHost.ts";
import { AppRunner } from "../../../src/runner/appRunner.ts";
import { appConfig } from "../../../src/runner/appConfig.ts";
import { loadRuntimeNode } from "../../../src/runner/loadRuntimeNode.ts";
import { type DataChanges, MemoryStore, QuotaError } from "../../../src/store/protocol.ts";
import { textAt } from "../store/changes.ts";

/** Like a browser with little space left: a commit larger than `limit` bytes is refused. */
class SmallStore extends MemoryStore {
  constructor(readonly limit: number) {
    super();
  }
  override async commit(changes: DataChanges): Promise<void> {
    let bytes = 0;
    for (const op of changes.ops) if (op.op === "file") for (const chunk of op.chunks.values()) bytes += chunk.byteLength;
    if (bytes > this.limit) throw new QuotaError(`QuotaExceededError: ${bytes} bytes do not fit`);
    return super.commit(changes);
  }
}

test("a commit over the quota answers 507 with a plain page, saves nothing, and the app goes on", async () => {
  const files = new Map([["app.py", new Uint8Array(await readFile("tests/fixtures/apps/ledger/app.py"))]]);
  const store = new SmallStore(10_000);
  const logged: string[] = [];
  const runner = new AppRunner(
    { files, config: appConfig("ledger", files, { mount: "/" }) },
    { runtime: await loadRuntimeNode(), store, onLog: (entry) => entry.kind === "event" && logged.push(entry.message) },
  );
  const host = new AppHost({ dev: false });
  host.mount({ mount: "/", runner });
  const call = async (method: string, target: string, body: string | null = null) => {
    const res = (await host.request({ url: new URL(target, "http://localhost"), method, headers: [], body: body === null ? null : new TextEncoder().encode(body) }))!;
    const text = res.body ? await new Response(res.body).text() : "";
    await res.done;
    return { status: res.status, error: res.headers.find(([n]) => n === "x-swasgi-error")?.[1], text };
  };

  expect(await call("POST", "/items", "small")).toMatchObject({ status: 200, text: '{"count": 1}' });
  const full = await call("POST", "/items", "x".repeat(20_000));
  expect(full.status).toBe(507);
  expect(full.error).toBe("quota");
  expect(full.text).toContain("507 Insufficient Storage");
  expect(full.text).toContain("storage is full; this request&#39;s changes to /data were not saved.");
  expect(full.text).not.toContain("Traceback");
  expect(logged.some((line) => line.includes("storage is full"))).toBe(true);
  // Rolled back in the interpreter too, not only in the store: the next request sees the last
  // good state, and a write that fits is saved.
  expect((await call("GET", "/items")).text).toBe('["small"]');
  expect(await call("POST", "/items", "again")).toMatchObject({ status: 200, text: '{"count": 2}' });
  expect(textAt(await store.load(), "items.json")).toBe('["small", "again"]');
  await runner.close();
});
