// send() as a checked state machine, ported from uvicorn's tests/protocols/test_http.py
// (test_app_exception, test_exception_during_response, test_no_response_returned,
// test_partial_response_returned, test_duplicate_start_message, test_response_header_splitting,
// test_invalid_http_request...) and hypercorn's ASGI message checks.
import { afterEach, describe, expect, test } from "vitest";
import { appFrom, header, waitFor, type TestApp } from "./appFrom.ts";

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** An app whose body is `code`, indented under `async def app(scope, receive, send):`. */
function http(code: string): string {
  const body = code.replace(/^\n/, "").replace(/\n\s*$/, "");
  const lines = body.split("\n");
  const cut = Math.min(...lines.filter((l) => l.trim()).map((l) => /^ */.exec(l)![0].length));
  return [
    "async def app(scope, receive, send):",
    '    if scope["type"] != "http":',
    "        return",
    ...lines.map((l) => `    ${l.slice(cut)}`),
    "",
  ].join("\n");
}

const START = `await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})`;

/** Reads a response the way a browser would; resolves to the text or to the stream's error. */
async function readAll(body: ReadableStream<Uint8Array> | null): Promise<{ text?: string; error?: string }> {
  try {
    return { text: await new Response(body).text() };
  } catch (error) {
    return { error: String(error) };
  }
}

describe("failures before http.response.start become a 500", () => {
  test("exception before start: 500 naming the exception, file and line (dev page shows the traceback)", async () => {
    t = await appFrom(
      http(`
        raise RuntimeError("boom before start")
      `),
    );
    const res = await t.fetch("/");
    expect(res.status).toBe(500);
    expect(header(res.headers, "x-swasgi-error")).toBe("app-exception");
    expect(res.text).toContain("RuntimeError: boom before start");
    expect(res.text).toContain("app.py, line 4");
    expect(res.text).toContain("Traceback");
  });

  test("outside dev the 500 page has no traceback", async () => {
    t = await appFrom(http(`raise RuntimeError("secret detail")`), {}, { dev: false });
    const res = await t.fetch("/");
    expect(res.status).toBe(500);
    expect(res.text).not.toContain("Traceback");
    expect(res.text).toContain("console");
  });

  test("the app returns without a response: 500", async () => {
    t = await appFrom(http(`return None`));
    const res = await t.fetch("/");
    expect(res.status).toBe(500);
    expect(header(res.headers, "x-swasgi-error")).toBe("no-response");
    expect(res.text).toContain("http.response.start");
  });

  test.each([
    ["a body before start", `await send({"type": "http.response.body", "body": b"x"})`, "Expected ASGI message 'http.response.start', but got 'http.response.body'."],
    ["an unknown message type", `await send({"type": "http.response.bogus"})`, "Expected ASGI message 'http.response.start', but got 'http.response.bogus'."],
    ["a message that is not a dict", `await send([("type", "http.response.start")])`, "ASGI message must be a dict"],
    ["a str status", `await send({"type": "http.response.start", "status": "200"})`, "status must be an int"],
    ["a float status", `await send({"type": "http.response.start", "status": 200.0})`, "status must be an int"],
    ["a bool status", `await send({"type": "http.response.start", "status": True})`, "status must be an int"],
    ["a status out of range", `await send({"type": "http.response.start", "status": 99})`, "status must be an int"],
    ["an informational (1xx) status", `await send({"type": "http.response.start", "status": 101})`, "from 200 to 599"],
    ["str header names and values", `await send({"type": "http.response.start", "status": 200, "headers": [("content-type", "text/plain")]})`, "must be bytes"],
    ["a str header value", `await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", "text/plain")]})`, "must be bytes"],
    ["an int header value", `await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", 5)]})`, "must be bytes, got int 5"],
    ["a None header name", `await send({"type": "http.response.start", "status": 200, "headers": [(None, b"x")]})`, "must be bytes, got NoneType None"],
    ["a header that is not a pair", `await send({"type": "http.response.start", "status": 200, "headers": [(b"a", b"b", b"c")]})`, "Error"],
  ])("invalid: %s → 500 with the reason", async (_name, code, reason) => {
    t = await appFrom(http(code));
    const res = await t.fetch("/");
    expect(res.status).toBe(500);
    expect(res.text).toContain(escape(reason));
  });

  test("an exception raised by send() can be caught by the app, which then answers properly", async () => {
    t = await appFrom(
      http(`
        try:
            await send({"type": "http.response.start", "status": 200, "headers": [(b"x-bad", b"a\\r\\nInjected: yes")]})
        except ValueError as e:
            await send({"type": "http.response.start", "status": 400, "headers": [(b"content-type", b"text/plain")]})
            await send({"type": "http.response.body", "body": str(e).encode()})
      `),
    );
    const res = await t.fetch("/");
    expect(res.status).toBe(400);
    expect(res.text).toContain("CR, LF and NUL are not allowed");
    expect(res.headers.map(([n]) => n)).not.toContain("injected");
  });
});

