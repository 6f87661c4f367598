import type { Sqlite3Static } from "@sqlite.org/sqlite-wasm";
import type { SqliteEngine } from "./sqliteEngine.ts";
import { SqliteHost } from "./sqliteHost.ts";

const python = import.meta.glob("../python/lib/_sqlite3.py", { query: "?raw", import: "default", eager: true }) as Record<string, string>;

/** `sqlite3InitModule` of @sqlite.org/sqlite-wasm, with the emscripten options swasgi passes. */
export type SqliteInit = (options: {
  wasmMemory: WebAssembly.Memory;
  instantiateWasm(imports: WebAssembly.Imports, receive: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void): object;
}) => Promise<Sqlite3Static>;

/** The engine's memory must start at 8 MB: its wasm declares that minimum. */
const INITIAL_PAGES = 128;

/**
 * The engine from its module factory and compiled wasm. Each instance gets a memory created
 * here with a maximum: growing past it fails malloc, which SQLite reports as SQLITE_NOMEM
 * ("out of memory", MemoryError in Python) and survives.
 */
export function sqliteEngine(init: SqliteInit, wasm: WebAssembly.Module): SqliteEngine {
  return {
    python: Object.values(python)[0],
    async instantiate(maxBytes, target) {
      const maximum = Math.max(INITIAL_PAGES, Math.floor(maxBytes / 65536));
      const wasmMemory = new WebAssembly.Memory({ initial: INITIAL_PAGES, maximum });
      const sqlite = await new Promise<Sqlite3Static>((resolve, reject) => {
        init({
          wasmMemory,
          instantiateWasm(imports, receive) {
            WebAssembly.instantiate(wasm, imports).then((instance) => receive(instance, wasm), reject);
            return {};
          },
        }).then(resolve, reject);
      });
      return new SqliteHost(sqlite, target);
    },
  };
}
