// sw.js embeds only the boot files of swasgi's Python (src/python/index.ts); the rest, the
// library, reaches only apps that import it. Booting must therefore import nothing of the
// library, and an app that imports a library module gets all of it in the Service Worker too.
import { expect, test } from "vitest";
import { BOOT_FILES } from "../../../src/python/bootFiles.ts";
import { importedModules } from "../../../src/python/importedModules.ts";
import { pythonLib } from "../../../src/python/index.ts";
import frozen from "../../../build/runtime/frozen.json";
import { FROZEN_PATCH, libraryFor, libraryModules, parseLibraryJson } from "../../../src/python/library.ts";
import { FROZEN_LIBRARY_MODULES, LIBRARY_MODULES } from "../../../src/python/libraryModules.ts";
import { libraryNode, librarySources } from "../../../src/python/libraryNode.ts";
import { compatHint } from "../../../src/runner/compatHints.ts";
import { AppRunner } from "../../../src/runner/appRunner.ts";
import { loadRuntimeNode } from "../../../src/runner/loadRuntimeNode.ts";
import { appConfig } from "../../../src/runner/appConfig.ts";

const bytes = (text: string) => new TextEncoder().encode(text);

test("the boot files embedded in sw.js are the ones bootFiles.ts names (the build splits on that list)", () => {
  expect([...pythonLib.keys()].sort()).toEqual([...BOOT_FILES].sort());
  for (const path of librarySources.keys()) expect(BOOT_FILES).not.toContain(path);
});

test("an app boots and answers with the boot files alone: booting imports nothing of the library", async () => {
  const runtime = { ...(await loadRuntimeNode()), library: undefined, bootImages: undefined };
  const source = `
import sys
async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    lib = sorted(m for m in sys.modules if m not in ("app",))
    await send({"type": "http.response.start", "status": 200})
    await send({"type": "http.response.body", "body": repr(lib).encode()})
`;
  const files = new Map([["app.py", bytes(source)]]);
  const runner = new AppRunner({ files, config: appConfig("boot", files, {}) }, { runtime });
  const reply = await runner.request({
    scope: { type: "http", http_version: "1.1", method: "GET", scheme: "http", path: "/", raw_path: "/", query_string: "", root_path: "", headers: [], client: ["127.0.0.1", 1], server: ["localhost", 80] },
    body: null,
  });
  expect(reply.kind).toBe("response");
  const text = reply.kind === "response" ? await new Response(reply.body).text() : "";
  await runner.close();
  const library = libraryModules(await libraryNode(new Set(["csv"])));
  const loaded = text.replace(/[[\]' ]/g, "").split(",");
  expect(loaded.filter((name) => library.has(name.split(".")[0]))).toEqual([]);
});

test("imports are read from the source: plain, dotted, aliased, listed, indented and from-imports", () => {
  const files = new Map([
    ["app.py", bytes("import os.path, csv as c\nfrom json import dumps\n  import dataclasses\nfrom . import sibling\nx = 'import notamodule'\n")],
    ["static/readme.txt", bytes("import uuid\n")],
  ]);
  expect([...importedModules(files)].sort()).toEqual(["csv", "dataclasses", "json", "os"]);
});

test("an app that imports no library module gets none of it; one that imports any gets all", async () => {
  const library = await libraryNode(new Set(["csv"]));
  expect(library.has(FROZEN_PATCH)).toBe(true);
  // Boot modules, and `time`, whose frozen original a boot file stands in front of.
  expect(libraryFor(library, new Set(["json", "asyncio", "time", "io", "app_helpers"])).size).toBe(0);
  expect(libraryFor(library, new Set(["dataclasses"])).size).toBe(library.size);
  expect(libraryFor(library, new Set(["urllib"])).size).toBe(library.size);
  // A frozen module the shipped wasm leaves out brings the library, and with it the patch.
  expect(libraryFor(library, new Set(["base64"])).get(FROZEN_PATCH)).toBe(library.get(FROZEN_PATCH));
});

test("the library file a site ships is checked: no path outside /lib, sources only", () => {
  expect([...parseLibraryJson('{"csv.py": "x = 1", "urllib/parse.py": ""}').keys()]).toEqual(["csv.py", "urllib/parse.py"]);
  expect(() => parseLibraryJson('{"../app/app.py": ""}')).toThrow(/bad entry/);
  expect(() => parseLibraryJson('{"csv.py": 1}')).toThrow(/bad entry/);
  expect(() => parseLibraryJson("[]")).toThrow(/bad entry|not a JSON object/);
  // The frozen module patch travels as base64; a malformed one is refused by what is wrong.
  const patch = Buffer.from(frozen.patch, "base64");
  expect(parseLibraryJson(JSON.stringify({ [FROZEN_PATCH]: frozen.patch })).get(FROZEN_PATCH)).toEqual(new Uint8Array(patch));
  expect(() => parseLibraryJson(JSON.stringify({ [FROZEN_PATCH]: "AAAA" }))).toThrow(/frozen module patch: not a patch/);
  expect(() => parseLibraryJson(JSON.stringify({ [FROZEN_PATCH]: patch.subarray(0, patch.length - 1).toString("base64") }))).toThrow(/frozen module patch: truncated/);
});

test("sw.js's list of library modules is the library's, and an unseen import of one gets a hint", async () => {
  const library = libraryModules(await libraryNode(new Set(["csv"])));
  expect([...new Set([...LIBRARY_MODULES, ...FROZEN_LIBRARY_MODULES])].sort()).toEqual([...library].sort());
  expect(compatHint("ImportError: no module named 'base64'")).toMatch(/write `import base64` in one of the app's \.py files/);
  expect(compatHint("ImportError: no module named 'dataclasses'")).toMatch(/write `import dataclasses` in one of the app's \.py files/);
  expect(compatHint("ImportError: no module named 'urllib.parse'")).toMatch(/import urllib/);
});
