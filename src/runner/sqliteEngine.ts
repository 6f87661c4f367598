import type { EmscriptenFS } from "../../build/runtime/glue.mjs";
import type { Param } from "./sqliteParams.ts";

/**
 * The contract between the runner and the SQLite engine, which is loaded on demand: this file
 * is all of sqlite3 that the Service Worker's own script carries. The engine side
 * (sqliteBackend.ts and what it imports) ships in its own script with the engine's wasm.
 */

/** What one interpreter's SQLite instance needs from it. */
export interface SqliteTarget {
  fs(): EmscriptenFS;
  /**
   * The interpreter's time check (SliceClock.refuel): false once the slice is past its
   * deadline; it also schedules the KeyboardInterrupt Python then sees, as for a Python loop.
   */
  inTime(): boolean;
}

/** What one execute() did, for `_swasgi_sqlite` to hand to `_sqlite3.py` (sqliteModule.ts). */
export interface Executed {
  /** The statement's handle when rows remain to fetch, else 0. */
  readonly cursor: number;
  /** Rows changed (DML), else -1. */
  readonly rowcount: number;
  readonly lastrowid: bigint;
  /** Stands for the column names (0: there are none): Statements.info. */
  readonly namesId: number;
  /** The column names as JSON. */
  readonly names: string;
  /** The first rows as a JSON array (sqliteValues.ts), "" for none. */
  readonly rows: string;
  /** Stands for the SQL text in this connection's later calls (Statements.keyOf). */
  readonly sqlKey: number;
}

/**
 * The host half of one interpreter's sqlite3 (sqliteHost.ts), as `_swasgi_sqlite` and the
 * runner use it. Each call answers JSON text for `_sqlite3.py`, `{"e": [...]}` for an error;
 * execute() answers what it did, or such an error.
 */
export interface SqliteBackend {
  readonly version: string;
  open(path: string): string;
  close(conn: number): string;
  /**
   * `sql`: the text, or the key an earlier call gave it (undefined answers a key that names
   * nothing now). `params`: JSON text (sqliteParams.ts), or values `_swasgi_sqlite` already
   * read from Python.
   */
  execute(conn: number, sql: string | number, params: string | Param[], maxRows: number): Executed | string | undefined;
  executemany(conn: number, sql: string, paramSets: string): string;
  /** The statement that opens a connection's implicit transactions ("": none; CPython's isolation_level). */
  setBegin(conn: number, begin: string): string;
  fetch(cursor: number, maxRows: number): string;
  finish(cursor: number): string;
  script(conn: number, sql: string): string;
  status(conn: number): string;
  /** Rolls back every open transaction (a failed request: /data is about to be restored). */
  rollbackAll(): void;
}

/**
 * The SQLite engine of a realm, compiled once; each interpreter that uses `sqlite3` gets its
 * own instance (own memory, own VFS), so one app's databases are invisible to another's.
 */
export interface SqliteEngine {
  /** `_sqlite3.py`, the Python half of the module, which ships with the engine. */
  readonly python: string;
  instantiate(maxBytes: number, target: SqliteTarget): Promise<SqliteBackend>;
}

/** How a host brings the engine in, on demand: Node from node_modules, the Service Worker from the site. */
export type SqliteEngineLoader = () => Promise<SqliteEngine>;

const MB = 1024 * 1024;

/**
 * How much of an app's `memoryMb` its SQLite instance may use: a quarter, at least 12 MB
 * (the engine needs 8 MB to start) and at most 256 MB. The interpreter gets the rest, so the
 * app as a whole stays within memoryMb.
 */
export function sqliteMemoryShare(memoryMb: number): number {
  return Math.min(256, Math.max(12, Math.floor(memoryMb / 4))) * MB;
}

const IMPORT_LINE = /^[ \t]*(import[ \t]+([\w.]+[ \t]*(as[ \t]+\w+[ \t]*)?,[ \t]*)*sqlite3\b|from[ \t]+sqlite3[ \t]+import\b)/m;

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
