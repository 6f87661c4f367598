import { describe, expect, test } from "vitest";
import { readAppDir } from "../../../src/cli/readAppDir.ts";
import { AppHost } from "../../../src/host/appHost.ts";
import { AppRunner } from "../../../src/runner/appRunner.ts";
import { loadRuntimeNode } from "../../../src/runner/loadRuntimeNode.ts";
import { copyTree, fixtureApp, type PySession, startPython } from "./loadLib.ts";

// The fixture app tests/fixtures/apps/microlike, a Microdot-style framework on the compat shims,
// driven through its ASGI __call__ by a hand-written receive/send in Python (no bridge yet).

interface RequestSpec {
  method?: string;
  path: string;
  query?: string;
  headers?: [string, string][];
  body?: string;
}

interface Reply {
  status: number;
  headers: [string, string][];
  body: string;
  /** Every ASGI message type the app sent, in order. */
  types: string[];
}

/** The app loaded into a fresh interpreter, as the host would: lib in /lib, app files in /app. */
async function loadApp(): Promise<PySession> {
  const python = await startPython();
  copyTree(python.py.fs, fixtureApp("microlike"), "/app");
  python.run("from app import app\n");
  return python;
}

/**
 * Runs one HTTP request through `app(scope, receive, send)`. receive() hands over the body,
 * then waits until the response is complete and reports a disconnect, as a server does.
 */
async function request(python: PySession, spec: RequestSpec): Promise<Reply> {
  python.py.fs.writeFile("/tmp/request.json", JSON.stringify(spec));
  python.run(`
import asyncio, json
with open('/tmp/request.json') as f:
    _spec = json.load(f)
_scope = {
    'type': 'http', 'asgi': {'version': '3.0', 'spec_version': '2.3'}, 'http_version': '1.1',
    'method': _spec.get('method', 'GET'), 'scheme': 'http', 'path': _spec['path'],
    'raw_path': _spec['path'].encode(), 'query_string': _spec.get('query', '').encode(),
    'root_path': '', 'headers': [(n.encode(), v.encode()) for n, v in _spec.get('headers', [])],
    'client': ('127.0.0.1', 51000), 'server': ('localhost', 8000),
}
_messages = []
_inbox = [{'type': 'http.request', 'body': _spec.get('body', '').encode(), 'more_body': False}]
_finished = asyncio.Event()
async def _receive():
    if _inbox:
        return _inbox.pop(0)
    await _finished.wait()
    return {'type': 'http.disconnect'}
async def _send(message):
    _messages.append(message)
    if message['type'] == 'http.response.body' and not message.get('more_body', False):
        _finished.set()
_done = []
async def _run():
    try:
        await app(_scope, _receive, _send)
    finally:
        _done.append(True)
asyncio.create_task(_run())
`);
  await python.until("_done");
  const messages = python.json(`
def _text(b):
    return bytes(b).decode()
print(json.dumps([{'type': m['type'], 'status': m.get('status'), 'body': _text(m.get('body', b'')),
                   'headers': [[_text(n), _text(v)] for n, v in m.get('headers', [])]} for m in _messages]))
`) as { type: string; status: number | null; body: string; headers: [string, string][] }[];
  const start = messages.find((m) => m.type === "http.response.start");
  if (!start) throw new Error(`no http.response.start in ${JSON.stringify(messages)}`);
  return {
    status: start.status ?? 0,
    headers: start.headers,
    body: messages.filter((m) => m.type === "http.response.body").map((m) => m.body).join(""),
    types: messages.map((m) => m.type),
  };
}

function header(reply: Reply, name: string): string | undefined {
  return reply.headers.find(([key]) => key === name)?.[1];
}

