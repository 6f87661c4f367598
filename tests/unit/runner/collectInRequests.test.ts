import { expect, test } from "vitest";
import { AppHost } from "../../../src/host/appHost.ts";
import { AppRunner } from "../../../src/runner/appRunner.ts";
import { appConfig } from "../../../src/runner/appConfig.ts";
import { loadRuntimeNode } from "../../../src/runner/loadRuntimeNode.ts";

// Garbage is only collected when Python returns to JS (DESIGN.md). The bridge makes every
// await that waits a return to JS, including asyncio.sleep(0); these handlers churn far more
// memory than the 64 MB cap over one request and must not hit it.
const APP = `
import asyncio

async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    total = 0
    if scope["path"] == "/sleep0":
        for i in range(300):
            junk = bytearray(1 << 20)
            total += len(junk)
            await asyncio.sleep(0)
    elif scope["path"] == "/stream":
        await send({"type": "http.response.start", "status": 200, "headers": []})
        for i in range(300):
            chunk = bytes(1 << 20)
            await send({"type": "http.response.body", "body": chunk[:10], "more_body": True})
        await send({"type": "http.response.body", "body": b"end"})
        return
    elif scope["path"] == "/page":
        parts = []
        for i in range(20000):
            parts.append("<tr><td>%d</td><td>row %d</td></tr>" % (i, i))
        page = "".join(parts)
        total = len(page)
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": str(total).encode()})
`;

async function host() {
  const files = new Map([["app.py", new TextEncoder().encode(APP)]]);
  const runner = new AppRunner({ files, config: appConfig("churn", files, { mount: "/", memoryMb: 64 }) }, { runtime: await loadRuntimeNode() });
  const h = new AppHost({ dev: true });
  h.mount({ mount: "/", runner });
  return async (path: string) => {
    const res = (await h.request({ url: new URL(path, "http://x"), method: "GET", headers: [], body: null }))!;
    return { status: res.status, text: res.body ? await new Response(res.body).text() : "" };
  };
}

test("300 MB of garbage across await asyncio.sleep(0) in one request stays under a 64 MB cap", async () => {
  const get = await host();
  expect(await get("/sleep0")).toEqual({ status: 200, text: String(300 << 20) });
});

test("a streamed response that allocates 1 MB per chunk stays under the cap", async () => {
  const get = await host();
  const res = await get("/stream");
  expect(res.status).toBe(200);
  expect(res.text.length).toBe(3003);
});

test("a 1 MB HTML page built from 20,000 small strings fits", async () => {
  const get = await host();
  const res = await get("/page");
  expect(res.status).toBe(200);
  expect(Number(res.text)).toBeGreaterThan(600_000);
});
