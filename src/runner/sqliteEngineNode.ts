import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { type SqliteInit, sqliteEngine } from "./sqliteBackend.ts";
import type { SqliteEngine } from "./sqliteEngine.ts";

let loaded: Promise<SqliteEngine> | undefined;

/**
 * The SQLite engine in Node (CLI, tests): @sqlite.org/sqlite-wasm from node_modules, imported
 * and compiled on first use, once per process.
 */
export function loadSqliteEngineNode(): Promise<SqliteEngine> {
  loaded ??= (async () => {
    const require = createRequire(import.meta.url);
    const wasmPath = require.resolve("@sqlite.org/sqlite-wasm/sqlite3.wasm");
    const [module, bytes] = await Promise.all([import("@sqlite.org/sqlite-wasm"), readFile(wasmPath)]);
    return sqliteEngine(module.default as unknown as SqliteInit, await WebAssembly.compile(bytes));
  })();
  loaded.catch(() => (loaded = undefined));
  return loaded;
}
