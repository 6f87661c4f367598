// `swasgi build` as a user runs it (the real binary): what it writes, what it prints, and how
// it refuses bad input. The site working in a browser is tests/e2e/build.e2e.test.ts.
import { createHash } from "node:crypto";
import { spawn } from "node:child_process";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { unpackAppBundle } from "../../../src/host/appBundle.ts";
import { BUILD_GLOBAL, type SiteBuild, type SiteManifest } from "../../../src/host/manifest.ts";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const BIN = path.join(ROOT, "bin/swasgi.js");

function swasgi(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), "swasgi-build-"));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

async function app(name: string, files: Record<string, string>): Promise<string> {
  const dir = path.join(tmp, name);
  await mkdir(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) await writeFile(path.join(dir, file), text);
  return dir;
}

async function files(dir: string, prefix = ""): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) found.push(...(await files(path.join(dir, entry.name), `${prefix}${entry.name}/`)));
    else found.push(`${prefix}${entry.name}`);
  }
  return found.sort();
}

/** The build a built sw.js carries in its first line. */
async function buildOf(out: string): Promise<SiteBuild> {
  const first = (await readFile(path.join(out, "sw.js"), "utf8")).split("\n", 1)[0];
  const match = new RegExp(`^globalThis\\.${BUILD_GLOBAL} = (.*);$`).exec(first);
  expect(match, first.slice(0, 80)).not.toBeNull();
  return JSON.parse(match![1]) as SiteBuild;
}

