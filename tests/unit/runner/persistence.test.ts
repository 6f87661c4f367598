import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test } from "vitest";
import { AppHost } from "../../../src/host/appHost.ts";
import { AppRunner } from "../../../src/runner/appRunner.ts";
import { appConfig } from "../../../src/runner/appConfig.ts";
import { loadRuntimeNode } from "../../../src/runner/loadRuntimeNode.ts";
import { DirectoryStore } from "../../../src/store/directoryStore.ts";
import type { StoredTree } from "../../../src/store/protocol.ts";
import { put } from "../store/changes.ts";

// An app that writes /data on request: /write?v=X writes X; /crash writes then raises;
// /loop writes then never returns (killed at the time limit); /read returns the file.
const APP = `
import asyncio

def qs(scope):
    return dict(p.split("=") for p in scope["query_string"].decode().split("&") if "=" in p)

async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    path = scope["path"]
    if path == "/read":
        try:
            body = open("/data/notes/value.txt").read()
        except OSError:
            body = "<none>"
    else:
        import os
        try:
            os.mkdir("/data/notes")
        except OSError:
            pass
        with open("/data/notes/value.txt", "w") as f:
            f.write(qs(scope).get("v", "x"))
        if path == "/crash":
            raise ValueError("after writing")
        if path == "/loop":
            while True:
                try:
                    pass
                except BaseException:
                    pass
        if path == "/slowcrash":
            await asyncio.sleep(0.05)
            raise ValueError("later")
        body = "ok"
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": body.encode()})
`;

async function serve(dataDir: string, initialData?: Promise<StoredTree>) {
  const files = new Map([["app.py", new TextEncoder().encode(APP)]]);
  const runner = new AppRunner(
    { files, config: appConfig("persist", files, { mount: "/", timeoutMs: 300 }) },
    { runtime: await loadRuntimeNode(), store: new DirectoryStore(dataDir), graceMs: 100, initialData },
  );
  const host = new AppHost({ dev: true });
  host.mount({ mount: "/", runner });
  const get = async (target: string) => {
    const res = (await host.request({ url: new URL(target, "http://localhost"), method: "GET", headers: [], body: null }))!;
    const body = res.body ? await new Response(res.body).text() : "";
    await res.done;
    return { status: res.status, body };
  };
  return { runner, get };
}

async function dataDir() {
  return mkdtemp(path.join(tmpdir(), "swasgi-data-"));
}

test("a request's /data writes are saved to the store and survive a new runner", async () => {
  const dir = await dataDir();
  const first = await serve(dir);
  expect(await first.get("/write?v=hello")).toEqual({ status: 200, body: "ok" });
  expect(await readFile(path.join(dir, "notes/value.txt"), "utf8")).toBe("hello");
  await first.runner.close();
  const second = await serve(dir);
  expect(await second.get("/read")).toEqual({ status: 200, body: "hello" });
});

test("/data read ahead of the first boot (initialData) is what that boot sees; a replacement reads the store", async () => {
  const dir = await dataDir();
  const store = new DirectoryStore(dir);
  await store.commit(put({ "notes/value.txt": "stored" }));
  const early = store.load();
  const { get } = await serve(dir, early);
  expect(await get("/read")).toEqual({ status: 200, body: "stored" });
  expect(await get("/write?v=later")).toEqual({ status: 200, body: "ok" });
  // Killed at its time limit: the next interpreter must load the committed "later", not the
  // read-ahead copy.
  expect((await get("/loop?v=lost")).status).toBe(504);
  expect(await get("/read")).toEqual({ status: 200, body: "later" });
});

test("a request that raises after writing leaves /data at the last good state", async () => {
  const dir = await dataDir();
  const { get } = await serve(dir);
  await get("/write?v=good");
  expect((await get("/crash?v=bad")).status).toBe(500);
  expect((await get("/slowcrash?v=bad2")).status).toBe(500);
  expect(await get("/read")).toEqual({ status: 200, body: "good" });
  expect(await readFile(path.join(dir, "notes/value.txt"), "utf8")).toBe("good");
});

test("a request killed at its time limit leaves /data at the last good state", async () => {
  const dir = await dataDir();
  const { get } = await serve(dir);
  await get("/write?v=good");
  expect((await get("/loop?v=bad")).status).toBe(504);
  // The interpreter was replaced; the new one loads the committed state.
  expect(await get("/read")).toEqual({ status: 200, body: "good" });
  expect(await readFile(path.join(dir, "notes/value.txt"), "utf8")).toBe("good");
});
