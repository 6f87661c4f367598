import { describe, expect, test } from "vitest";
import { requestContext, toHostRequest, toResponse, withDevClient } from "../../../src/host/sw/fetchEvent.ts";
import type { HostResponse } from "../../../src/host/protocol.ts";

const ORIGIN = "http://127.0.0.1:5173";
type Init = Parameters<typeof requestContext>[0];
const req = (init: Partial<Init>): Init => ({ mode: "navigate", credentials: "include", referrer: "", method: "GET", destination: "document", ...init });

describe("requestContext (same-site context for cookies)", () => {
  test("subresources of our own pages are same-site", () => {
    expect(requestContext(req({ mode: "cors", destination: "" }), ORIGIN)).toEqual({ sameSite: "strict", credentials: "include" });
    expect(requestContext(req({ mode: "same-origin", credentials: "omit" }), ORIGIN)).toEqual({ sameSite: "strict", credentials: "omit" });
  });

  test("navigations: ours strict, a cross-site link lax, a cross-site form POST or frame none", () => {
    expect(requestContext(req({ referrer: `${ORIGIN}/app/` }), ORIGIN).sameSite).toBe("strict");
    expect(requestContext(req({ referrer: "https://elsewhere.example/" }), ORIGIN).sameSite).toBe("lax");
    expect(requestContext(req({ referrer: "https://elsewhere.example/", method: "POST" }), ORIGIN).sameSite).toBe("none");
    expect(requestContext(req({ referrer: "https://elsewhere.example/", destination: "iframe" }), ORIGIN).sameSite).toBe("none");
  });

  test("no referrer: a top-level GET is the address bar (strict); a POST is treated as cross-site", () => {
    expect(requestContext(req({}), ORIGIN).sameSite).toBe("strict");
    expect(requestContext(req({ method: "POST" }), ORIGIN).sameSite).toBe("none");
  });
});

describe("toHostRequest", () => {
  test("GET has no body; a POST body is handed on as the stream, not read", async () => {
    const url = new URL(`${ORIGIN}/app/x`);
    const get = await toHostRequest(new Request(url), url, ORIGIN);
    expect(get.body).toBeNull();
    const post = new Request(url, { method: "POST", body: "hello", headers: { "x-a": "1" } });
    const host = await toHostRequest(post, url, ORIGIN);
    expect(host.body).toBeInstanceOf(ReadableStream);
    expect(post.bodyUsed).toBe(false);
    expect(await new Response(host.body as ReadableStream).text()).toBe("hello");
    expect(host.headers).toContainEqual(["x-a", "1"]);
  });
});

describe("toResponse", () => {
  const response = (headers: [string, string][], body: string | null = "ok"): HostResponse => ({
    status: 200,
    headers,
    body: body === null ? null : new Response(body).body,
    done: Promise.resolve({ ok: true, bytes: 2 }),
  });

  test("keeps repeated headers, never passes set-cookie, drops invalid values with a report", async () => {
    const bad: string[] = [];
    const res = toResponse(response([["x-a", "1"], ["x-a", "2"], ["set-cookie", "sid=1"], ["x-bad", "a\u0000b"]]), (name) => bad.push(name));
    expect(res.headers.get("x-a")).toBe("1, 2");
    expect(res.headers.has("set-cookie")).toBe(false);
    expect(bad).toEqual(["x-bad"]);
    expect(await res.text()).toBe("ok");
  });

  test("withDevClient appends the reload script to HTML only, after the last byte", async () => {
    const html = withDevClient(response([["content-type", "text/html"], ["content-length", "2"]]), "/__swasgi/dev.js");
    expect(html.headers).toEqual([["content-type", "text/html"]]);
    expect(await new Response(html.body).text()).toBe('ok\n<script type="module" src="/__swasgi/dev.js"></script>\n');
    const json = response([["content-type", "application/json"]]);
    expect(withDevClient(json, "/x.js")).toBe(json);
  });
});