describe("failures after http.response.start abort the stream (no 500)", () => {
  test("exception after start: the head arrives, reading the body rejects", async () => {
    t = await appFrom(
      http(`
        ${START}
        await send({"type": "http.response.body", "body": b"partial ", "more_body": True})
        raise RuntimeError("boom after start")
      `),
    );
    const res = await t.request("/");
    expect(res.status).toBe(200);
    expect(header(res.headers, "content-type")).toBe("text/plain");
    // What the app sent before failing is delivered, then the stream errors.
    const reader = res.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toBe("partial ");
    await expect(reader.read()).rejects.toThrow("RuntimeError: boom after start");
    expect((await res.done).ok).toBe(false);
  });

  test("exception after start with nothing streamed yet: still the app's status, then an aborted body", async () => {
    t = await appFrom(
      http(`
        ${START}
        raise RuntimeError("boom right after start")
      `),
    );
    const res = await t.request("/");
    // Like uvicorn: once the app has started a response it is not replaced by a 500.
    expect(res.status).toBe(200);
    expect((await readAll(res.body)).error).toContain("boom right after start");
  });

  test("partial response (returned after start without the last body): aborted", async () => {
    t = await appFrom(
      http(`
        ${START}
        await send({"type": "http.response.body", "body": b"half", "more_body": True})
      `),
    );
    const res = await t.request("/");
    expect(res.status).toBe(200);
    const read = await readAll(res.body);
    expect(read.error).toContain("returned before finishing");
    expect((await res.done).ok).toBe(false);
  });

  test("partial response without any body message: aborted, not a 500 and not an empty 200", async () => {
    t = await appFrom(http(START));
    const res = await t.request("/");
    expect(res.status).toBe(200);
    expect((await readAll(res.body)).error).toContain("returned before finishing");
  });

  test("duplicate start while streaming: the stream is aborted with the ASGI error", async () => {
    t = await appFrom(
      http(`
        ${START}
        await send({"type": "http.response.body", "body": b"a", "more_body": True})
        ${START}
      `),
    );
    const res = await t.request("/");
    expect(res.status).toBe(200);
    expect((await readAll(res.body)).error).toContain("Expected ASGI message 'http.response.body', but got 'http.response.start'.");
  });

  test("duplicate start before any body: the error surfaces, the first head is not sent as a success", async () => {
    t = await appFrom(
      http(`
        ${START}
        ${START}
      `),
    );
    const res = await t.request("/");
    expect(res.status).toBe(200);
    expect((await readAll(res.body)).error).toContain("but got 'http.response.start'");
  });

  test("a message after completion is an error the app sees; the response already sent stays intact", async () => {
    t = await appFrom(
      http(`
        ${START}
        await send({"type": "http.response.body", "body": b"complete"})
        try:
            await send({"type": "http.response.body", "body": b"more"})
        except RuntimeError as e:
            print("late send:", e)
      `),
    );
    const res = await t.fetch("/");
    expect(res.status).toBe(200);
    expect(res.text).toBe("complete");
    await waitFor(() => t!.logs.some((e) => e.kind === "output" && e.text.includes("after response already completed")));
  });

  test("a message after completion, uncaught: the complete response stands", async () => {
    t = await appFrom(
      http(`
        ${START}
        await send({"type": "http.response.body", "body": b"complete"})
        await send({"type": "http.response.body", "body": b"more"})
      `),
    );
    const res = await t.fetch("/");
    expect(res.status).toBe(200);
    expect(res.text).toBe("complete");
    // The late error goes to the log, on stderr.
    await waitFor(() => t!.logs.some((e) => e.kind === "output" && e.stream === "stderr" && e.text.includes("after response already completed")));
  });

  test("a str body after start aborts the stream", async () => {
    t = await appFrom(
      http(`
        ${START}
        await send({"type": "http.response.body", "body": "text, not bytes"})
      `),
    );
    const res = await t.request("/");
    expect(res.status).toBe(200);
    expect((await readAll(res.body)).error).toContain("body must be bytes");
  });
});

