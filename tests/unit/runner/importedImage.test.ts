import { expect, test } from "vitest";
import { AppHost } from "../../../src/host/appHost.ts";
import { decodeAppImage, encodeAppImage } from "../../../src/runner/appImage.ts";
import { BootImageSlot } from "../../../src/runner/bootImage.ts";
import { appConfig } from "../../../src/runner/appConfig.ts";
import { AppRunner } from "../../../src/runner/appRunner.ts";
import { loadRuntimeNode } from "../../../src/runner/loadRuntimeNode.ts";
import type { SqliteEngineLoader } from "../../../src/runner/sqliteEngine.ts";
import { loadSqliteEngineNode } from "../../../src/runner/sqliteEngineNode.ts";
import { MemoryStore } from "../../../src/store/protocol.ts";

// An app whose import did nothing a later start must see again is kept after its import (an
// "imported" app image): later starts restore it and skip the import. These tests play a
// Service Worker's successive starts: one boot image slot, one stored app image, one /data.

const bytes = (text: string) => new TextEncoder().encode(text);

const HANDLER = `
async def app(scope, receive, send):
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                STARTUPS.append(1)
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    if scope["type"] != "http":
        return
    if scope["method"] == "POST":
        with open("/data/flag", "w") as f:
            f.write("set")
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
    await send({"type": "http.response.body", "body": str(answer(scope["path"])).encode()})
`;

/** Boots `files` `count` times in a row, as successive worker starts, and asks each for `paths`. */
async function starts(files: Map<string, Uint8Array>, count: number, paths: string[] | ((start: number) => string[]), options: { dev?: boolean; sqlite?: (start: number) => SqliteEngineLoader } = {}) {
  const runtime = { ...(await loadRuntimeNode()), bootImages: new BootImageSlot(`imported-${Math.random()}`) };
  const store = new MemoryStore();
  let saved: Uint8Array | undefined;
  const runs: { how: string; pages: string[]; output: string[]; log: string[] }[] = [];
  for (let i = 0; i < count; i++) {
    const run = { how: "", pages: [] as string[], output: [] as string[], log: [] as string[] };
    const runner = new AppRunner(
      { config: appConfig("imp", files, { mount: "/", entry: "main:app" }), files, version: "v1" },
      {
        runtime,
        store,
        dev: options.dev,
        sqlite: options.sqlite?.(i) ?? loadSqliteEngineNode,
        appImages: { load: async () => saved, save: (image) => (saved = image) },
        onLog: (entry) => {
          if (entry.kind === "output") run.output.push(entry.text);
          else {
            run.log.push(entry.message);
            const ready = /interpreter ready in \d+ ms(.*)/.exec(entry.message);
            if (ready) run.how = ready[1].trim() || "(booted)";
          }
        },
      },
    );
    const host = new AppHost({ dev: false });
    host.mount({ mount: "/", runner });
    for (const path of typeof paths === "function" ? paths(i) : paths) {
      const [method, url] = path.includes(" ") ? path.split(" ") : ["GET", path];
      const response = await host.request({ url: new URL(url, "http://localhost"), method, headers: [["host", "localhost"]], body: null });
      run.pages.push(`${response!.status} ${await new Response(response!.body).text()}`);
    }
    await runner.close();
    runs.push(run);
  }
  return { runs, saved };
}

const IMPORTED = "(from the app image, imported)";
const COMPILED = "(from the app image)";

test("a pure import is kept: later starts restore the imported app, run its lifespan and answer alike", async () => {
  const files = new Map([
    [
      "main.py",
      bytes(`import json, random, logging, collections
from registry import ROUTES, route
import views
STARTUPS = []
SQUARES = {i: i * i for i in range(50)}
def answer(path):
    if path == "/lazy":
        import later
        return later.VALUE
    if path == "/random":
        return random.getrandbits(30)
    return json.dumps([ROUTES[path](), SQUARES[7], len(STARTUPS), views.__name__])
${HANDLER}`),
    ],
    ["registry.py", bytes("ROUTES = {}\ndef route(path):\n    def add(fn):\n        ROUTES[path] = fn\n        return fn\n    return add\n")],
    ["views.py", bytes("from registry import route\n@route('/')\ndef home():\n    return 'home'\n")],
    ["later.py", bytes("VALUE = 'imported at a request'\n")],
  ]);
  const { runs, saved } = await starts(files, 4, ["/", "/lazy", "/random"]);
  expect(runs.map((run) => run.how)).toEqual(["(booted)", "(from the boot image)", IMPORTED, IMPORTED]);
  expect(decodeAppImage(saved!, JSON.parse(new TextDecoder().decode(saved!.subarray(4, 4 + new DataView(saved!.buffer).getUint32(0, true)))).key)?.imported).toBe(true);
  for (const run of runs) {
    // Decorators ran, the lifespan startup ran once in this interpreter, a later import works.
    expect(run.pages.slice(0, 2)).toEqual(['200 ["home", 49, 1, "views"]', "200 imported at a request"]);
  }
  // The generator is seeded afresh in every interpreter, the restored ones too.
  const draws = runs.map((run) => run.pages[2]);
  expect(new Set(draws).size).toBe(draws.length);
});