describe("microlike app over ASGI", () => {
  test("GET / answers HTML naming the client from scope['client']", async () => {
    const python = await loadApp();
    const reply = await request(python, { path: "/", query: "name=%3Cb%3E+Ada" });
    expect(reply.types).toEqual(["http.response.start", "http.response.body"]);
    expect(reply.status).toBe(200);
    expect(header(reply, "content-type")).toBe("text/html; charset=utf-8");
    expect(reply.body).toBe(
      "<!doctype html><title>microlike</title><h1>Hello, &lt;b&gt; Ada!</h1><p>You are 127.0.0.1.</p>",
    );
    expect(header(reply, "content-length")).toBe(String(Buffer.byteLength(reply.body)));
    expect(python.backgroundErrors).toEqual([]);
  });

  test("GET /items/<int:id> answers JSON from an async handler, query args parsed by parse_qs", async () => {
    const python = await loadApp();
    const reply = await request(python, { path: "/items/7", query: "tag=a&tag=b%20c&tag=%E2%82%AC" });
    expect(reply.status).toBe(200);
    expect(header(reply, "content-type")).toBe("application/json");
    expect(JSON.parse(reply.body)).toEqual({ id: 7, name: "item 7", tags: ["a", "b c", "€"] });
  });

  test("POST /echo echoes a urlencoded form", async () => {
    const python = await loadApp();
    const body = "a=1&b=x+y&a=%C3%A9&empty=";
    const reply = await request(python, {
      method: "POST",
      path: "/echo",
      headers: [["content-type", "application/x-www-form-urlencoded"], ["content-length", String(body.length)]],
      body,
    });
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toEqual({
      form: { a: ["1", "é"], b: ["x y"], empty: [""] },
      json: null,
      content_type: "application/x-www-form-urlencoded",
    });
  });

  test("POST /echo echoes a JSON body", async () => {
    const python = await loadApp();
    const reply = await request(python, {
      method: "POST",
      path: "/echo",
      headers: [["Content-Type", "application/json; charset=utf-8"]],
      body: JSON.stringify({ n: [1, 2.5, null, true], s: "ü" }),
    });
    expect(JSON.parse(reply.body)).toEqual({ form: null, json: { n: [1, 2.5, null, true], s: "ü" }, content_type: "application/json" });
  });

  test("GET /redirect answers 302 to / (the app's root: root_path is '' here)", async () => {
    const python = await loadApp();
    const reply = await request(python, { path: "/redirect" });
    expect(reply.status).toBe(302);
    expect(header(reply, "location")).toBe("/");
    expect(reply.body).toBe("");
  });

  test("GET /cookie reads the Cookie header and sets a cookie", async () => {
    const python = await loadApp();
    const reply = await request(python, { path: "/cookie", headers: [["cookie", "visits=2; theme=dark"]] });
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toEqual({ visits: 3, received: { visits: "2", theme: "dark" } });
    expect(reply.headers.filter(([name]) => name === "set-cookie")).toEqual([
      ["set-cookie", "visits=3; Path=/; Max-Age=3600; HttpOnly; SameSite=Lax"],
    ]);
  });

  test("unknown paths answer 404, a wrong method 405 with Allow", async () => {
    const python = await loadApp();
    expect((await request(python, { path: "/items/abc" })).status).toBe(404);
    const reply = await request(python, { method: "DELETE", path: "/items/1" });
    expect(reply.status).toBe(405);
    expect(header(reply, "allow")).toBe("GET");
  });

  test("HEAD answers the GET headers without a body", async () => {
    const python = await loadApp();
    const reply = await request(python, { method: "HEAD", path: "/" });
    expect(reply.status).toBe(200);
    expect(header(reply, "content-type")).toBe("text/html; charset=utf-8");
    expect(reply.body).toBe("");
  });

  test("the app ran on the shims: signal handler installed, disconnect watcher cancelled", async () => {
    const python = await loadApp();
    await request(python, { path: "/" });
    expect(python.run(`
import signal
print(app.previous_sigterm == signal.SIG_DFL, signal.getsignal(signal.SIGTERM) == app._on_sigterm)
`)).toBe("True True\n");
    // The watcher waits in receive() until the response is complete; then it is cancelled or done.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(python.backgroundErrors).toEqual([]);
  });

  test("lifespan startup and shutdown", async () => {
    const python = await loadApp();
    python.run(`
import asyncio
_events = [{'type': 'lifespan.startup'}, {'type': 'lifespan.shutdown'}]
_sent = []
_done = []
async def _receive():
    await asyncio.sleep(0)
    return _events.pop(0)
async def _send(message):
    _sent.append(message['type'])
async def _run():
    await app({'type': 'lifespan', 'asgi': {'version': '3.0'}}, _receive, _send)
    _done.append(True)
asyncio.create_task(_run())
`);
    await python.until("_done");
    expect(python.run("print(_sent)\n")).toBe("['lifespan.startup.complete', 'lifespan.shutdown.complete']\n");
  });
});

