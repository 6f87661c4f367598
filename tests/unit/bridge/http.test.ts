// Request/response basics, ported from uvicorn's tests/protocols/test_http.py (test_get_request,
// test_post_request, test_head_request, chunked bodies) and hypercorn's large-body cases.
import { createHash } from "node:crypto";
import { afterEach, describe, expect, test } from "vitest";
import { appFrom, chunked, header, type TestApp } from "./appFrom.ts";

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** Echoes the method, path, and the body the app received (length and a checksum). */
const ECHO = `
  import binascii
  import hashlib

  async def app(scope, receive, send):
      if scope["type"] != "http":
          return
      size = 0
      digest = hashlib.sha256()
      messages = 0
      while True:
          message = await receive()
          assert message["type"] == "http.request", message
          body = message.get("body", b"")
          messages += 1
          size += len(body)
          digest.update(body)
          if not message.get("more_body", False):
              break
      text = "%s %s %d %s %d" % (scope["method"], scope["path"], size, binascii.hexlify(digest.digest()).decode(), messages)
      await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
      await send({"type": "http.response.body", "body": text.encode()})
`;

function checksum(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

describe("get, post, head", () => {
  test("GET: 200 with the app's headers and body; an empty body is one http.request message", async () => {
    t = await appFrom(ECHO);
    const res = await t.fetch("/hello");
    expect(res.status).toBe(200);
    expect(res.headers).toEqual([["content-type", "text/plain"]]);
    expect(res.text).toBe(`GET /hello 0 ${checksum(new Uint8Array(0))} 1`);
  });

  test("POST: the app receives the body", async () => {
    t = await appFrom(ECHO);
    const body = new TextEncoder().encode('{"hello": "world"}');
    const res = await t.fetch("/", { method: "POST", body, headers: [["content-type", "application/json"]] });
    expect(res.text).toBe(`POST / ${body.byteLength} ${checksum(body)} 1`);
  });

  test("bodies of any method reach the app (DELETE with a body)", async () => {
    t = await appFrom(ECHO);
    const res = await t.fetch("/", { method: "DELETE", body: new TextEncoder().encode("abc") });
    expect(res.text).toBe(`DELETE / 3 ${checksum(new TextEncoder().encode("abc"))} 1`);
  });

  test("HEAD: the status and headers, no body even though the app sent one", async () => {
    t = await appFrom(ECHO);
    const res = await t.request("/", { method: "HEAD" });
    expect(res.status).toBe(200);
    expect(header(res.headers, "content-type")).toBe("text/plain");
    expect(res.body).toBeNull();
    expect((await res.done).ok).toBe(true);
  });
});

describe("request bodies", () => {
  test("a streamed (chunked) body arrives as several http.request messages, every byte in order", async () => {
    t = await appFrom(ECHO);
    const chunks = ["first,", "second,", "", "third"];
    const all = new TextEncoder().encode(chunks.join(""));
    const res = await t.fetch("/", { method: "POST", body: chunked(chunks) });
    const [, , size, sum, messages] = res.text.split(" ");
    expect(Number(size)).toBe(all.byteLength);
    expect(sum).toBe(checksum(all));
    // One message per non-empty chunk, the last with more_body False (and possibly empty).
    expect(Number(messages)).toBeGreaterThanOrEqual(3);
  });

  test("the app sees each chunk as it was sent (no merging that changes bytes)", async () => {
    t = await appFrom(`
      async def app(scope, receive, send):
          if scope["type"] != "http":
              return
          parts = []
          while True:
              m = await receive()
              parts.append(m["body"].decode() + ("+" if m["more_body"] else "."))
              if not m["more_body"]:
                  break
          await send({"type": "http.response.start", "status": 200})
          await send({"type": "http.response.body", "body": "|".join(parts).encode()})
    `);
    const res = await t.fetch("/", { method: "PUT", body: chunked(["a", "bb", "ccc"]) });
    expect(res.text.replace(/\|\.$/, ".")).toMatch(/^a\+\|bb\+\|ccc[+.]/);
    expect(res.text.endsWith(".")).toBe(true);
  });

  test("a 12 MB body (as one buffer) reaches the app byte for byte", async () => {
    t = await appFrom(ECHO);
    const body = new Uint8Array(12 * 1024 * 1024 + 7);
    for (let i = 0; i < body.length; i++) body[i] = (i * 7919) & 0xff;
    const res = await t.fetch("/big", { method: "POST", body });
    const [, , size, sum] = res.text.split(" ");
    expect(Number(size)).toBe(body.byteLength);
    expect(sum).toBe(checksum(body));
  });

  test("a 12 MB body streamed in 64 KB chunks reaches the app byte for byte", async () => {
    t = await appFrom(ECHO);
    const body = new Uint8Array(12 * 1024 * 1024);
    for (let i = 0; i < body.length; i++) body[i] = (i * 31 + (i >> 16)) & 0xff;
    const pieces: Uint8Array[] = [];
    for (let i = 0; i < body.length; i += 65536) pieces.push(body.subarray(i, i + 65536));
    const res = await t.fetch("/big", { method: "POST", body: chunked(pieces) });
    const [, , size, sum] = res.text.split(" ");
    expect(Number(size)).toBe(body.byteLength);
    expect(sum).toBe(checksum(body));
  });
});

describe("response bodies", () => {
  test("a 10 MB response body arrives whole, byte for byte", async () => {
    t = await appFrom(`
      async def app(scope, receive, send):
          if scope["type"] != "http":
              return
          block = bytes(range(256)) * 4096
          await send({"type": "http.response.start", "status": 200})
          for i in range(10):
              await send({"type": "http.response.body", "body": block, "more_body": i < 9})
    `);
    const res = await t.fetch("/");
    expect(res.status).toBe(200);
    expect(res.body.byteLength).toBe(10 * 1024 * 1024);
    const expected = new Uint8Array(10 * 1024 * 1024).map((_, i) => i & 0xff);
    expect(checksum(res.body)).toBe(checksum(expected));
  });

  test("minimal messages: no headers key, no body key, more_body defaulting to False", async () => {
    t = await appFrom(`
      async def app(scope, receive, send):
          if scope["type"] != "http":
              return
          await send({"type": "http.response.start", "status": 202})
          await send({"type": "http.response.body"})
    `);
    const res = await t.fetch("/");
    expect(res.status).toBe(202);
    expect(res.headers).toEqual([]);
    expect(res.body.byteLength).toBe(0);
  });

  test("trailers when asked for: the body arrives, the trailers are accepted (fetch cannot carry them)", async () => {
    t = await appFrom(`
      async def app(scope, receive, send):
          if scope["type"] != "http":
              return
          await send({"type": "http.response.start", "status": 200, "trailers": True})
          await send({"type": "http.response.body", "body": b"with trailers"})
          await send({"type": "http.response.trailers", "headers": [(b"x-checksum", b"abc")]})
    `);
    const res = await t.request("/");
    expect(await new Response(res.body).text()).toBe("with trailers");
    expect((await res.done).ok).toBe(true);
  });

  test("trailers asked for but never sent: the response is cut, not reported complete", async () => {
    t = await appFrom(`
      async def app(scope, receive, send):
          if scope["type"] != "http":
              return
          await send({"type": "http.response.start", "status": 200, "trailers": True})
          await send({"type": "http.response.body", "body": b"no trailers follow"})
    `);
    const res = await t.request("/");
    await expect(new Response(res.body).text()).rejects.toThrow(/before finishing/);
  });

  test("trailers not asked for are an invalid message", async () => {
    t = await appFrom(`
      async def app(scope, receive, send):
          if scope["type"] != "http":
              return
          await send({"type": "http.response.start", "status": 200})
          await send({"type": "http.response.body", "body": b"x", "more_body": True})
          await send({"type": "http.response.trailers", "headers": []})
    `);
    const res = await t.request("/");
    await expect(new Response(res.body).text()).rejects.toThrow(/but got 'http.response.trailers'/);
  });
});
