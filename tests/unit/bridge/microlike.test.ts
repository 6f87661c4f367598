// A Microdot-style framework (tests/fixtures/apps/microlike) served unmodified through the
// host: asyncio.ensure_future, `import signal`, urllib.parse and scope["client"] all in use.
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { readAppDir } from "../../../src/cli/readAppDir.ts";
import { AppHost } from "../../../src/host/appHost.ts";
import type { HostRequest } from "../../../src/host/protocol.ts";
import { AppRunner, type LogEntry } from "../../../src/runner/appRunner.ts";
import { loadRuntimeNode } from "../../../src/runner/loadRuntimeNode.ts";

const DIR = fileURLToPath(new URL("../../fixtures/apps/microlike/", import.meta.url));

for (const mount of ["/", "/app/"]) {
  describe(`microlike mounted at ${mount}`, () => {
    let host: AppHost;
    let runner: AppRunner;
    const logs: LogEntry[] = [];
    const root = mount.replace(/\/$/, "");

    beforeAll(async () => {
      const source = await readAppDir(DIR, { mount });
      runner = new AppRunner(source, { runtime: await loadRuntimeNode(), dev: true, onLog: (e) => logs.push(e) });
      host = new AppHost({ dev: true });
      host.mount({ mount, runner });
    });
    afterAll(() => runner.close());

    async function fetch(path: string, init: Partial<Omit<HostRequest, "url">> = {}) {
      const res = await host.request({ url: new URL(root + path, "http://localhost"), method: "GET", headers: [], body: null, ...init });
      if (!res) throw new Error(`nothing mounted at ${path}`);
      const text = res.body ? await new Response(res.body).text() : "";
      return { status: res.status, headers: res.headers, text };
    }
    const get = (headers: [string, string][], name: string) => headers.filter(([n]) => n === name).map(([, v]) => v);

    test("GET / with a query (urllib.parse.parse_qs) and the client address", async () => {
      const res = await fetch("/?name=Ada%20%3Cx%3E");
      expect(res.status).toBe(200);
      expect(get(res.headers, "content-type")).toEqual(["text/html; charset=utf-8"]);
      expect(res.text).toContain("<h1>Hello, Ada &lt;x&gt;!</h1>");
      expect(res.text).toContain("You are 127.0.0.1.");
    });

    test("an async handler with a typed path argument and repeated query values", async () => {
      const res = await fetch("/items/42?tag=a&tag=b%2Bc");
      expect(res.status).toBe(200);
      expect(JSON.parse(res.text)).toEqual({ id: 42, name: "item 42", tags: ["a", "b+c"] });
      expect(get(res.headers, "content-length")).toEqual([String(new TextEncoder().encode(res.text).byteLength)]);
    });

    test("POST a urlencoded form", async () => {
      const res = await fetch("/echo", {
        method: "POST",
        headers: [["Content-Type", "application/x-www-form-urlencoded"]],
        body: new TextEncoder().encode("title=Hello+world&tag=x&tag=%C3%A9"),
      });
      expect(res.status).toBe(200);
      expect(JSON.parse(res.text)).toEqual({
        form: { title: ["Hello world"], tag: ["x", "\u00e9"] },
        json: null,
        content_type: "application/x-www-form-urlencoded",
      });
    });

    test("POST JSON, streamed in pieces", async () => {
      const pieces = ['{"a": ', "[1, 2", ', "\u00fc"]}'].map((p) => new TextEncoder().encode(p));
      const body = new ReadableStream<Uint8Array>({
        pull(c) {
          const next = pieces.shift();
          if (next) c.enqueue(next);
          else c.close();
        },
      });
      const res = await fetch("/echo", { method: "POST", headers: [["content-type", "application/json"]], body });
      expect(JSON.parse(res.text)).toEqual({ form: null, json: { a: [1, 2, "\u00fc"] }, content_type: "application/json" });
    });

    test("a redirect built from root_path stays inside the app", async () => {
      const res = await fetch("/redirect");
      expect(res.status).toBe(302);
      expect(get(res.headers, "location")).toEqual([`${root}/`]);
    });

    test("cookies in, set-cookie out", async () => {
      const res = await fetch("/cookie", { headers: [["Cookie", "visits=2; other=x"]] });
      expect(JSON.parse(res.text)).toEqual({ visits: 3, received: { visits: "2", other: "x" } });
      expect(get(res.headers, "set-cookie")).toEqual(["visits=3; Path=/; Max-Age=3600; HttpOnly; SameSite=Lax"]);
    });

    test("404, 405 with Allow, and HEAD without a body", async () => {
      expect((await fetch("/nope")).status).toBe(404);
      const wrong = await fetch("/echo");
      expect(wrong.status).toBe(405);
      expect(get(wrong.headers, "allow")).toEqual(["POST"]);
      const head = await fetch("/items/1", { method: "HEAD" });
      expect(head.status).toBe(200);
      expect(head.text).toBe("");
    });

    test("its lifespan ran, and nothing was logged as an error", async () => {
      expect(await runner.start()).toBeUndefined();
      expect(logs.filter((e) => e.kind === "output" && e.stream === "stderr")).toEqual([]);
      expect(logs.filter((e) => e.kind === "event" && e.level !== "info")).toEqual([]);
    });
  });
}
