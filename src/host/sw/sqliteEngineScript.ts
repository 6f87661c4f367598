// The SQLite engine as a classic script (built to swasgi-sqlite/sqlite-engine.js by
// vite.config.ts): a Service Worker cannot import() a module, but it can importScripts() this.
// It holds the engine's JavaScript, swasgi's host side of sqlite3 and `_sqlite3.py`, and only
// defines a factory; sqliteEngineLoader.ts calls it with the compiled wasm.
import init from "@sqlite.org/sqlite-wasm";
import { type SqliteInit, sqliteEngine } from "../../runner/sqliteBackend.ts";
import { SQLITE_GLOBAL } from "./sqliteEngineFiles.ts";

(globalThis as Record<string, unknown>)[SQLITE_GLOBAL] = (wasm: WebAssembly.Module) => sqliteEngine(init as unknown as SqliteInit, wasm);
