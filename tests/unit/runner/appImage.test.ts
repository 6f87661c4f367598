import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";
import { AppHost } from "../../../src/host/appHost.ts";
import { decodeAppImage, encodeAppImage } from "../../../src/runner/appImage.ts";
import { BootImageSlot } from "../../../src/runner/bootImage.ts";
import { appConfig } from "../../../src/runner/appConfig.ts";
import { AppRunner, type AppRunnerOptions } from "../../../src/runner/appRunner.ts";
import { withoutStubFrames } from "../../../src/runner/importStub.ts";
import { loadRuntimeNode } from "../../../src/runner/loadRuntimeNode.ts";

const bytes = (text: string) => new TextEncoder().encode(text);

/** An app that imports in every way the stubs must reproduce, and reports what it saw. */
const FILES = new Map([
  [
    "main.py",
    bytes(`import sys, json, datetime
from pkg import helper
from pkg.sub import deep
import other
import assets
import cyc_a

async def app(scope, receive, send):
    path = scope["path"]
    if path == "/lazy":
        import later
        body = later.VALUE + " " + later.__file__
    elif path == "/broken":
        try:
            import broken
        except ZeroDivisionError:
            pass
        try:
            import broken
            body = "imported"
        except ZeroDivisionError as e:
            body = "again: " + repr(e)
    elif path == "/fail":
        import failing
        body = "unreachable"
    else:
        body = json.dumps([helper.hi(), deep.where(), other.X, __file__, helper.__file__, deep.__name__,
                           str(datetime.date(2024, 2, 29)), hasattr(assets, "__path__"), "pkg.sub.deep" in sys.modules,
                           cyc_a.cyc_b.get()])
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
    await send({"type": "http.response.body", "body": body.encode()})
`),
  ],
  ["pkg/__init__.py", bytes("from . import helper\n")],
  ["pkg/helper.py", bytes("def hi():\n    return 'hi from ' + __name__\n")],
  ["pkg/sub/__init__.py", bytes("")],
  ["pkg/sub/deep.py", bytes("from ..helper import hi\ndef where():\n    return hi() + ' via ' + __name__\n")],
  ["other.py", bytes("X = 42\n")],
  ["cyc_a.py", bytes("import cyc_b\nX = 'circular'\n")],
  ["cyc_b.py", bytes("import cyc_a\ndef get():\n    return cyc_a.X\n")],
  ["later.py", bytes("VALUE = 'later'\n")],
  ["broken.py", bytes("1 / 0\n")],
  ["failing.py", bytes("\n\nraise ValueError('module-level failure')\n")],
  ["never_imported.py", bytes("def (:\n")],
  ["assets/logo.txt", bytes("not python\n")],
]);

async function serve(options: Partial<AppRunnerOptions>, paths: string[]) {
  const log: string[] = [];
  const runner = new AppRunner(
    { config: appConfig("imaged", FILES, { mount: "/", entry: "main:app" }), files: FILES, version: "v1" },
    { runtime: options.runtime ?? (await loadRuntimeNode()), dev: true, ...options, onLog: (entry) => entry.kind === "event" && log.push(entry.message + (entry.detail ?? "")) },
  );
  const host = new AppHost({ dev: true });
  host.mount({ mount: "/", runner });
  const pages: string[] = [];
  for (const path of paths) {
    const response = await host.request({ url: new URL(path, "http://localhost"), method: "GET", headers: [["host", "localhost"]], body: null });
    pages.push(`${response!.status} ${await new Response(response!.body).text()}`);
  }
  await runner.close();
  return { pages, log: log.join("\n") };
}

const PATHS = ["/", "/lazy", "/broken", "/fail"];

test("an app restored from its app image answers as one that compiled its modules at import", async () => {
  const plain = await serve({}, PATHS);
  let saved: Uint8Array | undefined;
  const store = { load: async () => saved, save: (image: Uint8Array) => (saved = image) };
  const first = await serve({ appImages: store }, PATHS);
  expect(saved).toBeDefined();
  const restored = await serve({ appImages: store }, PATHS);
  expect(first.log).not.toMatch(/from the app image/);
  expect(restored.log).toMatch(/from the app image/);

  expect(JSON.parse(plain.pages[0].slice(4))).toEqual([
    "hi from pkg.helper", "hi from pkg.helper via pkg.sub.deep", 42, "main.py", "pkg/helper.py", "pkg.sub.deep", "2024-02-29", true, true, "circular",
  ]);
  for (const run of [first, restored]) expect(run.pages.slice(0, 3)).toEqual(plain.pages.slice(0, 3));
  expect(plain.pages[1]).toBe("200 later later.py");
  expect(plain.pages[2]).toBe("200 again: ZeroDivisionError('divide by zero',)");
  // A module-level error names the app's file and line, with no frame of the import stub.
  for (const run of [plain, first, restored]) {
    expect(run.pages[3]).toMatch(/^500 /);
    expect(run.pages[3]).toContain("failing.py, line 3");
    expect(run.pages[3]).toContain("ValueError: module-level failure");
    expect(run.pages[3]).not.toContain("swasgi import");
  }
});

