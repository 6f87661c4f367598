// The HTTP scope, ported from uvicorn's test_root_path, test_raw_path, test_scope_* cases and
// hypercorn's scope tests: every key, its type, and paths below the mount.
import { afterEach, describe, expect, test } from "vitest";
import { appFrom, type TestApp } from "./appFrom.ts";

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** Answers with the scope as JSON: bytes become {"bytes": latin-1 text}, tuples {"tuple": [...]}. */
const SCOPE_APP = `
  import json

  def plain(value):
      if isinstance(value, bytes):
          return {"bytes": "".join([chr(b) for b in value])}
      if isinstance(value, tuple):
          return {"tuple": [plain(v) for v in value]}
      if isinstance(value, list):
          return [plain(v) for v in value]
      if isinstance(value, dict):
          return dict((k, plain(v)) for k, v in value.items())
      return value

  async def app(scope, receive, send):
      if scope["type"] != "http":
          return
      types = dict((k, type(v).__name__) for k, v in scope.items())
      body = json.dumps({"scope": plain(scope), "types": types})
      await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"application/json")]})
      await send({"type": "http.response.body", "body": body.encode()})
`;

interface Seen {
  scope: Record<string, unknown>;
  types: Record<string, string>;
}

async function scopeOf(path: string, init: Parameters<TestApp["fetch"]>[1] = {}, mount = "/"): Promise<Seen> {
  t ??= await appFrom(SCOPE_APP, { mount });
  const res = await t.fetch(path, init);
  expect(res.status).toBe(200);
  return JSON.parse(res.text) as Seen;
}

const bytes = (text: string) => ({ bytes: text });

describe("scope keys and types", () => {
  test("every key of an HTTP scope, with the ASGI types", async () => {
    const { scope, types } = await scopeOf("/items/7?x=1", {
      method: "post",
      headers: [["Host", "example.test"], ["X-Custom", "A Value"]],
      body: new TextEncoder().encode("{}"),
    });
    expect(scope).toMatchObject({
      type: "http",
      asgi: { version: "3.0", spec_version: expect.stringMatching(/^2\.\d+$/) },
      http_version: "1.1",
      method: "POST",
      scheme: "http",
      path: "/items/7",
      raw_path: bytes("/items/7"),
      query_string: bytes("x=1"),
      root_path: "",
      headers: [
        [bytes("host"), bytes("example.test")],
        [bytes("x-custom"), bytes("A Value")],
      ],
      client: { tuple: ["127.0.0.1", expect.any(Number)] },
      server: { tuple: ["localhost", 80] },
      state: {},
      extensions: {},
    });
    expect(types).toMatchObject({
      type: "str",
      asgi: "dict",
      http_version: "str",
      method: "str",
      scheme: "str",
      path: "str",
      raw_path: "bytes",
      query_string: "bytes",
      root_path: "str",
      headers: "list",
      client: "tuple",
      server: "tuple",
      state: "dict",
      extensions: "dict",
    });
  });

  test("https and an explicit port reach scheme and server", async () => {
    t = await appFrom(SCOPE_APP);
    const res = await t.host.request({ url: new URL("https://secure.test:8443/p"), method: "GET", headers: [], body: null });
    const { scope } = JSON.parse(await new Response(res!.body).text()) as Seen;
    expect(scope.scheme).toBe("https");
    expect(scope.server).toEqual({ tuple: ["secure.test", 8443] });
  });

  test("an IPv6 host is the bare address in server", async () => {
    t = await appFrom(SCOPE_APP);
    const res = await t.host.request({ url: new URL("http://[::1]:8000/"), method: "GET", headers: [], body: null });
    const { scope } = JSON.parse(await new Response(res!.body).text()) as Seen;
    expect(scope.server).toEqual({ tuple: ["::1", 8000] });
  });

  test("header names are lowercased, values are latin-1 bytes, order and duplicates kept", async () => {
    const { scope } = await scopeOf("/", {
      headers: [
        ["Accept", "text/html"],
        ["Cookie", "a=1"],
        ["X-Latin1", "caf\u00e9"],
        ["cookie", "b=2"],
        ["ACCEPT", "application/json"],
      ],
    });
    expect(scope.headers).toEqual([
      [bytes("accept"), bytes("text/html")],
      [bytes("cookie"), bytes("a=1")],
      [bytes("x-latin1"), bytes("caf\u00e9")],
      [bytes("cookie"), bytes("b=2")],
      [bytes("accept"), bytes("application/json")],
    ]);
  });

  test("the query string is the raw bytes after '?', not decoded", async () => {
    const { scope } = await scopeOf("/search?q=a%20b&tag=x&tag=y&empty=&caf\u00e9=1");
    expect(scope.query_string).toEqual(bytes("q=a%20b&tag=x&tag=y&empty=&caf%C3%A9=1"));
    expect(scope.path).toBe("/search");
  });

  test("no query: empty bytes", async () => {
    const { scope } = await scopeOf("/plain");
    expect(scope.query_string).toEqual(bytes(""));
  });
});

