// The dev server over HTTP, without a browser: what the Service Worker and the bootstrap fetch.
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { parseAppSpec } from "../../../src/cli/devApps.ts";
import { type DevServer, SW_CSP, startDevServer } from "../../../src/cli/devServer.ts";
import { unpackAppBundle } from "../../../src/host/appBundle.ts";
import type { SiteManifest } from "../../../src/host/manifest.ts";

let dir: string;
let server: DevServer;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "swasgi-devserver-"));
  await cp("tests/fixtures/apps/web", path.join(dir, "web"), { recursive: true });
  server = await startDevServer({ apps: [{ dir: path.join(dir, "web") }, { dir: "tests/fixtures/apps/peer", mount: "/peer" }], port: 0, watch: false });
});
afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

const get = (p: string, init?: RequestInit) => fetch(new URL(p.slice(1), server.url), init);

describe("swasgi dev server", () => {
  test("parses DIR and DIR=/mount/", () => {
    expect(parseAppSpec("apps/notes")).toEqual({ dir: "apps/notes" });
    expect(parseAppSpec("apps/notes=/n/")).toEqual({ dir: "apps/notes", mount: "/n/" });
    expect(parseAppSpec("a=b")).toEqual({ dir: "a=b" });
  });

  test("serves the manifest and bundles the Service Worker unpacks", async () => {
    const manifest = (await (await get("/swasgi-apps.json")).json()) as SiteManifest;
    expect(manifest.dev).toBe(true);
    expect(manifest.apps.map((a) => [a.name, a.config.mount])).toEqual([["web", "/app/"], ["peer", "/peer/"]]);
    const web = manifest.apps[0];
    const bundle = await get(`/${web.bundle}`);
    expect(bundle.headers.get("content-type")).toBe("application/zip");
    const files = await unpackAppBundle(new Uint8Array(await bundle.arrayBuffer()));
    expect([...files.keys()]).toEqual(["app.py"]);
    expect(new TextDecoder().decode(files.get("app.py"))).toBe(await readFile(path.join(dir, "web/app.py"), "utf8"));
  });

  test("sw.js carries the CSP without unsafe-eval; the runtime is application/wasm", async () => {
    const sw = await get("/sw.js");
    expect(sw.status).toBe(200);
    expect(sw.headers.get("content-type")).toMatch(/^text\/javascript/);
    expect(sw.headers.get("content-security-policy")).toBe(SW_CSP);
    expect(SW_CSP).toContain("'wasm-unsafe-eval'");
    expect(SW_CSP).not.toMatch(/'unsafe-eval'/);
    const wasm = await get("/micropython.wasm");
    expect(wasm.headers.get("content-type")).toBe("application/wasm");
    expect(WebAssembly.validate(new Uint8Array(await wasm.arrayBuffer()))).toBe(true);
    expect((await get("/")).headers.get("content-type")).toMatch(/^text\/html/);
  });

  test("a deep link under a mount gets the bootstrap; elsewhere a plain 404; nothing outside the site", async () => {
    for (const p of ["/app/some/page?x=1", "/app", "/peer/x"]) {
      const res = await get(p);
      expect(res.status).toBe(404);
      expect(await res.text()).toContain('.register("/sw.js", { scope: "/" })');
    }
    const other = await get("/nothing/here");
    expect(other.status).toBe(404);
    expect(await other.text()).toBe("Not found: /nothing/here\n");
    expect((await get("/%2e%2e/package.json")).status).toBe(404);
    expect((await get("/app/form", { method: "POST", body: "x" })).status).toBe(503);
  });

  test("a changed file bumps the version and is announced on /__swasgi/events", async () => {
    const events = await get("/__swasgi/events");
    const reader = events.body!.getReader();
    await reader.read(); // the opening comment
    const web = () => server.manifest().apps.find((app) => app.name === "web")!;
    const before = web().version;
    const file = path.join(dir, "web/app.py");
    await writeFile(file, `${await readFile(file, "utf8")}\n# edited\n`);
    expect(await server.reload("web")).toBe(true);
    expect(await server.reload("web")).toBe(false);
    const after = web().version;
    expect(server.manifest().apps.map((app) => app.name)).toEqual(["web", "peer"]);
    expect(after).not.toBe(before);
    const { value } = await reader.read();
    expect(new TextDecoder().decode(value)).toBe(`event: change\ndata: {"name":"web","mount":"/app/","version":"${after}"}\n\n`);
    await reader.cancel();
  });

  test("refuses two apps with one name, one mount, or a mount over the host page", async () => {
    await expect(startDevServer({ apps: [{ dir: "tests/fixtures/apps/web" }, { dir: path.join(dir, "web"), mount: "/b/" }], port: 0 })).rejects.toThrow(/both named "web"/);
    await expect(startDevServer({ apps: [{ dir: "tests/fixtures/apps/web" }, { dir: "tests/fixtures/apps/peer" }], port: 0 })).rejects.toThrow(/both mounted at \/app\//);
    await expect(startDevServer({ apps: [{ dir: "tests/fixtures/apps/web", mount: "/" }], port: 0 })).rejects.toThrow(/cannot mount an app at \//);
    await expect(startDevServer({ apps: [{ dir: "tests/fixtures/apps/nope" }], port: 0 })).rejects.toThrow(/not a folder/);
  });
});
