// Streaming, concurrency and the per-app limits: the cases uvicorn and hypercorn cannot have
// (a CPU time limit and a memory cap inside one interpreter), plus hypercorn's streaming test.
import { afterEach, describe, expect, test } from "vitest";
import { appFrom, chunked, header, waitFor, type TestApp } from "./appFrom.ts";

let t: TestApp | undefined;

afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe("streaming", () => {
  test("the caller gets the head and the first chunk before the app produced the last", async () => {
    t = await appFrom(`
      import asyncio

      produced = []

      async def app(scope, receive, send):
          if scope["type"] != "http":
              return
          if scope["path"] == "/produced":
              await send({"type": "http.response.start", "status": 200})
              await send({"type": "http.response.body", "body": ",".join(produced).encode()})
              return
          await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
          await send({"type": "http.response.body", "body": b"first;", "more_body": True})
          produced.append("first")
          await asyncio.sleep(0.3)
          produced.append("last")
          await send({"type": "http.response.body", "body": b"last"})
    `);
    const t0 = performance.now();
    const res = await t.request("/");
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const first = await reader.read();
    const firstAt = performance.now() - t0;
    expect(new TextDecoder().decode(first.value)).toBe("first;");
    // The app has not produced its last chunk yet (it is sleeping): ask it.
    expect((await t.fetch("/produced")).text).toBe("first");
    // Well before the app's 0.3 s sleep ends (the flag above is the proof; this the symptom).
    expect(firstAt).toBeLessThan(280);
    let rest = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      rest += new TextDecoder().decode(value);
    }
    expect(rest).toBe("last");
    expect(performance.now() - t0).toBeGreaterThanOrEqual(290);
    expect((await res.done).ok).toBe(true);
  });

  test("a slow reader applies back-pressure: the app's send() waits instead of buffering everything", async () => {
    t = await appFrom(`
      sent = [0]

      async def app(scope, receive, send):
          if scope["type"] != "http":
              return
          if scope["path"] == "/sent":
              await send({"type": "http.response.start", "status": 200})
              await send({"type": "http.response.body", "body": str(sent[0]).encode()})
              return
          await send({"type": "http.response.start", "status": 200})
          for i in range(100):
              await send({"type": "http.response.body", "body": b"x" * 1024, "more_body": True})
              sent[0] += 1
          await send({"type": "http.response.body", "body": b""})
    `);
    const res = await t.request("/");
    await new Promise((r) => setTimeout(r, 100));
    const sentBeforeReading = Number((await t.fetch("/sent")).text);
    expect(sentBeforeReading).toBeLessThan(20);
    const all = await new Response(res.body).arrayBuffer();
    expect(all.byteLength).toBe(100 * 1024);
  });
});

describe("concurrency", () => {
  test("while one request awaits asyncio.sleep, others in the same app progress (5 × 0.3 s in < 1 s)", async () => {
    t = await appFrom(`
      import asyncio

      async def app(scope, receive, send):
          if scope["type"] != "http":
              return
          await asyncio.sleep(0.3)
          await send({"type": "http.response.start", "status": 200})
          await send({"type": "http.response.body", "body": scope["path"].encode()})
    `);
    await t.runner.start();
    const t0 = performance.now();
    const results = await Promise.all([1, 2, 3, 4, 5].map((i) => t!.fetch(`/${i}`)));
    const elapsed = performance.now() - t0;
    expect(results.map((r) => r.text)).toEqual(["/1", "/2", "/3", "/4", "/5"]);
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(1000);
  });

  test("while one request waits for its body, another completes", async () => {
    t = await appFrom(`
      async def app(scope, receive, send):
          if scope["type"] != "http":
              return
          body = b""
          while True:
              m = await receive()
              body += m.get("body", b"")
              if not m.get("more_body"):
                  break
          await send({"type": "http.response.start", "status": 200})
          await send({"type": "http.response.body", "body": body})
    `);
    let finish!: () => void;
    const slowBody = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode("slow "));
        finish = () => {
          controller.enqueue(new TextEncoder().encode("body"));
          controller.close();
        };
      },
    });
    const slow = t.fetch("/slow", { method: "POST", body: slowBody });
    const fast = await t.fetch("/fast", { method: "POST", body: new TextEncoder().encode("fast") });
    expect(fast.text).toBe("fast");
    finish();
    expect((await slow).text).toBe("slow body");
  });
});

describe("time limit", () => {
  const LOOPER = `
    async def app(scope, receive, send):
        if scope["type"] != "http":
            return
        if scope["path"] == "/loop":
            while True:
                pass
        if scope["path"] == "/stubborn":
            while True:
                try:
                    while True:
                        pass
                except KeyboardInterrupt:
                    pass
        await send({"type": "http.response.start", "status": 200})
        await send({"type": "http.response.body", "body": b"served"})
  `;

  test("a request that runs past the limit gets a 504; the next request is served normally", async () => {
    t = await appFrom(LOOPER, { timeoutMs: 300 });
    const t0 = performance.now();
    const res = await t.fetch("/loop");
    expect(res.status).toBe(504);
    expect(header(res.headers, "x-swasgi-error")).toBe("timeout");
    expect(res.text).toContain("time limit");
    expect(performance.now() - t0).toBeLessThan(2000);
    const next = await t.fetch("/ok");
    expect(next.status).toBe(200);
    expect(next.text).toBe("served");
  });

  test("an app that swallows KeyboardInterrupt is stopped hard: 504, then a fresh interpreter serves", async () => {
    t = await appFrom(LOOPER, { timeoutMs: 300 }, { graceMs: 100 });
    const res = await t.fetch("/stubborn");
    expect(res.status).toBe(504);
    expect((await t.fetch("/ok")).text).toBe("served");
  });

  test("other requests in flight when the interpreter is stopped hard get a 504 too, not a hang", async () => {
    t = await appFrom(
      `
      import asyncio

      async def app(scope, receive, send):
          if scope["type"] != "http":
              return
          if scope["path"] == "/sleeper":
              await asyncio.sleep(0.5)
          if scope["path"] == "/stubborn":
              while True:
                  try:
                      while True:
                          pass
                  except KeyboardInterrupt:
                      pass
          await send({"type": "http.response.start", "status": 200})
          await send({"type": "http.response.body", "body": b"served"})
      `,
      { timeoutMs: 300 },
      { graceMs: 100 },
    );
    const sleeper = t.fetch("/sleeper");
    await new Promise((r) => setTimeout(r, 20));
    expect((await t.fetch("/stubborn")).status).toBe(504);
    expect((await sleeper).status).toBe(504);
    expect((await t.fetch("/ok")).status).toBe(200);
  });
});