describe("swasgi build", () => {
  test("writes the site: host page, worker, runtime, manifest (dev false), one bundle per app, 404.html for the base", async () => {
    const out = path.join(tmp, "dist");
    const run = await swasgi(["build", "examples/hello", "examples/notes=/notes/", "--out", out, "--base", "/repo"]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const list = await files(out);
    // notes imports os, random and urllib.parse: the site ships swasgi's Python library.
    expect(list.filter((f) => !f.startsWith("assets/"))).toEqual([
      "404.html", "index.html", "micropython.wasm", "sw.js", "swasgi-apps.json", "swasgi-apps/hello.zip", "swasgi-apps/notes.zip", "swasgi-pylib.json",
    ]);
    expect(list.some((f) => /^assets\/index-[\w-]+\.js$/.test(f))).toBe(true);

    const manifest = JSON.parse(await readFile(path.join(out, "swasgi-apps.json"), "utf8")) as SiteManifest;
    expect(manifest.dev).toBe(false);
    expect(manifest.apps.map((a) => [a.name, a.config.mount, a.bundle])).toEqual([
      ["hello", "/app/", `swasgi-apps/hello.zip?v=${manifest.apps[0].version}`],
      ["notes", "/notes/", `swasgi-apps/notes.zip?v=${manifest.apps[1].version}`],
    ]);
    const notes = await unpackAppBundle(new Uint8Array(await readFile(path.join(out, "swasgi-apps/notes.zip"))));
    expect([...notes.keys()].sort()).toEqual(["app.py", "static/notes.css", "static/notes.js"]);

    // sw.js names every file to cache offline, with hashes that match what was written.
    const build = await buildOf(out);
    expect(build.id).toBe(manifest.build);
    expect(build.files.map((f) => f.path)).toEqual(list.filter((f) => f !== "sw.js" && f !== "404.html"));
    for (const file of build.files) {
      expect(createHash("sha256").update(await readFile(path.join(out, file.path))).digest("hex"), file.path).toBe(file.sha256);
    }
    const notFound = await readFile(path.join(out, "404.html"), "utf8");
    expect(notFound).toContain('sw.register("/repo/sw.js", { scope: "/repo/" })');
    expect(notFound).toContain('const scope = "/repo/";');
    expect(notFound).toContain('const mounts = ["/repo/app/","/repo/notes/"];');

    expect(run.stdout).toContain(`swasgi build: wrote ${out}/ (build ${build.id}, ${list.length} files,`);
    expect(run.stdout).toMatch(/swasgi-apps\/hello\.zip +\d+ B {2}hello at \/repo\/app\/\n/);
    expect(run.stdout).toMatch(/swasgi-apps\/notes\.zip +[\d.]+ KB {2}notes at \/repo\/notes\/\n/);
    expect(run.stdout).toContain("serves it at /repo/");
  });

  test("a rebuild into the same folder: same input, same build; a changed app, a new build; stale files go, others stay", async () => {
    const one = await app("one", { "app.py": "async def app(s, r, send):\n    pass\n" });
    const two = await app("two", { "app.py": "async def app(s, r, send):\n    pass\n" });
    const out = path.join(tmp, "rebuild");
    expect((await swasgi(["build", one, `${two}=/two/`, "--out", out])).code).toBe(0);
    const first = await buildOf(out);
    await writeFile(path.join(out, "CNAME"), "example.org\n");
    expect((await swasgi(["build", one, `${two}=/two/`, "--out", out])).code).toBe(0);
    expect((await buildOf(out)).id).toBe(first.id);

    await writeFile(path.join(one, "app.py"), "async def app(s, r, send):\n    return None\n");
    expect((await swasgi(["build", one, "--out", out])).code).toBe(0);
    const second = await buildOf(out);
    expect(second.id).not.toBe(first.id);
    const list = await files(out);
    expect(list).not.toContain("swasgi-apps/two.zip");
    expect(list).toContain("CNAME");
    expect(list.filter((f) => f.startsWith("swasgi-apps/"))).toEqual(["swasgi-apps/one.zip"]);
  });

  test("bad usage exits 2 with a message that says what to do", async () => {
    const file = path.join(tmp, "a-file");
    await writeFile(file, "x");
    const foreign = path.join(tmp, "foreign");
    await mkdir(foreign, { recursive: true });
    await writeFile(path.join(foreign, "thesis.tex"), "precious");
    const cases: [string[], RegExp][] = [
      [["build"], /give at least one app folder/],
      [["build", "examples/hello", "--base", "repo/"], /--base expects the URL path the site is served under, like \/ or \/myrepo\/, got "repo\/"/],
      [["build", "examples/hello", "--base", "/a/../b/"], /--base expects/],
      [["build", "examples/hello", "--out", file], /--out .*a-file: is a file, not a folder/],
      [["build", "examples/hello", "--out", foreign], /the folder is not empty and holds no earlier swasgi build \(no swasgi-apps\.json\); pick an empty or new folder/],
      [["build", "examples/hello", "examples/api"], /both mounted at \/app\//],
      [["build", "examples/hello=/"], /cannot mount an app at \//],
    ];
    for (const [args, message] of cases) {
      const run = await swasgi(args);
      expect(run.code, args.join(" ")).toBe(2);
      expect(run.stderr, args.join(" ")).toMatch(message);
    }
    expect(await readFile(path.join(foreign, "thesis.tex"), "utf8")).toBe("precious");
  });

  test("an app that cannot load fails the build (exit 1) naming the file, and writes nothing", async () => {
    const broken = await app("broken", { "app.py": "async def app(scope, receive, send):\n    return (\n" });
    const config = await app("config", { "app.py": "app = None\n", "swasgi.json": '{"mount": 5}' });
    const noApp = await app("noapp", { "app.py": "x = 1\n" });
    const out = path.join(tmp, "never");
    const cases: [string, RegExp][] = [
      [path.join(tmp, "missing"), /missing: not a folder/],
      [broken, /broken\/app\.py:\d+: .*SyntaxError/],
      [config, /config\/swasgi\.json: "mount" must be a URL path/],
      [noApp, /noapp\/app\.py.*app/],
    ];
    for (const [dir, message] of cases) {
      const run = await swasgi(["build", dir, "--out", out]);
      expect(run.code, dir).toBe(1);
      expect(run.stderr, dir).toMatch(message);
    }
    expect(await stat(out).catch(() => undefined)).toBeUndefined();
  });

  test("the example folder builds as documented in the README", async () => {
    const out = path.join(tmp, "readme");
    await cp("examples/notes", path.join(tmp, "myapp"), { recursive: true });
    const run = await swasgi(["build", path.join(tmp, "myapp"), "--base", "/myrepo/", "--out", out]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("myapp at /myrepo/app/");
  });
});