const distinct = (pick: (run: Run) => string) => (runs: Run[]) => expect(new Set(runs.map(pick)).size).toBe(runs.length);

test.each([
  ["randomness", "import os\nTOKEN = os.urandom(8).hex()\n", distinct((run) => run.pages[0])],
  ["a draw from random", "import random\nTOKEN = random.getrandbits(30)\n", distinct((run) => run.pages[0])],
  ["the clock", "import time\nTOKEN = time.time_ns()\n", undefined],
  ["output", "print('starting up')\nTOKEN = 1\n", (runs: Run[]) => expect(runs.map((run) => run.output.join(""))).toEqual(Array(runs.length).fill("starting up"))],
  // The third start sets the flag: the fourth must see it, not what the second (captured) saw.
  ["a read of /data", "import os\nTOKEN = os.path.exists('/data/flag')\n", (runs: Run[]) => expect(runs.map((run) => run.pages[0])).toEqual(["200 False", "200 False", "200 False", "200 True"])],
  ["a file written", "with open('/tmp/started', 'w') as f:\n    f.write('x')\nTOKEN = 1\n", undefined],
  ["a timer", "import asyncio\nasync def tick():\n    pass\nTASK = asyncio.create_task(tick())\nTOKEN = 1\n", undefined],
  ["a database opened", "import sqlite3\nDB = sqlite3.connect(':memory:')\nTOKEN = DB.execute('select 1').fetchone()[0]\n", undefined],
])("an import that uses %s runs at every start", async (_what, top, check) => {
  const files = new Map([["main.py", bytes(`${top}STARTUPS = []\ndef answer(path):\n    return TOKEN\n${HANDLER}`)]]);
  const { runs } = await starts(files, 4, (i) => (i === 2 ? ["/", "POST /"] : ["/"]));
  expect(runs.map((run) => run.how)).toEqual(["(booted)", "(from the boot image)", COMPILED, COMPILED]);
  for (const run of runs) expect(run.pages[0]).toMatch(/^200 /);
  // What each start sees is its own: the host's bytes, the app's print, /data as it is now.
  check?.(runs);
});
type Run = Awaited<ReturnType<typeof starts>>["runs"][number];

test("an import cut short by its time limit runs at every start", { timeout: 30_000 }, async () => {
  const top = "import time\ntry:\n    while True:\n        pass\nexcept KeyboardInterrupt:\n    TOKEN = 'interrupted'\n";
  const files = new Map([
    ["main.py", bytes(`${top}STARTUPS = []\ndef answer(path):\n    return TOKEN\n${HANDLER}`)],
    ["swasgi.json", bytes('{"timeoutMs": 300}')],
  ]);
  const { runs } = await starts(files, 3, ["/"], { dev: true });
  expect(runs.map((run) => run.pages[0])).toEqual(["200 interrupted", "200 interrupted", "200 interrupted"]);
  expect(runs[2].how).toBe(COMPILED);
  expect(runs[1].log.join("\n")).toContain("it used the time limit");
});

test("in dev mode the log says why an import runs at every start", async () => {
  const files = new Map([["main.py", bytes(`import time\nT = time.time()\nSTARTUPS = []\ndef answer(path):\n    return 1\n${HANDLER}`)]]);
  const { runs } = await starts(files, 2, ["/"], { dev: true });
  expect(runs[1].log.join("\n")).toContain("its import runs at every start (it used clock)");
});