test("with a collection at every allocation, an app image is taken and restored soundly", { timeout: 120_000 }, async () => {
  const runtime = { ...(await loadRuntimeNode()), bootImages: new BootImageSlot(`stress-${Math.random()}`), gcStress: true };
  let saved: Uint8Array | undefined;
  const store = { load: async () => saved, save: (image: Uint8Array) => (saved = image) };
  const runs = [];
  for (let i = 0; i < 3; i++) runs.push(await serve({ runtime, appImages: store }, PATHS.slice(0, 3)));
  // Its import is pure: the image holds the imported modules too (importedImage.test.ts).
  expect(runs[2].log).toMatch(/from the app image, imported/);
  const plain = await serve({}, PATHS.slice(0, 3));
  for (const run of runs) expect(run.pages).toEqual(plain.pages);
});

test("an image is only restored for the files, runtime and boot image it was taken from", async () => {
  let saved: Uint8Array | undefined;
  await serve({ appImages: { save: (image) => (saved = image) } }, ["/"]);
  const header = JSON.parse(new TextDecoder().decode(saved!.subarray(4, 4 + new DataView(saved!.buffer).getUint32(0, true))));
  const image = decodeAppImage(saved!, header.key)!;
  expect(image.modules).toContain("pkg/sub/deep.mpy");
  expect(image.modules).toContain("assets/");
  expect(image.modules).not.toContain("never_imported.mpy");
  expect(decodeAppImage(saved!, header.key.replace("app=v1", "app=v2"))).toBeUndefined();
  expect(decodeAppImage(encodeAppImage({ ...image, modules: ["../escape.mpy"] }), header.key)).toBeUndefined();
  expect(decodeAppImage(saved!.subarray(0, saved!.length - 1), header.key)).toBeUndefined();
  // Taken over another capture of the boot image: booted without it, and still right.
  const other = encodeAppImage({ ...image, base: "another-capture" });
  const run = await serve({ appImages: { load: async () => other } }, ["/"]);
  expect(run.log).not.toMatch(/from the app image/);
  expect(run.pages[0]).toMatch(/^200 \["hi from pkg.helper"/);
});

test("withoutStubFrames takes out the stub's frames only", () => {
  const traceback = 'Traceback (most recent call last):\n  File "main.py", line 2, in <module>\n  File "<swasgi import>", line 1, in <module>\n  File "failing.py", line 3, in <module>\nValueError: x\n';
  expect(withoutStubFrames(traceback)).toBe('Traceback (most recent call last):\n  File "main.py", line 2, in <module>\n  File "failing.py", line 3, in <module>\nValueError: x\n');
});

test("every example answers the same from its app image as from a plain boot", { timeout: 60_000 }, async () => {
  const { readAppDir } = await import("../../../src/cli/readAppDir.ts");
  const { loadSqliteEngineNode } = await import("../../../src/runner/sqliteEngineNode.ts");
  for (const name of ["hello", "notes", "stream", "api", "todo"]) {
    const source = await readAppDir(fileURLToPath(new URL(`../../../examples/${name}/`, import.meta.url)), { mount: "/" });
    const answers: string[] = [];
    const logs: string[] = [];
    let saved: Uint8Array | undefined;
    // A plain boot, then the boots that take the app image and restore it.
    for (const appImages of [undefined, { load: async () => saved, save: (image: Uint8Array) => (saved = image) }, { load: async () => saved }, { load: async () => saved }]) {
      const runner = new AppRunner({ ...source, version: "v1" }, {
        runtime: await loadRuntimeNode(),
        sqlite: loadSqliteEngineNode,
        appImages,
        onLog: (entry) => entry.kind === "event" && logs.push(entry.message),
      });
      const host = new AppHost({ dev: false });
      host.mount({ mount: "/", runner });
      const response = await host.request({ url: new URL("/", "http://localhost"), method: "GET", headers: [["host", "localhost"]], body: null });
      answers.push(`${response!.status} ${(await new Response(response!.body).text()).replace(/\d{4}-\d\d-\d\d[T ][\d:.]+/g, "<time>").replace(/guest-\d+/g, "guest-<random>")}`);
      await runner.close();
    }
    expect(logs.filter((message) => message.includes("from the app image")), name).toHaveLength(2);
    expect(new Set(answers).size, `${name}: ${answers.map((a) => a.slice(0, 80)).join(" | ")}`).toBe(1);
    expect(answers[0], name).toMatch(/^200 /);
  }
});
