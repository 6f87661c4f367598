import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { minify } from "terser";
import { build, defineConfig, type Plugin } from "vite";
import { SQLITE_SCRIPT, SQLITE_WASM } from "./src/host/sw/sqliteEngineFiles.ts";
import { BOOT_FILES } from "./src/python/bootFiles.ts";
import { compactPython } from "./src/python/compactPython.ts";
import { FROZEN_PATCH, LIBRARY_FILE } from "./src/python/library.ts";
import { pythonSource } from "./src/python/pythonSourcePlugin.ts";

const root = fileURLToPath(new URL(".", import.meta.url));

/**
 * The site in build/site, served by `swasgi dev` (and the base of `swasgi build`):
 *   index.html             the host page (src/client/hostPage.ts)
 *   sw.js                  the Service Worker: one self-contained classic script (see serviceWorker)
 *   micropython.wasm       the instrumented runtime, at a stable URL beside sw.js
 *   swasgi-pylib.json      swasgi's Python library (csv, dataclasses, re...), compacted: loaded only
 *                          for apps that import it; `swasgi build` ships it only to sites that do
 *   swasgi-sqlite/*        the SQLite engine (classic script + wasm), loaded only by apps that
 *                          import sqlite3; `swasgi build` ships it only to sites that have one
 *   __swasgi/dev.js        dev live-reload client, appended to app pages by the worker in dev
 *   assets/*               hashed page assets
 * `base: "./"` keeps every URL relative, so the folder works under any sub-path.
 */
export default defineConfig({
  root,
  base: "./",
  logLevel: "warn",
  build: {
    outDir: "build/site",
    emptyOutDir: true,
    target: "es2022",
    rolldownOptions: {
      input: { index: "index.html", dev: "src/client/devClient.ts" },
      output: {
        entryFileNames: (chunk) => (chunk.name === "dev" ? "__swasgi/dev.js" : "assets/[name]-[hash].js"),
      },
    },
  },
  plugins: [serviceWorker(), runtimeAsset(), sqliteEngine(), pythonLibrary()],
});

/**
 * Builds sw.ts as its own bundle and emits it as sw.js. A separate build, not another input of
 * the page build: shared chunks would make the worker import hashed files, and a
 * Service Worker must not contain `import()` (Chromium refuses it at run time) or top-level
 * await (the spec rejects the script).
 */
function serviceWorker(): Plugin {
  return {
    name: "swasgi:service-worker",
    apply: "build",
    async generateBundle() {
      // A classic script, not a module: V8 keeps a code cache for classic worker scripts
      // only, which saves ~10 ms at every Service Worker start (BENCHMARKS.md).
      this.emitFile({ type: "asset", fileName: "sw.js", source: await classicScript("sw.ts", "sw.js", "the Service Worker", { terser: true }) });
    },
  };
}

/**
 * `entry` bundled as one self-contained classic script (IIFE), as a Service Worker can run it
 * or importScripts() it: no chunks, no `import()`.
 */
async function classicScript(entry: string, fileName: string, what: string, { terser = false } = {}): Promise<string> {
  const result = await build({
    configFile: false,
    root,
    plugins: [pythonSource()],
    resolve: { alias: { tldts: `${root}src/host/tldtsLite.ts` } },
    // The glue's Node-only branches `require("fs")` and the like; they never run in a
    // worker, and the "externalized for browser compatibility" warnings are noise.
    logLevel: "error",
    build: {
      write: false,
      target: "es2022",
      minify: true,
      rolldownOptions: { input: entry, output: { format: "iife", entryFileNames: fileName } },
    },
  });
  const outputs = (Array.isArray(result) ? result : [result]).flatMap((r) => ("output" in r ? r.output : []));
  const chunks = outputs.filter((o) => o.type === "chunk");
  if (chunks.length !== 1 || chunks[0].fileName !== fileName) {
    throw new Error(`swasgi: ${what} must build to one file, got ${chunks.map((c) => c.fileName).join(", ")}`);
  }
  if (/\bimport\s*\(/.test(chunks[0].code)) throw new Error(`swasgi: ${what} contains a dynamic import(), which a Service Worker cannot run`);
  if (!terser) return chunks[0].code;
  // A terser pass over oxc's output: about 1 KB less gzip for sw.js, which every visitor
  // downloads. Not for the SQLite engine: its terser'd glue made inserts 20 % slower.
  const { code } = await minify(chunks[0].code, { ecma: 2020, compress: { passes: 2 }, module: false });
  if (code === undefined) throw new Error(`swasgi: terser gave no output for ${what}`);
  return code;
}

function runtimeAsset(): Plugin {
  return {
    name: "swasgi:runtime",
    apply: "build",
    generateBundle() {
      const wasm = new URL("build/runtime/micropython.wasm", `file://${root}/`);
      this.emitFile({ type: "asset", fileName: "micropython.wasm", source: readFileSync(wasm) });
    },
  };
}

/**
 * The SQLite engine from node_modules (never a copy in the repository): its JavaScript bundled
 * as one classic script (a Service Worker can importScripts it, not import() it) and its wasm.
 * Both stay out of sw.js: only apps that import sqlite3 load them.
 */
function sqliteEngine(): Plugin {
  return {
    name: "swasgi:sqlite-engine",
    apply: "build",
    async generateBundle() {
      const script = await classicScript("src/host/sw/sqliteEngineScript.ts", "sqlite-engine.js", "the SQLite engine script");
      this.emitFile({ type: "asset", fileName: SQLITE_SCRIPT, source: script });
      const wasm = fileURLToPath(import.meta.resolve("@sqlite.org/sqlite-wasm/sqlite3.wasm"));
      this.emitFile({ type: "asset", fileName: SQLITE_WASM, source: readFileSync(wasm) });
    },
  };
}

/**
 * swasgi's Python library (src/python/lib less the boot files sw.js embeds, and less
 * `_sqlite3.py`, which ships with the engine) as one JSON file, path → compacted source, and
 * under FROZEN_PATCH the frozen modules the shipped wasm leaves out (wasm/lazyFrozen.mjs).
 */
function pythonLibrary(): Plugin {
  return {
    name: "swasgi:python-library",
    apply: "build",
    generateBundle() {
      const dir = fileURLToPath(new URL("src/python/lib/", import.meta.url));
      const files: Record<string, string> = {};
      for (const entry of readdirSync(dir, { recursive: true, encoding: "utf8" }).sort()) {
        const path = entry.split("\\").join("/");
        if (!path.endsWith(".py") || BOOT_FILES.includes(path) || path === "_sqlite3.py") continue;
        files[path] = compactPython(readFileSync(dir + path, "utf8"));
      }
      files[FROZEN_PATCH] = JSON.parse(readFileSync(new URL("build/runtime/frozen.json", import.meta.url), "utf8")).patch;
      this.emitFile({ type: "asset", fileName: LIBRARY_FILE, source: JSON.stringify(files) });
    },
  };
}
