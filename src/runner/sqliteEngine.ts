import type { Sqlite3Static } from "@sqlite.org/sqlite-wasm";

/** `sqlite3InitModule` of @sqlite.org/sqlite-wasm, with the emscripten options swasgi passes. */
export type SqliteInit = (options: {
  wasmMemory: WebAssembly.Memory;
  instantiateWasm(imports: WebAssembly.Imports, receive: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void): object;
}) => Promise<Sqlite3Static>;

/**
 * The SQLite engine of a realm, compiled once; each interpreter that uses `sqlite3` gets its
 * own instance (own memory, own VFS), so one app's databases are invisible to another's.
 */
export interface SqliteEngine {
  instantiate(maxBytes: number): Promise<Sqlite3Static>;
}

/** How a host brings the engine in, on demand: Node from node_modules, the Service Worker from the site. */
export type SqliteEngineLoader = () => Promise<SqliteEngine>;

/** The engine's memory must start at 8 MB: its wasm declares that minimum. */
const INITIAL_PAGES = 128;
const MB = 1024 * 1024;

/**
 * How much of an app's `memoryMb` its SQLite instance may use: a quarter, at least 12 MB
 * (the engine needs 8 MB to start) and at most 256 MB. The interpreter gets the rest, so the
 * app as a whole stays within memoryMb.
 */
export function sqliteMemoryShare(memoryMb: number): number {
  return Math.min(256, Math.max(12, Math.floor(memoryMb / 4))) * MB;
}

/**
 * Wraps the engine's module factory and its compiled wasm. The engine's memory is created
 * here with a maximum: growing past it fails malloc, which SQLite reports as SQLITE_NOMEM
 * ("out of memory") and survives.
 */
export function sqliteEngine(init: SqliteInit, wasm: WebAssembly.Module): SqliteEngine {
  return {
    instantiate(maxBytes) {
      const maximum = Math.max(INITIAL_PAGES, Math.floor(maxBytes / 65536));
      const wasmMemory = new WebAssembly.Memory({ initial: INITIAL_PAGES, maximum });
      return new Promise((resolve, reject) => {
        init({
          wasmMemory,
          instantiateWasm(imports, receive) {
            WebAssembly.instantiate(wasm, imports).then((instance) => receive(instance, wasm), reject);
            return {};
          },
        }).then(resolve, reject);
      });
    },
  };
}

const IMPORT_LINE = /^[ \t]*(import[ \t]+([\w.]+[ \t]*,[ \t]*)*sqlite3\b|from[ \t]+sqlite3[ \t.]*import\b)/m;

/**
 * Whether an app uses `sqlite3`, judged from its Python files before it starts: Python imports
 * are synchronous, so the engine must be ready before the app's first line runs.
 * @example usesSqlite(new Map([["app.py", bytes("import sqlite3\n")]])) // true
 */
export function usesSqlite(files: ReadonlyMap<string, Uint8Array>): boolean {
  const decoder = new TextDecoder();
  for (const [path, bytes] of files) {
    if (path.endsWith(".py") && IMPORT_LINE.test(decoder.decode(bytes))) return true;
  }
  return false;
}