test("an imported image is kept apart by entry and mode, and decoded strictly", async () => {
  const files = new Map([["main.py", bytes(`STARTUPS = []\ndef answer(path):\n    return 1\n${HANDLER}`)]]);
  const { saved } = await starts(files, 2, ["/"]);
  const key = JSON.parse(new TextDecoder().decode(saved!.subarray(4, 4 + new DataView(saved!.buffer).getUint32(0, true)))).key as string;
  expect(key).toContain(";entry=main:app;dev=false");
  const image = decodeAppImage(saved!, key)!;
  expect(image.imported).toBe(true);
  expect(image.refs).toContainEqual(["_swasgi_host", "register"]);
  expect(decodeAppImage(saved!, key.replace("dev=false", "dev=true"))).toBeUndefined();
  expect(decodeAppImage(encodeAppImage({ ...image, refs: [["_swasgi_host", "register", "x"]] }), key)).toBeUndefined();
  expect(decodeAppImage(encodeAppImage({ ...image, refs: [[1 as unknown as string]] }), key)).toBeUndefined();
});

test("importing any module of swasgi's library keeps an app's import pure", { timeout: 60_000 }, async () => {
  // swasgi's own modules (src/python/lib) and the runtime's frozen ones: none may read the clock,
  // draw randomness or call the host at import, or every app importing it would lose the image.
  const { readdirSync } = await import("node:fs");
  const lib = readdirSync(new URL("../../../src/python/lib/", import.meta.url), { withFileTypes: true })
    .filter((entry) => !entry.name.startsWith("_swasgi") && !entry.name.startsWith("_sqlite"))
    .map((entry) => (entry.isDirectory() ? entry.name : entry.name.replace(/\.py$/, "")));
  const modules = [...lib, "os.path", "urllib.parse", "asyncio", "base64", "binascii", "copy", "fnmatch", "gzip", "html", "inspect", "locale", "operator", "pathlib", "stat", "string", "struct", "math", "io", "sys", "types"];
  expect(modules).toContain("logging");
  const files = new Map([["main.py", bytes(`${modules.map((name) => `import ${name}\n`).join("")}STARTUPS = []\ndef answer(path):\n    return 1\n${HANDLER}`)]]);
  const { runs } = await starts(files, 3, ["/"], { dev: true });
  expect(runs[2].how, runs[1].log.join("\n")).toBe(IMPORTED);
  expect(runs[2].pages).toEqual(["200 1"]);
});

test("an app imported with the SQLite engine imports afresh at a start whose engine failed to load", async () => {
  const files = new Map([["main.py", bytes(`import sqlite3\nSTARTUPS = []\ndef answer(path):\n    return sqlite3.connect(":memory:").execute("select 41 + 1").fetchone()[0]\n${HANDLER}`)]]);
  const broken: SqliteEngineLoader = () => Promise.reject(new Error("the engine's file is gone"));
  const { runs } = await starts(files, 4, ["/"], { sqlite: (start) => (start === 3 ? broken : loadSqliteEngineNode) });
  expect(runs.slice(0, 3).map((run) => run.how)).toEqual(["(booted)", "(from the boot image)", IMPORTED]);
  expect(runs.slice(0, 3).map((run) => run.pages[0])).toEqual(["200 42", "200 42", "200 42"]);
  // As without an image: the app's `import sqlite3` fails and says why.
  expect(runs[3].pages[0]).toMatch(/^500 /);
  expect(runs[3].log.join("\n")).toContain("sqlite3 is not available: the SQLite engine failed to load (Error: the engine's file is gone)");
});

test("an interpreter stopped hard at its time limit comes back from the imported image, fresh", { timeout: 30_000 }, async () => {
  const files = new Map([
    ["main.py", bytes(`STARTUPS = []\nSEEN = []\ndef answer(path):\n    if path == "/spin":\n        while True:\n            try:\n                while True:\n                    pass\n            except BaseException:\n                pass\n    SEEN.append(path)\n    return "%d %d" % (len(STARTUPS), len(SEEN))\n${HANDLER}`)],
    ["swasgi.json", bytes('{"timeoutMs": 300}')],
  ]);
  const { runs } = await starts(files, 3, ["/", "/", "/spin", "/"]);
  expect(runs[2].how).toBe(IMPORTED);
  // The replacement restored the same image: one lifespan startup, nothing of the old requests.
  expect(runs[2].pages).toEqual(["200 1 1", "200 1 2", expect.stringMatching(/^504 /), "200 1 1"]);
  expect(runs[2].log.filter((line) => line.includes("(from the app image, imported)"))).toHaveLength(2);
});