describe("response headers", () => {
  test.each([
    ["CRLF in a value", `(b"x-a", b"ok\\r\\nset-cookie: evil=1")`, "CR, LF and NUL are not allowed"],
    ["LF in a value", `(b"x-a", b"ok\\nx-b: 1")`, "CR, LF and NUL are not allowed"],
    ["NUL in a value", `(b"x-a", b"ok\\x00")`, "CR, LF and NUL are not allowed"],
    ["CRLF in a name", `(b"x-a\\r\\nx-b", b"1")`, "Invalid HTTP header name"],
    ["a space in a name", `(b"x a", b"1")`, "Invalid HTTP header name"],
    ["a colon in a name", `(b"x:a", b"1")`, "Invalid HTTP header name"],
    ["an empty name", `(b"", b"1")`, "Invalid HTTP header name"],
    ["a non-ASCII name", `(b"x-\\xe9", b"1")`, "Invalid HTTP header name"],
  ])("header splitting is rejected (%s): 500, no injected header", async (_name, pair, reason) => {
    t = await appFrom(
      http(`
        await send({"type": "http.response.start", "status": 200, "headers": [${pair}]})
        await send({"type": "http.response.body", "body": b"hi"})
      `),
    );
    const res = await t.fetch("/");
    expect(res.status).toBe(500);
    expect(res.text).toContain(escape(reason));
    expect(res.headers.map(([n]) => n)).not.toContain("set-cookie");
  });

  test("allowed characters: token names of every kind, values with tabs, quotes and latin-1 bytes", async () => {
    t = await appFrom(
      http(`
        await send({"type": "http.response.start", "status": 200, "headers": [
            (b"X-Token!#$%&'*+-.^_\`|~09az", b"v"),
            (b"x-tab", b"a\\tb c"),
            (b"x-quote", b'"quoted" ; q=0.5, <x> {y} [z] @=?/\\\\'),
            (b"x-latin1", b"caf\\xe9"),
            (b"x-empty", b""),
        ]})
        await send({"type": "http.response.body", "body": b"ok"})
      `),
    );
    const res = await t.fetch("/");
    expect(res.status).toBe(200);
    expect(res.headers).toEqual([
      ["x-token!#$%&'*+-.^_`|~09az", "v"],
      ["x-tab", "a\tb c"],
      ["x-quote", '"quoted" ; q=0.5, <x> {y} [z] @=?/\\'],
      ["x-latin1", "caf\u00e9"],
      ["x-empty", ""],
    ]);
  });

  test("header names are lowercased, repeated headers stay separate and in order", async () => {
    t = await appFrom(
      http(`
        await send({"type": "http.response.start", "status": 200, "headers": [
            (b"Set-Cookie", b"a=1; Path=/"),
            (b"X-Other", b"between"),
            (b"set-cookie", b"b=2; Path=/"),
            (b"Vary", b"accept"),
            (b"vary", b"cookie"),
        ]})
        await send({"type": "http.response.body", "body": b"ok"})
      `),
    );
    const res = await t.fetch("/");
    expect(res.headers).toEqual([
      ["set-cookie", "a=1; Path=/"],
      ["x-other", "between"],
      ["set-cookie", "b=2; Path=/"],
      ["vary", "accept"],
      ["vary", "cookie"],
    ]);
  });

  test("headers may be lists or tuples, bytes or bytearray", async () => {
    t = await appFrom(
      http(`
        await send({"type": "http.response.start", "status": 201, "headers": [[b"x-a", bytearray(b"1")], (bytearray(b"x-b"), b"2")]})
        await send({"type": "http.response.body", "body": bytearray(b"made")})
      `),
    );
    const res = await t.fetch("/");
    expect(res.status).toBe(201);
    expect(res.headers).toEqual([["x-a", "1"], ["x-b", "2"]]);
    expect(res.text).toBe("made");
  });
});

describe("responses without a body", () => {
  test.each([204, 205, 304])("%i: no body even when the app sends one", async (status) => {
    t = await appFrom(
      http(`
        await send({"type": "http.response.start", "status": ${status}, "headers": [(b"x-s", b"${status}")]})
        await send({"type": "http.response.body", "body": b"should not be sent"})
      `),
    );
    const res = await t.request("/");
    expect(res.status).toBe(status);
    expect(header(res.headers, "x-s")).toBe(String(status));
    expect(res.body).toBeNull();
    expect((await res.done).ok).toBe(true);
  });

  test("HEAD on a streamed response: headers, no body, the app still completes", async () => {
    t = await appFrom(
      http(`
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"10")]})
        await send({"type": "http.response.body", "body": b"01234", "more_body": True})
        await send({"type": "http.response.body", "body": b"56789"})
      `),
    );
    const res = await t.request("/", { method: "HEAD" });
    expect(res.status).toBe(200);
    expect(header(res.headers, "content-length")).toBe("10");
    expect(res.body).toBeNull();
    expect((await res.done).ok).toBe(true);
  });
});

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

