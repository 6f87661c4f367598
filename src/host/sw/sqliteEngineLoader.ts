import type { SqliteEngine, SqliteEngineLoader } from "../../runner/sqliteEngine.ts";
import { SQLITE_GLOBAL, SQLITE_SCRIPT, SQLITE_WASM } from "./sqliteEngineFiles.ts";

type EngineFactory = (wasm: WebAssembly.Module) => SqliteEngine;

/**
 * The `install` event's part: a Service Worker may importScripts() a script later only if it
 * imported that same script while it was installing (the spec's script resource map; Chromium
 * refuses any other). Sites that ship the engine import it here, once per version of the
 * worker, so that apps can load it whenever they need it, offline too. Called synchronously
 * from the install event.
 */
export function preloadSqliteEngine(scope: WorkerGlobalScope, base: URL): void {
  try {
    scope.importScripts(new URL(SQLITE_SCRIPT, base).href);
  } catch (error) {
    console.warn(`swasgi: the SQLite engine could not be loaded at install; apps that import sqlite3 will not start (${String(error)})`);
  }
}

/**
 * Loads the engine on the first app that needs it: its script (from the worker's installed
 * scripts) and its wasm (from the site's cache, or the network under `swasgi dev`), compiled
 * once per worker start.
 */
export function sqliteEngineLoader(scope: WorkerGlobalScope, base: URL, fetchFile: (url: URL) => Promise<Response>): SqliteEngineLoader {
  let loaded: Promise<SqliteEngine> | undefined;
  const factory = (): EngineFactory | undefined => (globalThis as Record<string, unknown>)[SQLITE_GLOBAL] as EngineFactory | undefined;
  return () => {
    loaded ??= (async () => {
      const response = fetchFile(new URL(SQLITE_WASM, base));
      if (!factory()) scope.importScripts(new URL(SQLITE_SCRIPT, base).href);
      const create = factory();
      if (!create) throw new Error(`${SQLITE_SCRIPT} did not define the engine`);
      const wasm = await response;
      if (!wasm.ok) throw new Error(`${SQLITE_WASM}: ${wasm.status} ${wasm.statusText}`);
      return create(await WebAssembly.compile(await wasm.arrayBuffer()));
    })();
    loaded.catch(() => (loaded = undefined));
    return loaded;
  };
}
