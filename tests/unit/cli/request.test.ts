// `swasgi request` as a user runs it: the real binary (bin/swasgi.js → build/cli/main.mjs,
// rebuilt by tests/unit/globalSetup.ts), raw HTTP/1.1 on stdout checked byte for byte.
import { spawn } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const BIN = path.join(ROOT, "bin/swasgi.js");
const HELLO = path.join(ROOT, "tests/fixtures/apps/hello");

interface Run {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

function swasgi(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString() }));
  });
}

const crlf = (...lines: string[]) => Buffer.from(lines.join("\r\n"), "latin1");

let tmp: string;
/** Writes an app folder under the temp dir; returns its path. */
async function app(name: string, files: Record<string, string | Buffer>): Promise<string> {
  const dir = path.join(tmp, name);
  await mkdir(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) await writeFile(path.join(dir, file), text);
  return dir;
}

/** Answers with what it was asked: method, path, query, the headers named x-*, and the body. */
const ECHO = `
async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    body = b""
    while True:
        m = await receive()
        body += m.get("body", b"")
        if not m.get("more_body"):
            break
    lines = [scope["method"], scope["path"], scope["query_string"].decode(), scope["root_path"] or "(no root_path)"]
    for name, value in scope["headers"]:
        if name.startswith(b"x-") or name in (b"content-type", b"content-length", b"host"):
            lines.append(name.decode() + "=" + value.decode())
    head = ("\\n".join(lines) + "\\n--\\n").encode()
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
    await send({"type": "http.response.body", "body": head + body})
`;

let echo: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), "swasgi-cli-"));
  echo = await app("echo", { "app.py": ECHO });
});
afterAll(() => rm(tmp, { recursive: true, force: true }));

