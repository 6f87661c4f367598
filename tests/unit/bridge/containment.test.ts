// Whatever happens inside the interpreter, every request settles with an honest status and the
// next request is served: crashes in app code (which runs in asyncio callbacks), forged calls
// to the host module, exceptions that cannot even be printed, and apps that never answer.
import { afterEach, describe, expect, test } from "vitest";
import { appFrom, header, type TestApp } from "./appFrom.ts";

let t: TestApp | undefined;

afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** An app with one route per attack and "/ok" as the control. */
const routes = (attacks: string) => `
  import asyncio
  import _swasgi_host as host

  async def ok(send):
      await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
      await send({"type": "http.response.body", "body": b"fine"})

  ${attacks.trim().split("\n").join("\n  ")}

  async def app(scope, receive, send):
      if scope["type"] != "http":
          return
      name = scope["path"][1:]
      if name == "ok":
          return await ok(send)
      await globals()[name](send)
`;

describe("a crash inside the interpreter", () => {
  test("deep recursion in the regex engine: 500 naming the crash, then a fresh interpreter answers", async () => {
    t = await appFrom(routes(`
async def regex(send):
    import re
    re.match("(a*)*b", "a" * 20)
    await ok(send)
`));
    const crashed = await t.fetch("/regex");
    expect(crashed.status).toBe(500);
    expect(header(crashed.headers, "x-swasgi-error")).toBe("crashed");
    expect(crashed.text).toContain("crashed");
    expect(t.logs.some((e) => e.kind === "event" && e.level === "error" && e.message.includes("crashed"))).toBe(true);
    const next = await t.fetch("/ok");
    expect(next.status).toBe(200);
    expect(next.text).toBe("fine");
  });

  test("a write through uctypes outside memory: 500, then served again", async () => {
    t = await appFrom(routes(`
async def trap(send):
    import uctypes
    await asyncio.sleep(0)
    uctypes.bytearray_at(0x7FFFFFF0, 64)[0:64] = b"x" * 64
    await ok(send)
`));
    const crashed = await t.fetch("/trap");
    expect(crashed.status).toBe(500);
    expect(header(crashed.headers, "x-swasgi-error")).toBe("crashed");
    expect((await t.fetch("/ok")).status).toBe(200);
  });

  test("a crash fails every request in flight on that interpreter, not only the one that crashed", async () => {
    t = await appFrom(routes(`
async def wait(send):
    await asyncio.sleep(0.2)
    await ok(send)

async def regex(send):
    import re
    re.match("(a*)*b", "a" * 20)
`));
    const waiting = t.fetch("/wait");
    await new Promise((r) => setTimeout(r, 30));
    const crashed = await t.fetch("/regex");
    expect(crashed.status).toBe(500);
    expect((await waiting).status).toBe(500);
    expect((await t.fetch("/ok")).status).toBe(200);
  });
});

