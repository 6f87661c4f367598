// Boot images (src/runner/bootImage.ts): a restored interpreter must be indistinguishable from a
// booted one, carry nothing of any app, and fall back to a plain boot whenever it cannot apply.
import { expect, test } from "vitest";
import { type BootImage, BootImageSlot, decodeBootImage, encodeBootImage, PAGE_BYTES } from "../../../src/runner/bootImage.ts";
import { HostFunction, Namespace } from "../../../src/runner/ffi/records.ts";
import { Interpreter, type Runtime } from "../../../src/runner/interpreter.ts";
import { loadRuntimeNode } from "../../../src/runner/loadRuntimeNode.ts";
import { appFrom } from "../bridge/appFrom.ts";
import { run, sandbox } from "./sandboxHarness.ts";

/** The shared compiled runtime with a slot of its own, so each test starts without an image. */
async function runtimeWithSlot(key = `test-${Math.random()}`): Promise<Runtime & { bootImages: BootImageSlot }> {
  return { ...(await loadRuntimeNode()), bootImages: new BootImageSlot(key) };
}

const restored = (logs: { kind: string; message?: string }[]) => logs.some((l) => l.kind === "event" && l.message?.includes("from the boot image"));

const ECHO_APP = `
import json, random
token = random.getrandbits(32)
async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    body = json.dumps({"token": token, "path": scope["path"]}).encode()
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"application/json")]})
    await send({"type": "http.response.body", "body": body})
`;

test("the first boot captures the image, later boots restore it and answer the same", async () => {
  const runtime = await runtimeWithSlot();
  const first = await appFrom(ECHO_APP, {}, { runtime });
  const a = await first.fetch("/x");
  expect(restored(first.logs)).toBe(false);
  const image = runtime.bootImages.image;
  expect(image).toBeDefined();
  expect(image!.pages.length).toBeGreaterThan(10);

  const second = await appFrom(ECHO_APP, {}, { runtime });
  const b = await second.fetch("/x");
  expect(restored(second.logs)).toBe(true);
  expect(a.status).toBe(200);
  expect(b.status).toBe(200);
  expect(JSON.parse(b.text).path).toBe("/x");
  // Randomness is not frozen into the image: each restored interpreter seeds its own.
  const third = await appFrom(ECHO_APP, {}, { runtime });
  const c = JSON.parse((await third.fetch("/x")).text);
  const tokens = new Set([JSON.parse(a.text).token, JSON.parse(b.text).token, c.token]);
  expect(tokens.size).toBe(3);
  // The image was taken once, before any app code ran, and never again.
  expect(runtime.bootImages.image).toBe(image);
  await Promise.all([first.close(), second.close(), third.close()]);
});

test("what one app does to the library's modules does not reach an app restored from the same image", async () => {
  const runtime = await runtimeWithSlot();
  const planter = await appFrom(
    `
import sys, asyncio, _swasgi_bridge, _swasgi_compat
_swasgi_compat.planted = "from the first app"
asyncio.planted = True
sys.modules["planted"] = asyncio
_swasgi_bridge.planted = True
async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": 204, "headers": []})
    await send({"type": "http.response.body", "body": b""})
`,
    {},
    { runtime },
  );
  expect((await planter.fetch("/")).status).toBe(204);
  const probe = await appFrom(
    `
import sys, asyncio, _swasgi_bridge, _swasgi_compat
seen = [hasattr(_swasgi_compat, "planted"), hasattr(asyncio, "planted"), "planted" in sys.modules, hasattr(_swasgi_bridge, "planted")]
async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": repr(seen).encode()})
`,
    {},
    { runtime },
  );
  const seen = await probe.fetch("/");
  expect(restored(probe.logs)).toBe(true);
  expect(seen.text).toBe("[False, False, False, False]");
  await Promise.all([planter.close(), probe.close()]);
});

test("an app's own module named like one the bridge uses is the app's alone", async () => {
  const runtime = await runtimeWithSlot();
  // MicroPython lets a file extend a built-in module (json.py before the built-in json): the
  // app gets its file, the bridge keeps the json it imported before the app's files existed.
  const app = await appFrom(
    `
import json
async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": json.dumps({"ok": 1}).encode()})
`,
    {},
    { runtime, extraFiles: { "json.py": "def dumps(value):\n    return 'the app json'\n" } },
  );
  const response = await app.fetch("/");
  expect(response.text).toBe("the app json");
  const next = await appFrom(ECHO_APP, {}, { runtime });
  expect((await next.fetch("/")).status).toBe(200);
  await Promise.all([app.close(), next.close()]);
});

test("a restored interpreter keeps the time limit and the memory cap", async () => {
  const runtime = await runtimeWithSlot();
  const source = `
async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    if scope["path"] == "/spin":
        while True:
            pass
    if scope["path"] == "/bomb":
        junk = []
        while True:
            junk.append(bytearray(1 << 20))
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"fine"})
`;
  // 1 s: collections mark what /bomb keeps alive before it meets the cap.
  const warm = await appFrom(source, { timeoutMs: 1000, memoryMb: 32 }, { runtime });
  await warm.fetch("/");
  const app = await appFrom(source, { timeoutMs: 1000, memoryMb: 32 }, { runtime });
  expect((await app.fetch("/")).text).toBe("fine");
  expect(restored(app.logs)).toBe(true);
  expect((await app.fetch("/spin")).status).toBe(504);
  expect((await app.fetch("/bomb")).status).toBe(500);
  // Both replacements restore the image again.
  expect((await app.fetch("/")).text).toBe("fine");
  await Promise.all([warm.close(), app.close()]);
});