/** A multipart/form-data body with one file field, as a browser sends it. */
function multipart(content: string): { contentType: string; body: string } {
  const boundary = "----swasgiBoundary7MA4YWxk";
  const body = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="notes.txt"\r\n` +
    `Content-Type: text/plain\r\n\r\n${content}\r\n--${boundary}--\r\n`;
  return { contentType: `multipart/form-data; boundary=${boundary}`, body };
}

describe("Microdot's patterns (issue 12, item 7)", () => {
  test("an upload above 1 KB goes through a temporary file (open 'x+b', then e.errno == 2 → 'w+b')", async () => {
    const python = await loadApp();
    const content = "0123456789abcdef".repeat(200); // 3200 bytes
    const { contentType, body } = multipart(content);
    const reply = await request(python, { method: "POST", path: "/upload", headers: [["Content-Type", contentType]], body });
    expect(reply.status).toBe(200);
    // md5 as CPython: hashlib.md5(("0123456789abcdef" * 200).encode()).hexdigest()
    expect(JSON.parse(reply.body)).toEqual({ filename: "notes.txt", size: 3200, where: "file", md5: "133722a9a239630f27c27a966b46fb51" });
    expect(python.run("import os\nprint([n for n in os.listdir('/app') if len(n) == 12 and n.isalpha()])\n")).toBe("[]\n");
  });

  test("the test-client pattern: asyncio.get_event_loop().run_until_complete(client.get(...)) from sync code", async () => {
    const python = await loadApp();
    expect(python.run(`
import asyncio, json
from microlike import TestClient
client = TestClient(app)
status, body = asyncio.get_event_loop().run_until_complete(client.get('/items/7?tag=a'))
print(status, json.loads(body) == {'id': 7, 'name': 'item 7', 'tags': ['a']})
status, body = asyncio.get_event_loop().run_until_complete(client.get('/nope'))
print(status)
`)).toBe("200 True\n404\n");
  });

  test("end to end through the host: an upload, and the test client inside a handler", async () => {
    const source = await readAppDir(fixtureApp("microlike"), { mount: "/" });
    const runner = new AppRunner(source, { runtime: await loadRuntimeNode() });
    const host = new AppHost({ dev: true });
    host.mount({ mount: "/", runner });
    const { contentType, body } = multipart("x".repeat(1500));
    const bytes = new TextEncoder().encode(body);
    const response = await host.request({
      url: new URL("http://localhost/upload"),
      method: "POST",
      headers: [["host", "localhost"], ["content-type", contentType], ["content-length", String(bytes.byteLength)]],
      body: bytes,
    });
    expect(response?.status).toBe(200);
    expect(JSON.parse(await new Response(response!.body).text())).toMatchObject({ size: 1500, where: "file" });
    const selftest = await host.request({ url: new URL("http://localhost/selftest"), method: "GET", headers: [["host", "localhost"]], body: null });
    const inner = JSON.parse(await new Response(selftest!.body).text()) as { status: number; body: string };
    expect(inner.status).toBe(200);
    expect(JSON.parse(inner.body)).toEqual({ id: 5, name: "item 5", tags: [] });
    await runner.close();
  });
});