describe("paths", () => {
  test("percent-encoded path: path decoded, raw_path still encoded", async () => {
    const { scope } = await scopeOf("/a%20b/c%3Fd/e%25f");
    expect(scope.path).toBe("/a b/c?d/e%f");
    expect(scope.raw_path).toEqual(bytes("/a%20b/c%3Fd/e%25f"));
  });

  test("UTF-8 paths are decoded to text; raw_path keeps the encoded bytes", async () => {
    const { scope } = await scopeOf("/caf\u00e9/\u65e5\u672c");
    expect(scope.path).toBe("/caf\u00e9/\u65e5\u672c");
    expect(scope.raw_path).toEqual(bytes("/caf%C3%A9/%E6%97%A5%E6%9C%AC"));
  });

  test("a malformed escape is kept as it is", async () => {
    const { scope } = await scopeOf("/100%zz");
    expect(scope.path).toBe("/100%zz");
  });

  test("root_path is the mount without its slash; path and raw_path are below it", async () => {
    const { scope } = await scopeOf("/app/notes/1?full=1", {}, "/app/");
    expect(scope.root_path).toBe("/app");
    expect(scope.path).toBe("/notes/1");
    expect(scope.raw_path).toEqual(bytes("/notes/1"));
    expect(scope.query_string).toEqual(bytes("full=1"));
  });

  test("the mount itself, with and without its trailing slash, is path '/'", async () => {
    const withSlash = await scopeOf("/app/", {}, "/app/");
    expect(withSlash.scope).toMatchObject({ root_path: "/app", path: "/", raw_path: bytes("/") });
    const without = await scopeOf("/app", {}, "/app/");
    expect(without.scope).toMatchObject({ root_path: "/app", path: "/", raw_path: bytes("/") });
  });

  test("encoded and UTF-8 paths below a mount", async () => {
    const { scope } = await scopeOf("/app/a%20b/\u00fc", {}, "/app/");
    expect(scope).toMatchObject({ root_path: "/app", path: "/a b/\u00fc", raw_path: bytes("/a%20b/%C3%BC") });
  });

  test("nothing outside the mount reaches the app", async () => {
    t = await appFrom(SCOPE_APP, { mount: "/app/" });
    expect(await t.host.request({ url: new URL("http://localhost/application"), method: "GET", headers: [], body: null })).toBeUndefined();
    expect(await t.host.request({ url: new URL("http://localhost/"), method: "GET", headers: [], body: null })).toBeUndefined();
  });

  test("a redirect to an app-absolute path is rebased under the mount", async () => {
    t = await appFrom(
      `
      async def app(scope, receive, send):
          if scope["type"] != "http":
              return
          await send({"type": "http.response.start", "status": 303, "headers": [(b"location", b"/done?x=1")]})
          await send({"type": "http.response.body", "body": b""})
      `,
      { mount: "/app/" },
    );
    const res = await t.fetch("/app/form", { method: "POST" });
    expect(res.status).toBe(303);
    expect(res.headers).toEqual([["location", "/app/done?x=1"]]);
  });
});

test("each request gets its own scope: changes an app makes to one do not leak into the next", async () => {
  t = await appFrom(`
    async def app(scope, receive, send):
        if scope["type"] != "http":
            return
        seen = "%s %s" % (scope["state"].get("mark"), scope["extensions"].get("mark"))
        scope["state"]["mark"] = 1
        scope["extensions"]["mark"] = 1
        await send({"type": "http.response.start", "status": 200})
        await send({"type": "http.response.body", "body": seen.encode()})
  `);
  expect((await t.fetch("/")).text).toBe("None None");
  expect((await t.fetch("/")).text).toBe("None None");
});