describe("memory cap", () => {
  test("a request that exhausts the cap without handling it gets a 500; the next is served normally", async () => {
    t = await appFrom(
      `
      async def app(scope, receive, send):
          if scope["type"] != "http":
              return
          if scope["path"] == "/hog":
              hoard = []
              while True:
                  hoard.append(bytearray(1024 * 1024))
          await send({"type": "http.response.start", "status": 200})
          await send({"type": "http.response.body", "body": b"served"})
      `,
      { memoryMb: 32 },
    );
    const res = await t.fetch("/hog");
    expect(res.status).toBe(500);
    expect(header(res.headers, "x-swasgi-error")).toBe("memory");
    expect(res.text).toContain("memory");
    const next = await t.fetch("/ok");
    expect(next.status).toBe(200);
    expect(next.text).toBe("served");
  });

  test("many small allocations kept alive exhaust the cap and end the request (500), never a hang; as garbage they are collected", async () => {
    t = await appFrom(
      `
      async def app(scope, receive, send):
          if scope["type"] != "http":
              return
          if scope["path"] == "/hog":
              kept = []
              for i in range(2000000):
                  kept.append([i])
          if scope["path"] == "/churn":
              total = 0
              for i in range(2000000):
                  total = (total * 31 + i) & 0xFFFFFFFF
          await send({"type": "http.response.start", "status": 200})
          await send({"type": "http.response.body", "body": b"served"})
      `,
      { memoryMb: 32, timeoutMs: 3000 },
    );
    const res = await t.fetch("/hog");
    expect([500, 504]).toContain(res.status);
    expect((await t.fetch("/ok")).text).toBe("served");
    // Two million big ints thrown away: collected inside the run, not a memory error.
    expect((await t.fetch("/churn")).text).toBe("served");
  });

  test("an app that catches MemoryError answers itself, and its interpreter is replaced afterwards", async () => {
    t = await appFrom(
      `
      async def app(scope, receive, send):
          if scope["type"] != "http":
              return
          if scope["path"] == "/hog":
              try:
                  hoard = []
                  while True:
                      hoard.append(bytearray(1024 * 1024))
              except MemoryError:
                  hoard = None
              await send({"type": "http.response.start", "status": 413})
              await send({"type": "http.response.body", "body": b"too big for me"})
              return
          await send({"type": "http.response.start", "status": 200})
          await send({"type": "http.response.body", "body": b"served"})
      `,
      { memoryMb: 32 },
    );
    const res = await t.fetch("/hog");
    expect(res.status).toBe(413);
    expect(res.text).toBe("too big for me");
    expect((await t.fetch("/ok")).text).toBe("served");
  });
});

describe("size limits", () => {
  const READER = `
    async def app(scope, receive, send):
        if scope["type"] != "http":
            return
        size = 0
        while True:
            m = await receive()
            if m["type"] == "http.disconnect":
                print("disconnected after", size)
                return
            size += len(m.get("body", b""))
            if not m.get("more_body"):
                break
        await send({"type": "http.response.start", "status": 200})
        await send({"type": "http.response.body", "body": str(size).encode()})
  `;

  test("a declared content-length over maxBodyBytes: 413 without running the app", async () => {
    t = await appFrom(READER, { maxBodyBytes: 1000 });
    const res = await t.fetch("/", { method: "POST", headers: [["content-length", "5000"]], body: new Uint8Array(5000) });
    expect(res.status).toBe(413);
    expect(res.text).toContain("maxBodyBytes 1000");
  });

  test("a streamed body that grows past maxBodyBytes: 413, and the app hears a disconnect", async () => {
    t = await appFrom(READER, { maxBodyBytes: 1000 });
    const res = await t.fetch("/", { method: "POST", body: chunked([new Uint8Array(600), new Uint8Array(600), new Uint8Array(600)]) });
    expect(res.status).toBe(413);
    await waitFor(() => t!.logs.some((e) => e.kind === "output" && e.text === "disconnected after 600"));
    expect((await t.fetch("/", { method: "POST", body: new Uint8Array(1000) })).text).toBe("1000");
  });

  test("a response past maxResponseBytes is cut (the stream errors), the next request is fine", async () => {
    t = await appFrom(
      `
      async def app(scope, receive, send):
          if scope["type"] != "http":
              return
          await send({"type": "http.response.start", "status": 200})
          n = 10 if scope["path"] == "/big" else 1
          for i in range(n):
              await send({"type": "http.response.body", "body": b"x" * 500, "more_body": True})
          await send({"type": "http.response.body", "body": b""})
      `,
      { maxResponseBytes: 2000 },
    );
    const res = await t.request("/big");
    await expect(new Response(res.body).arrayBuffer()).rejects.toThrow(/maxResponseBytes 2000/);
    expect((await t.fetch("/small")).text).toBe("x".repeat(500));
  });
});