describe("the host module called directly by app code", () => {
  test("done('ok') before any start is not a response: 500 no-response, nothing hangs", async () => {
    t = await appFrom(routes(`
async def forged_done(send):
    for i in range(1, 20):
        host.done(i, "ok", "")
    await asyncio.sleep(0.05)
`));
    const res = await t.fetch("/forged_done");
    expect(res.status).toBe(500);
    expect(header(res.headers, "x-swasgi-error")).toBe("no-response");
    expect((await t.fetch("/ok")).status).toBe(200);
  });

  test("a forged start is checked like the bridge's: no status 999, no header injection", async () => {
    t = await appFrom(routes(`
async def forged_start(send):
    answers = []
    for i in range(1, 20):
        blob = b"x-a" + b"1\\r\\nInjected: yes\\r\\n\\r\\n<script>"
        answers.append(host.start(i, 999, "[3, %d]" % (len(blob) - 3), 0, 0))
        answers.append(host.start(i, 200, "[3, %d]" % (len(blob) - 3), __import__("uctypes").addressof(blob), len(blob)))
        answers.append(host.start(i, 200, "[8, 1]", __import__("uctypes").addressof(b"bad namev"), 9))
        answers.append(host.start(i, 101, "[]", 0, 0))
        answers.append(host.start(i, -5, "[]", 0, 0))
        host.body(i, 0, 0, False)
        host.done(i, "ok", "")
    print([a for a in answers if a != "no such request"])
    await asyncio.sleep(0.05)
`));
    const res = await t.fetch("/forged_start");
    expect(res.status).toBe(500);
    expect(res.headers.some(([name]) => name === "injected")).toBe(false);
    const printed = t.logs.find((e) => e.kind === "output" && e.text.includes("status must be"));
    expect(printed?.kind === "output" && printed.text).toMatch(/999.*Invalid HTTP header value for "x-a".*Invalid HTTP header name "bad name".*101.*-5/);
    expect((await t.fetch("/ok")).status).toBe(200);
  });

  test("a second start for the same request is refused (events keep their order)", async () => {
    t = await appFrom(routes(`
async def twice(send):
    import uctypes
    await send({"type": "http.response.start", "status": 200})
    for i in range(1, 20):
        refused = host.start(i, 302, "[8, 2]", uctypes.addressof(b"location/x"), 10)
        if refused and refused != "no such request":
            print("refused:", refused)
    await send({"type": "http.response.body", "body": b"first head wins"})
`));
    const res = await t.fetch("/twice");
    expect(res.status).toBe(200);
    expect(res.text).toBe("first head wins");
    expect(header(res.headers, "location")).toBeUndefined();
    expect(t.logs.some((e) => e.kind === "output" && e.text.includes("refused: Unexpected ASGI message 'http.response.start'"))).toBe(true);
  });
});

describe("failures that used to run into the time limit", () => {
  test("an exception whose __str__ and __repr__ raise gives a 500 at once, not a 504", async () => {
    t = await appFrom(routes(`
class Unprintable(Exception):
    def __str__(self):
        raise ValueError("no str")
    def __repr__(self):
        raise ValueError("no repr")

async def unprintable(send):
    raise Unprintable()
`));
    const res = await t.fetch("/unprintable");
    expect(res.status).toBe(500);
    expect(header(res.headers, "x-swasgi-error")).toBe("app-exception");
    expect(res.text).toContain("Unprintable");
  });

  test("2 MB of response header values are checked in linear time: the response arrives", async () => {
    t = await appFrom(routes(`
async def big_headers(send):
    value = b"v" * (64 * 1024)
    headers = [(b"x-big-%d" % i, value) for i in range(32)]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": b"done"})
`));
    const res = await t.fetch("/big_headers");
    expect(res.status).toBe(200);
    expect(res.text).toBe("done");
    expect(res.headers.filter(([name]) => name.startsWith("x-big-"))).toHaveLength(32);
  });

  test("an app that never answers gets a 504 at its time limit plus grace, and the app keeps serving", async () => {
    t = await appFrom(
      routes(`
async def forever(send):
    await asyncio.Event().wait()
`),
      { timeoutMs: 300 },
      { graceMs: 100 },
    );
    const res = await t.fetch("/forever");
    expect(res.status).toBe(504);
    expect(res.text).toContain("did not answer within 400 ms");
    expect((await t.fetch("/ok")).status).toBe(200);
  });

  test("a stream may outlive the time limit: the watchdog only waits for the head", async () => {
    t = await appFrom(
      routes(`
async def slow_stream(send):
    await send({"type": "http.response.start", "status": 200})
    for i in range(4):
        await send({"type": "http.response.body", "body": b"tick ", "more_body": True})
        await asyncio.sleep(0.15)
    await send({"type": "http.response.body", "body": b"end"})
`),
      { timeoutMs: 200 },
      { graceMs: 100 },
    );
    const res = await t.fetch("/slow_stream");
    expect(res.status).toBe(200);
    expect(res.text).toBe("tick tick tick tick end");
  });
});
