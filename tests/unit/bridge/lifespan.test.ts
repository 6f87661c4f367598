// Lifespan, ported from uvicorn's tests/test_lifespan.py (test_lifespan_on, startup failed,
// shutdown, state, an app that does not speak lifespan) and hypercorn's lifespan tests.
import { afterEach, expect, test } from "vitest";
import { appFrom, header, printed, type TestApp } from "./appFrom.ts";

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** A lifespan app: `startup` and `shutdown` are Python lines run at each phase. */
function lifespanApp(startup: string, shutdown = "pass", http = "") {
  return `
import json

events = []

async def app(scope, receive, send):
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            events.append(message["type"])
            if message["type"] == "lifespan.startup":
${indent(startup, 16)}
            elif message["type"] == "lifespan.shutdown":
${indent(shutdown, 16)}
                return
        return
${http ? indent(http, 4) : indent(`
body = json.dumps({"events": events, "state": scope["state"]})
await send({"type": "http.response.start", "status": 200})
await send({"type": "http.response.body", "body": body.encode()})
`, 4)}
`;
}

function indent(code: string, by: number): string {
  return code
    .replace(/^\n/, "")
    .split("\n")
    .map((l) => (l.trim() ? " ".repeat(by) + l : l))
    .join("\n");
}

test("startup runs once before the first request and completes", async () => {
  t = await appFrom(lifespanApp(`await send({"type": "lifespan.startup.complete"})`));
  const first = JSON.parse((await t.fetch("/")).text) as { events: string[] };
  expect(first.events).toEqual(["lifespan.startup"]);
  const second = JSON.parse((await t.fetch("/")).text) as { events: string[] };
  expect(second.events).toEqual(["lifespan.startup"]);
});

test("state set in startup is visible, as a copy, in each request's scope", async () => {
  t = await appFrom(
    lifespanApp(
      `
scope["state"]["db"] = "connected"
scope["state"]["count"] = 0
await send({"type": "lifespan.startup.complete"})
`,
      "pass",
      `
state = scope["state"]
seen = "%s %d" % (state["db"], state["count"])
state["count"] += 1
state["db"] = "changed by a request"
await send({"type": "http.response.start", "status": 200})
await send({"type": "http.response.body", "body": seen.encode()})
`,
    ),
  );
  // A shallow copy per request (as uvicorn does): a request replacing a key does not change
  // what the next request sees.
  expect((await t.fetch("/")).text).toBe("connected 0");
  expect((await t.fetch("/")).text).toBe("connected 0");
});

test("startup failed: every request is a 500 carrying the app's message", async () => {
  t = await appFrom(lifespanApp(`await send({"type": "lifespan.startup.failed", "message": "database unreachable"})`));
  for (const path of ["/", "/other"]) {
    const res = await t.fetch(path);
    expect(res.status).toBe(500);
    expect(header(res.headers, "x-swasgi-error")).toBe("startup-failed");
    expect(res.text).toContain("database unreachable");
    // The app's name once, not "t: t: ...".
    expect(res.text).toContain("<b>t</b>: lifespan startup failed: database unreachable");
  }
});

test("after a failed startup no shutdown is sent, and closing does not wait for one", async () => {
  t = await appFrom(
    lifespanApp(
      `await send({"type": "lifespan.startup.failed", "message": "nope"})`,
      `print("shutdown ran")\nawait send({"type": "lifespan.shutdown.complete"})`,
    ),
  );
  expect(await t.runner.start()).toMatchObject({ code: "startup-failed" });
  const t0 = performance.now();
  await t.runner.close();
  expect(performance.now() - t0).toBeLessThan(500);
  expect(printed(t, "shutdown ran")).toBe(false);
  t = undefined;
});

test("a startup stopped hard at the time limit fails at once (not after the startup timeout)", async () => {
  t = await appFrom(
    lifespanApp(`
while True:
    try:
        while True:
            pass
    except KeyboardInterrupt:
        pass
`),
    { timeoutMs: 300 },
    { graceMs: 100 },
  );
  const t0 = performance.now();
  const res = await t.fetch("/");
  expect(res.status).toBe(500);
  expect(res.text).toContain("time limit");
  expect(performance.now() - t0).toBeLessThan(3000);
});

test("an exception during startup is a failed startup, not an app without lifespan", async () => {
  t = await appFrom(
    lifespanApp(`raise RuntimeError("config missing")`),
  );
  // The app raised after receiving lifespan.startup: uvicorn treats it as startup failure.
  const res = await t.fetch("/");
  expect(res.status).toBe(500);
  expect(res.text).toContain("config missing");
});

test("shutdown runs when the runner closes, after startup", async () => {
  const shutdowns: string[] = [];
  t = await appFrom(
    lifespanApp(
      `await send({"type": "lifespan.startup.complete"})`,
      `
print("shutdown ran")
await send({"type": "lifespan.shutdown.complete"})
`,
    ),
    {},
    { onLog: (e) => e.kind === "output" && shutdowns.push(e.text) },
  );
  expect((await t.fetch("/")).status).toBe(200);
  expect(shutdowns).not.toContain("shutdown ran");
  await t.runner.close();
  expect(shutdowns).toContain("shutdown ran");
  t = undefined;
});

test("shutdown also runs for an app that never got a request once it was started", async () => {
  t = await appFrom(
    lifespanApp(`await send({"type": "lifespan.startup.complete"})`, `print("shutdown ran")\nawait send({"type": "lifespan.shutdown.complete"})`),
  );
  expect(await t.runner.start()).toBeUndefined();
  await t.runner.close();
  expect(printed(t, "shutdown ran")).toBe(true);
  t = undefined;
});

test("an app that does not speak lifespan (raises on the scope) serves requests normally", async () => {
  t = await appFrom(`
    async def app(scope, receive, send):
        assert scope["type"] == "http", "only http here"
        await send({"type": "http.response.start", "status": 200})
        await send({"type": "http.response.body", "body": b"fine"})
  `);
  const res = await t.fetch("/");
  expect(res.status).toBe(200);
  expect(res.text).toBe("fine");
  await t.runner.close();
  t = undefined;
});

test("an app that returns at once on the lifespan scope serves requests normally", async () => {
  t = await appFrom(`
    async def app(scope, receive, send):
        if scope["type"] != "http":
            return
        await send({"type": "http.response.start", "status": 200})
        await send({"type": "http.response.body", "body": scope["state"].__class__.__name__.encode()})
  `);
  const res = await t.fetch("/");
  expect(res.status).toBe(200);
  expect(res.text).toBe("dict");
});

test("the lifespan scope carries asgi versions and a state dict", async () => {
  t = await appFrom(`
    seen = []

    async def app(scope, receive, send):
        if scope["type"] == "lifespan":
            seen.append("%s %s %s" % (scope["asgi"]["version"], scope["asgi"].get("spec_version"), type(scope["state"]).__name__))
            await receive()
            await send({"type": "lifespan.startup.complete"})
            await receive()
            await send({"type": "lifespan.shutdown.complete"})
            return
        await send({"type": "http.response.start", "status": 200})
        await send({"type": "http.response.body", "body": seen[0].encode()})
  `);
  expect((await t.fetch("/")).text).toMatch(/^3\.0 2\.\d+ dict$/);
});