describe("the raw response", () => {
  test("status line, headers, blank line, body: byte for byte", async () => {
    const run = await swasgi(["request", HELLO, "/greet"]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toEqual(crlf("HTTP/1.1 200 OK", "content-type: text/plain", "", "hello from GET /greet (0 bytes)\n"));
  });

  test("repeated headers stay separate lines in order; binary bodies pass unchanged", async () => {
    const dir = await app("cookies", {
      "app.py": `
async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": 201, "headers": [
        (b"Set-Cookie", b"a=1; Path=/"),
        (b"X-Between", b"yes"),
        (b"set-cookie", b"b=2; Path=/; HttpOnly"),
    ]})
    await send({"type": "http.response.body", "body": bytes(range(256)), "more_body": True})
    await send({"type": "http.response.body", "body": b"\\r\\n\\r\\nend"})
`,
    });
    const run = await swasgi(["request", dir, "/"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toEqual(
      Buffer.concat([
        crlf("HTTP/1.1 201 Created", "set-cookie: a=1; Path=/", "x-between: yes", "set-cookie: b=2; Path=/; HttpOnly", "", ""),
        Buffer.from(Array.from({ length: 256 }, (_, i) => i)),
        Buffer.from("\r\n\r\nend"),
      ]),
    );
  });

  test("an error status is still a response: exit 0 with the 500 page", async () => {
    const dir = await app("raises", {
      "app.py": `
async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    raise KeyError("missing thing")
`,
    });
    const run = await swasgi(["request", dir, "/"]);
    expect(run.code).toBe(0);
    const text = run.stdout.toString("latin1");
    expect(text.startsWith("HTTP/1.1 500 Internal Server Error\r\n")).toBe(true);
    expect(text).toContain("\r\nx-swasgi-error: app-exception\r\n");
    expect(text).toContain("KeyError");
    // The page's content-length matches the body that follows the blank line.
    const [head, body] = [text.slice(0, text.indexOf("\r\n\r\n")), text.slice(text.indexOf("\r\n\r\n") + 4)];
    expect(head).toContain(`content-length: ${Buffer.byteLength(body, "latin1")}`);
  });

  test("a response cut short after its head: what arrived, exit 0, the reason on stderr", async () => {
    const dir = await app("cut", {
      "app.py": `
async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": 200})
    await send({"type": "http.response.body", "body": b"partial", "more_body": True})
    raise RuntimeError("boom after start")
`,
    });
    const run = await swasgi(["request", dir, "/"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toEqual(crlf("HTTP/1.1 200 OK", "", "partial"));
    expect(run.stderr).toContain("the response was cut short");
    expect(run.stderr).toContain("RuntimeError: boom after start");
  });

  test("a reader that closes the pipe early (| head) ends the command quietly", async () => {
    const dir = await app("long", {
      "app.py": `
async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": 200})
    for i in range(300):
        await send({"type": "http.response.body", "body": b"line %d;" % i * 500, "more_body": True})
    await send({"type": "http.response.body", "body": b""})
`,
    });
    const result = await new Promise<Run>((resolve, reject) => {
      const child = spawn(process.execPath, [BIN, "request", dir, "/"], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
      const err: Buffer[] = [];
      let got = 0;
      child.stdout.on("data", (chunk: Buffer) => {
        got += chunk.length;
        if (got > 1000) child.stdout.destroy();
      });
      child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
      child.on("error", reject);
      child.on("close", (code) => resolve({ code, stdout: Buffer.alloc(0), stderr: Buffer.concat(err).toString() }));
    });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
  });

  test("HEAD: status and headers, the blank line, no body", async () => {
    const run = await swasgi(["request", HELLO, "/", "-X", "HEAD"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toEqual(crlf("HTTP/1.1 200 OK", "content-type: text/plain", "", ""));
  });
});

describe("request flags", () => {
  test("defaults: GET, a host header, the query string, root_path empty", async () => {
    const run = await swasgi(["request", echo, "/a%20b/c?x=1&y=%C3%A9"]);
    expect(run.stdout).toEqual(crlf("HTTP/1.1 200 OK", "content-type: text/plain", "", "GET\n/a b/c\nx=1&y=%C3%A9\n(no root_path)\nhost=localhost\n--\n"));
  });

  test("-d sends a body: POST, form content type and content-length by default", async () => {
    const run = await swasgi(["request", echo, "/submit", "-d", "title=hi&n=2"]);
    expect(run.code).toBe(0);
    expect(run.stdout.toString()).toBe(
      [
        "HTTP/1.1 200 OK",
        "content-type: text/plain",
        "",
        "POST\n/submit\n\n(no root_path)\nhost=localhost\ncontent-type=application/x-www-form-urlencoded\ncontent-length=12\n--\ntitle=hi&n=2",
      ].join("\r\n"),
    );
  });

  test("-X and repeated -H: method as given, headers in order, own content-type kept", async () => {
    const run = await swasgi([
      "request", echo, "/items/1",
      "-X", "put",
      "-H", "X-One: 1",
      "-H", "Content-Type: application/json",
      "--header", "X-One: again",
      "-H", "X-Spaces:   padded value  ",
      "-d", '{"a": 1}',
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout.toString()).toBe(
      [
        "HTTP/1.1 200 OK",
        "content-type: text/plain",
        "",
        'PUT\n/items/1\n\n(no root_path)\nhost=localhost\nx-one=1\ncontent-type=application/json\nx-one=again\nx-spaces=padded value\ncontent-length=8\n--\n{"a": 1}',
      ].join("\r\n"),
    );
  });

  test("values are sent as typed: -d 007 stays 007, not the number 7", async () => {
    const run = await swasgi(["request", echo, "/n", "-d", "007", "-H", "X-Num: 1e3"]);
    expect(run.stdout.toString()).toContain("\nx-num=1e3\n");
    expect(run.stdout.toString().endsWith("\n--\n007")).toBe(true);
  });

  test("flags given twice: -X and --data-dir keep the last, -d parts are joined with & (as curl)", async () => {
    const run = await swasgi(["request", echo, "/", "-X", "GET", "--request", "PATCH", "-d", "a=1", "--data", "b=2"]);
    expect(run.code).toBe(0);
    expect(run.stdout.toString()).toMatch(/^HTTP\/1\.1 200 OK\r\n[^]*\r\n\r\nPATCH\n[^]*content-length=7\n--\na=1&b=2$/);
  });

  test("-H Host replaces the default host", async () => {
    const run = await swasgi(["request", echo, "/", "-H", "Host: example.test"]);
    expect(run.stdout.toString()).toContain("\nhost=example.test\n--\n");
    expect(run.stdout.toString()).not.toContain("host=localhost");
  });

  test("--data-file sends the file's bytes unchanged (binary too)", async () => {
    const file = path.join(tmp, "payload.bin");
    const payload = Buffer.from([0, 1, 2, 13, 10, 255, 254, 0x80]);
    await writeFile(file, payload);
    const run = await swasgi(["request", echo, "/upload", "--data-file", file, "-H", "Content-Type: application/octet-stream"]);
    expect(run.code).toBe(0);
    const expected = Buffer.concat([
      crlf("HTTP/1.1 200 OK", "content-type: text/plain", "", "POST\n/upload\n\n(no root_path)\nhost=localhost\ncontent-type=application/octet-stream\ncontent-length=8\n--\n"),
      payload,
    ]);
    expect(run.stdout).toEqual(expected);
  });
});

describe("exit 1: the app could not be loaded", () => {
  test("a syntax error names the file and line", async () => {
    const dir = await app("syntax", { "app.py": "import json\n\ndef broken(:\n    pass\n" });
    const run = await swasgi(["request", dir, "/"]);
    expect(run.code).toBe(1);
    expect(run.stdout.length).toBe(0);
    expect(run.stderr).toContain(`${dir}/app.py:3:`);
    expect(run.stderr).toContain("SyntaxError");
    // Reported once.
    expect(run.stderr.split("could not be loaded").length).toBe(2);
  });

  test("an error in an imported module names that module and line", async () => {
    const dir = await app("importerr", { "app.py": "import helper\n", "helper.py": "x = 1\nraise ValueError('bad config')\n" });
    const run = await swasgi(["request", dir, "/"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${dir}/helper.py:2:`);
    expect(run.stderr).toContain("ValueError: bad config");
  });

  test("a missing app callable names the entry file, not swasgi's own bridge", async () => {
    const dir = await app("noapp", { "app.py": "async def application(scope, receive, send):\n    pass\n" });
    const run = await swasgi(["request", dir, "/"]);
    expect(run.code).toBe(1);
    expect(run.stdout.length).toBe(0);
    expect(run.stderr).toContain(`${dir}/app.py:1:`);
    expect(run.stderr).toContain("defines no 'app'");
    expect(run.stderr.split("\n")[0]).not.toContain("_swasgi_bridge");
  });

  test("a folder without app.py, and an invalid swasgi.json", async () => {
    const empty = await app("empty", { "readme.txt": "no app here" });
    const noApp = await swasgi(["request", empty, "/"]);
    expect(noApp.code).toBe(1);
    expect(noApp.stderr).toContain("app.py");
    const badJson = await app("badjson", { "app.py": ECHO, "swasgi.json": "{ nope" });
    const bad = await swasgi(["request", badJson, "/"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("swasgi.json");
  });
});

describe("exit 2: bad usage", () => {
  test.each([
    ["no arguments", [], /no command/],
    ["request without PATH", ["request", "APPDIR"], /missing required args/],
    ["PATH without a leading slash", ["request", "APPDIR", "notes"], /PATH must start with "\/"/],
    ["a malformed -H", ["request", "APPDIR", "/", "-H", "no colon here"], /-H "no colon here"/],
    ["an unknown flag", ["request", "APPDIR", "/", "--bogus"], /bogus/],
    ["an unknown command", ["serve", "APPDIR"], /unknown command "serve"/],
    ["-d with --data-file", ["request", "APPDIR", "/", "-d", "x", "--data-file", "f"], /not both/],
    ["a --timeout-ms that is not a number", ["request", "APPDIR", "/", "--timeout-ms", "soon"], /--timeout-ms/],
    ["a --data-file that does not exist", ["request", "APPDIR", "/", "--data-file", "/nonexistent/file"], /no such file/],
  ])("%s", async (_name, args, message) => {
    const run = await swasgi((args as string[]).map((a) => (a === "APPDIR" ? HELLO : a)));
    expect(run.code).toBe(2);
    expect(run.stdout.length).toBe(0);
    expect(run.stderr).toMatch(message as RegExp);
  });
});

describe("limits and /data", () => {
  test("--timeout-ms 200 with a looping app: a 504 response and exit 0", async () => {
    const dir = await app("loop", {
      "app.py": `
async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    while True:
        pass
`,
    });
    const t0 = performance.now();
    const run = await swasgi(["request", dir, "/", "--timeout-ms", "200"]);
    expect(run.code).toBe(0);
    expect(run.stdout.toString().startsWith("HTTP/1.1 504 Gateway Timeout\r\n")).toBe(true);
    expect(run.stdout.toString()).toContain("x-swasgi-error: timeout");
    expect(performance.now() - t0).toBeLessThan(5000);
  });

  test("--memory-mb caps the app: an unhandled MemoryError is a 500 and exit 0", async () => {
    const dir = await app("hog", {
      "app.py": `
async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    hoard = []
    while True:
        hoard.append(bytearray(1 << 20))
`,
    });
    const run = await swasgi(["request", dir, "/", "--memory-mb", "32"]);
    expect(run.code).toBe(0);
    expect(run.stdout.toString()).toMatch(/^HTTP\/1\.1 500 Internal Server Error\r\n[^]*x-swasgi-error: memory/);
    expect(run.stdout.toString()).toContain("32 MB");
  });

  test("--data-dir persists /data across invocations", async () => {
    const dir = await app("counter", {
      "app.py": `
async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    try:
        with open("/data/count.txt") as f:
            count = int(f.read())
    except OSError:
        count = 0
    count += 1
    with open("/data/count.txt", "w") as f:
        f.write(str(count))
    await send({"type": "http.response.start", "status": 200})
    await send({"type": "http.response.body", "body": b"count=%d" % count})
`,
    });
    const data = path.join(tmp, "counter-data");
    const first = await swasgi(["request", dir, "/", "--data-dir", data]);
    const second = await swasgi(["request", dir, "/", "--data-dir", data]);
    expect(first.stdout).toEqual(crlf("HTTP/1.1 200 OK", "", "count=1"));
    expect(second.stdout).toEqual(crlf("HTTP/1.1 200 OK", "", "count=2"));
    expect(await readFile(path.join(data, "count.txt"), "utf8")).toBe("2");
    // Without --data-dir nothing persists.
    const third = await swasgi(["request", dir, "/"]);
    expect(third.stdout).toEqual(crlf("HTTP/1.1 200 OK", "", "count=1"));
  });

  test("a crash in the interpreter still writes a response: a 500 page, exit 0", async () => {
    const dir = await app("regex-crash", {
      "app.py": `
import re
async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    re.match("(a*)*b", "a" * 20)
`,
    });
    const run = await swasgi(["request", dir, "/"]);
    expect(run.code).toBe(0);
    expect(run.stdout.toString("latin1")).toMatch(/^HTTP\/1\.1 500 Internal Server Error\r\n[^]*x-swasgi-error: crashed\r\n/);
    expect(run.stderr).toContain("crashed");
  });

  test("only a validated head is written: a forged host.start cannot split the response", async () => {
    const dir = await app("forged", {
      "app.py": `
import asyncio
import uctypes
import _swasgi_host as host
async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    blob = b"x-a1\\r\\nInjected: yes\\r\\n\\r\\n<script>"
    for i in range(1, 20):
        host.start(i, 200, "[3, %d]" % (len(blob) - 3), uctypes.addressof(blob), len(blob))
        host.start(i, 999, "[]", 0, 0)
        host.body(i, 0, 0, False)
        host.done(i, "ok", "")
    await asyncio.sleep(0.05)
`,
    });
    const run = await swasgi(["request", dir, "/"]);
    expect(run.code).toBe(0);
    const text = run.stdout.toString("latin1");
    expect(text).toMatch(/^HTTP\/1\.1 500 /);
    expect(text).not.toContain("Injected");
    expect(text).not.toContain("999");
  });
});