test("an image that cannot be restored is dropped with a warning and the app boots as usual", async () => {
  const runtime = await runtimeWithSlot();
  const first = await appFrom(ECHO_APP, {}, { runtime });
  await first.fetch("/");
  const good = runtime.bootImages.image!;
  // A ref naming a member the host module does not have: restoring it must refuse.
  const broken: BootImage = { ...good, refs: [...good.refs, ["_swasgi_host", "no_such_member"]] };
  runtime.bootImages.discard();
  runtime.bootImages.offer(broken);
  const app = await appFrom(ECHO_APP, {}, { runtime });
  expect((await app.fetch("/y")).status).toBe(200);
  expect(app.logs.some((l) => l.kind === "event" && l.level === "warn" && l.message.includes("boot image could not be restored"))).toBe(true);
  expect(restored(app.logs)).toBe(false);
  // The plain boot captured a good image in its place.
  expect(runtime.bootImages.image).not.toBe(broken);
  expect(runtime.bootImages.image?.refs).toEqual(good.refs);
  await Promise.all([first.close(), app.close()]);
});

test("an image made for another library or runtime is not restored", async () => {
  const runtime = await runtimeWithSlot();
  const first = await appFrom(ECHO_APP, {}, { runtime });
  await first.fetch("/");
  const stale: BootImage = { ...runtime.bootImages.image!, key: "some other build" };
  runtime.bootImages.discard();
  runtime.bootImages.offer(stale);
  const app = await appFrom(ECHO_APP, {}, { runtime });
  expect((await app.fetch("/")).status).toBe(200);
  expect(restored(app.logs)).toBe(false);
  expect(runtime.bootImages.image?.key).not.toBe("some other build");
  await Promise.all([first.close(), app.close()]);
});

test("restoring reproduces the captured memory exactly and binds refs to the new host's objects", async () => {
  const calls: string[] = [];
  const grant = (who: string) => ({ m: new Namespace("m", { f: new HostFunction("f", (x) => (calls.push(who), Number(x) * 2)) }) });
  const a = await sandbox({ modules: grant("a") });
  expect(run(a.py, "import json, m\nf = m.f\nprint(f(1))")).toBe(null);
  const image = a.py.captureImage("k")!;
  expect(image).toBeDefined();
  expect(image.refs.some((r) => r?.join(".") === "m.f")).toBe(true);

  const b = await sandbox({ modules: grant("b"), image });
  const again = b.py.captureImage("k")!;
  expect(again.memoryBytes).toBe(image.memoryBytes);
  expect([...again.pages]).toEqual([...image.pages]);
  expect(Buffer.from(again.data).equals(Buffer.from(image.data))).toBe(true);
  expect(again.refs).toEqual(image.refs);
  expect(run(b.py, "print(f(21), json.dumps([1]))")).toBe(null);
  expect(b.output()).toBe("42 [1]\n");
  expect(calls).toEqual(["a", "b"]);
});

test("no image is captured while a timer is pending or the host holds a Python object", async () => {
  const a = await sandbox();
  expect(run(a.py, "import js\njs.setTimeout(lambda: None, 10000)")).not.toBeInstanceOf(Error);
  expect(a.py.captureImage("k")).toBeUndefined();
  const b = await sandbox({ modules: { m: new Namespace("m", { keep: new HostFunction("keep", () => new Namespace("fresh", {})) }) } });
  // A record made on the fly is not a granted module's member: it has no path to restore by.
  expect(run(b.py, "import m\nx = m.keep()")).toBe(null);
  expect(b.py.captureImage("k")).toBeUndefined();
});

test("encoded images decode only for their own key and only when intact", async () => {
  const a = await sandbox();
  run(a.py, "import json");
  const image = a.py.captureImage("key-1")!;
  const bytes = encodeBootImage(image);
  const back = decodeBootImage(bytes, "key-1")!;
  expect(back.key).toBe("key-1");
  expect([...back.pages]).toEqual([...image.pages]);
  expect(Buffer.from(back.data).equals(Buffer.from(image.data))).toBe(true);
  expect(back.refs).toEqual(image.refs);
  expect(decodeBootImage(bytes, "key-2")).toBeUndefined();
  expect(decodeBootImage(bytes.subarray(0, bytes.byteLength - 1), "key-1")).toBeUndefined();
  expect(decodeBootImage(new Uint8Array([1, 0, 0, 0, 123]), "key-1")).toBeUndefined();
  expect(decodeBootImage(new Uint8Array(0), "key-1")).toBeUndefined();
});

test("a restored interpreter's memory is byte for byte the memory the image was taken from", async () => {
  const runtime = await loadRuntimeNode();
  const options = { timeoutMs: 5000, graceMs: 500, memoryBytes: 64 << 20 };
  const source = await Interpreter.create(runtime, options);
  expect(source.exec("import json, asyncio\nx = [str(i) * 3 for i in range(5000)]\ndel x\nimport gc\ngc.collect()\n")).toBeNull();
  const image = source.captureImage("memory-test")!;
  const taken = source.memory.bytes(0, image.memoryBytes).slice();
  const copy = await Interpreter.create(runtime, { ...options, image });
  const restoredBytes = copy.memory.bytes(0, image.memoryBytes);
  const differing: number[] = [];
  for (let page = 0; page * PAGE_BYTES < taken.length; page++) {
    const at = page * PAGE_BYTES;
    if (!restoredBytes.subarray(at, at + PAGE_BYTES).every((b, i) => b === taken[at + i])) differing.push(page);
  }
  expect(differing).toEqual([]);
  source.dispose();
  copy.dispose();
});
