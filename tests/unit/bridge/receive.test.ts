// receive(): disconnects and reads after the response, ported from uvicorn's
// test_early_disconnect, test_read_after_response, test_disconnect_on_... and daphne's
// http.disconnect cases.
import { afterEach, expect, test } from "vitest";
import { appFrom, header, printed, waitFor, type TestApp } from "./appFrom.ts";

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

test("early disconnect: an app waiting in receive() for more body gets http.disconnect", async () => {
  t = await appFrom(`
    async def app(scope, receive, send):
        if scope["type"] != "http":
            return
        while True:
            message = await receive()
            print("got", message["type"], message.get("more_body"))
            if message["type"] == "http.disconnect":
                print("disconnected")
                return
  `);
  const abort = new AbortController();
  // A body that never ends: the app is left waiting in receive().
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode("first"));
    },
  });
  const pending = t.request("/", { method: "POST", body, signal: abort.signal });
  await waitFor(() => printed(t!, "got http.request True"));
  expect(printed(t, "disconnected")).toBe(false);
  abort.abort();
  await waitFor(() => printed(t!, "disconnected"));
  // Nobody is listening any more; the host still settles the request.
  const res = await pending;
  expect(res.status).toBe(500);
});

test("early disconnect while the app waits after the body: http.disconnect, then every receive() says so", async () => {
  t = await appFrom(`
    async def app(scope, receive, send):
        if scope["type"] != "http":
            return
        first = await receive()
        second = await receive()
        third = await receive()
        print("seen", first["type"], second["type"], third["type"])
  `);
  const abort = new AbortController();
  const pending = t.request("/", { signal: abort.signal });
  await new Promise((r) => setTimeout(r, 100));
  expect(printed(t, "seen")).toBe(false);
  abort.abort();
  await waitFor(() => printed(t!, "seen http.request http.disconnect http.disconnect"));
  await pending;
});

test("a client that stops reading mid-stream: the app's sends stop blocking and the request settles", async () => {
  t = await appFrom(`
    async def app(scope, receive, send):
        if scope["type"] != "http":
            return
        await send({"type": "http.response.start", "status": 200})
        for i in range(50):
            await send({"type": "http.response.body", "body": b"x" * 1000, "more_body": True})
        await send({"type": "http.response.body", "body": b"end"})
        print("app finished")
  `);
  const res = await t.request("/");
  const reader = res.body!.getReader();
  await reader.read();
  await reader.cancel();
  await waitFor(() => printed(t!, "app finished"));
  const done = await Promise.race([res.done, new Promise((r) => setTimeout(() => r("hung"), 2000))]);
  expect(done).not.toBe("hung");
});

test("read after response: receive() after the response completed returns http.disconnect", async () => {
  t = await appFrom(`
    async def app(scope, receive, send):
        if scope["type"] != "http":
            return
        await receive()
        await send({"type": "http.response.start", "status": 200})
        await send({"type": "http.response.body", "body": b"done"})
        message = await receive()
        print("after response:", message["type"])
  `);
  const res = await t.fetch("/", { method: "POST", body: new TextEncoder().encode("body") });
  expect(res.text).toBe("done");
  await waitFor(() => printed(t!, "after response: http.disconnect"));
});

test("a background receive() does not see http.disconnect until the streamed response finishes", async () => {
  t = await appFrom(`
    import asyncio

    async def app(scope, receive, send):
        if scope["type"] != "http":
            return
        await receive()
        seen = []

        async def watch():
            message = await receive()
            seen.append(message["type"])

        asyncio.create_task(watch())
        await send({"type": "http.response.start", "status": 200})
        for i in range(3):
            await asyncio.sleep(0.05)
            state = ",".join(seen) or "none"
            await send({"type": "http.response.body", "body": ("chunk%d:%s;" % (i, state)).encode(), "more_body": True})
        await send({"type": "http.response.body", "body": b"end"})
        await asyncio.sleep(0.05)
        print("watcher saw", seen)
  `);
  const res = await t.fetch("/");
  expect(res.text).toBe("chunk0:none;chunk1:none;chunk2:none;end");
  await waitFor(() => printed(t!, "watcher saw ['http.disconnect']"));
});

test("an app that does not read the body still gets it all later, and the response works", async () => {
  t = await appFrom(`
    async def app(scope, receive, send):
        if scope["type"] != "http":
            return
        await send({"type": "http.response.start", "status": 200, "headers": [(b"x-read", b"later")]})
        body = b""
        while True:
            m = await receive()
            body += m.get("body", b"")
            if not m.get("more_body"):
                break
        await send({"type": "http.response.body", "body": body})
  `);
  const res = await t.fetch("/", { method: "POST", body: new TextEncoder().encode("abc") });
  expect(header(res.headers, "x-read")).toBe("later");
  expect(res.text).toBe("abc");
});
