// The collector is sound: with a collection at every allocation (Runtime.gcStress), programs
// that hold values every way the C interpreter can print exactly what they print without it.
// A value the spills missed would be freed and reused at once, so its output would differ or
// the interpreter would crash (tests/unit/wasm/spillPointers.test.ts shows that happening).
import { expect, test } from "vitest";
import { BootImageSlot } from "../../../src/runner/bootImage.ts";
import type { Runtime } from "../../../src/runner/interpreter.ts";
import { loadRuntimeNode } from "../../../src/runner/loadRuntimeNode.ts";
import { appFrom } from "../bridge/appFrom.ts";
import { GC_PROGRAMS, runProgram } from "./gcPrograms.ts";

const stressed = async (bootImages?: BootImageSlot): Promise<Runtime> => ({ ...(await loadRuntimeNode()), bootImages, gcStress: true });

test.each(Object.entries(GC_PROGRAMS))("%s: the same output with a collection at every allocation", { timeout: 120_000 }, async (_name, code) => {
  const plain = await runProgram(await loadRuntimeNode(), code);
  expect(plain).not.toMatch(/\[(?:\w+Error|crashed)\]/);
  const collections = { count: 0 };
  expect(await runProgram(await stressed(), code, { collections })).toBe(plain);
  expect(collections.count).toBeGreaterThan(50);
});

const APP = `
import json
async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body"):
            break
    rows = [{"i": i, "path": scope["path"], "q": scope["query_string"].decode()} for i in range(20)]
    page = "".join("<li>%s</li>" % json.dumps(r) for r in rows)
    await send({"type": "http.response.start", "status": 200, "headers": [(b"x-len", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": page.encode(), "more_body": True})
    await send({"type": "http.response.body", "body": bytes(reversed(body))})
`;

async function serve(runtime: Runtime): Promise<{ seen: string[]; restored: boolean }> {
  const app = await appFrom(APP, { timeoutMs: 60_000 }, { runtime });
  const seen: string[] = [];
  for (const path of ["/a?x=1", "/b/c?y=" + "z".repeat(100)]) {
    const res = await app.fetch(path, { method: "POST", body: new TextEncoder().encode("payload-" + path.repeat(20)) });
    seen.push(`${res.status} ${res.headers.find(([k]) => k === "x-len")?.[1]} ${res.text}`);
  }
  await app.close();
  const restored = app.logs.some((l) => l.kind === "event" && l.message?.includes("from the boot image"));
  return { seen, restored };
}

test("the bridge's request path, booted and restored from a boot image, under a collection at every allocation", { timeout: 240_000 }, async () => {
  const expected = (await serve(await loadRuntimeNode())).seen;
  expect(expected[0]).toMatch(/^200 \d+ <li>/);
  // The first runner boots (many collections on the way) and captures the image; the second
  // restores it and serves again.
  const slot = new BootImageSlot(`gc-stress-${Math.random()}`);
  expect(await serve(await stressed(slot))).toEqual({ seen: expected, restored: false });
  expect(slot.image).toBeDefined();
  expect(await serve(await stressed(slot))).toEqual({ seen: expected, restored: true });
});
