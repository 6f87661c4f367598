import type { LinearMemory } from "./ffi/memory.ts";
import { HostFunction, type HostValue, Namespace, PyFloat, type PyValue } from "./ffi/records.ts";
import type { Executed, SqliteBackend } from "./sqliteEngine.ts";
import type { Param } from "./sqliteParams.ts";

const MAX_BATCH_ROWS = 10_000;
/** execute()'s numbers go to an `array("q")` of this many items that `_sqlite3.py` passes by address. */
const RESULT_ITEMS = 5;
/** execute()'s answer when the SQL key it was given names nothing now. */
const UNKNOWN_KEY = 1;
/** run()'s answer, before running anything, when a value is not one it takes: send them as JSON. */
const NOT_DIRECT = 2;
const INT64_BYTES = 8;

/** One interpreter's access to SQLite: the backend once the engine is in, or why it is not. */
export class SqliteGrant {
  backend: SqliteBackend | undefined;
  #reason =
    "swasgi loads the SQLite engine only for apps that import sqlite3: no `import sqlite3` or `from sqlite3 import` line was found in the app's .py files";

  /** Why `import sqlite3` fails; "" once the backend is attached. */
  get reason(): string {
    return this.backend ? "" : this.#reason;
  }

  unavailable(reason: string): void {
    this.#reason = reason;
  }
}

/**
 * `_swasgi_sqlite`: the capabilities src/python/lib/_sqlite3.py is built on. App code can import
 * it too, so every argument is checked here: handles are small integers that only name this
 * interpreter's own connections and statements, text is text, addresses are checked against
 * the interpreter's memory, and a malformed call gets an error answer (never a throw into the
 * interpreter). Every member exists whether or not the engine is loaded, so the boot image is
 * the same for every app (bootImage.ts).
 *
 * `execute` and `run` run one statement, its parameters as JSON text (sqliteParams.ts) or, for
 * `run`, as the call's last arguments: None, bool, str, float and ints within 32 bits are what
 * the FFI carries exactly, so `_sqlite3.py` sends only those that way. The SQL is its text, or
 * the key an earlier call gave it. Both write rowcount, lastrowid, the cursor handle, the
 * column names' id (Statements.info) and the SQL's key into the 5 int64 at `out`, and answer
 * 0 when there is nothing more to say, 1 when the key names nothing now (send the text), or
 * text: an error `{"e": ...}`, or a JSON array of the first rows, `[names, rows]` when the
 * names' id is not `known_names`.
 */
export function sqliteModule(grant: SqliteGrant, memory: () => LinearMemory): Namespace {
  const handle = (value: PyValue): number => (typeof value === "number" && Number.isInteger(value) && value > 0 ? value : 0);
  const int = (value: PyValue): number => (typeof value === "number" && Number.isInteger(value) ? value : -1);
  const text = (value: PyValue): string | undefined => (typeof value === "string" ? value : undefined);
  /** SQL text, or a key (a positive int); undefined for anything else. */
  const statement = (value: PyValue): string | number | undefined => (typeof value === "string" || handle(value) ? (value as string | number) : undefined);
  const rows = (value: PyValue): number => (typeof value === "number" && Number.isInteger(value) ? Math.min(MAX_BATCH_ROWS, Math.max(1, value)) : 1);
  const error = (kind: string, message: string) => JSON.stringify({ e: [kind, message, -1, ""] });
  const bad = (what: string) => error("InterfaceError", `_swasgi_sqlite: ${what}`);
  const fn = (name: string, body: (backend: SqliteBackend, ...args: PyValue[]) => HostValue, floatsApart = false, pure = false) =>
    new HostFunction(name, (...args) => (grant.backend ? body(grant.backend, ...args) : error("InterfaceError", `sqlite3 is not available: ${grant.reason}`)), floatsApart, pure);
  const results = new DataView(new ArrayBuffer(RESULT_ITEMS * INT64_BYTES));
  const resultBytes = new Uint8Array(results.buffer);
  const zeros = new Uint8Array(RESULT_ITEMS * INT64_BYTES);
  /** Runs the statement once `out` is known to be writable, and hands its results over. */
  const answer = (out: number, knownNames: number, run: () => Executed | string | undefined): HostValue => {
    if (!memory().write(out, zeros)) return bad(`out must be the address of ${RESULT_ITEMS} int64`);
    const done = run();
    if (done === undefined) return UNKNOWN_KEY;
    if (typeof done === "string") return done;
    setInt64(results, 0, done.rowcount);
    results.setBigInt64(INT64_BYTES, done.lastrowid, true);
    setInt64(results, 2 * INT64_BYTES, done.cursor);
    setInt64(results, 3 * INT64_BYTES, done.namesId);
    setInt64(results, 4 * INT64_BYTES, done.sqlKey);
    memory().write(out, resultBytes);
    if (done.namesId !== knownNames) return `[${done.names},${done.rows || "[]"}]`;
    return done.rows || 0;
  };

  return new Namespace("_swasgi_sqlite", {
    // What `import sqlite3` asks: pure for an app image, which is only restored with an engine
    // that loaded as the capturing one's did (appRunner.ts).
    reason: new HostFunction("reason", () => grant.reason, false, true),
    version: fn("version", (backend) => backend.version, false, true),
    open: fn("open", (backend, path) => {
      const given = text(path);
      return given === undefined ? bad("the path must be a str") : backend.open(given);
    }),
    close: fn("close", (backend, conn) => backend.close(handle(conn))),
    begin: fn("begin", (backend, conn, begin) => {
      const given = text(begin);
      if (given !== "" && !BEGINS.has(given ?? "")) return bad("begin(conn, text): text is '', 'BEGIN' or 'BEGIN DEFERRED', 'BEGIN IMMEDIATE', 'BEGIN EXCLUSIVE'");
      return backend.setBegin(handle(conn), given ?? "");
    }),
    execute: fn("execute", (backend, conn, out, sql, params, maxRows, knownNames) => {
      const [query, bound] = [statement(sql), text(params)];
      if (query === undefined || bound === undefined) return bad("execute(conn, out, sql, params, max_rows, known_names): sql is a str or a key, params a str");
      return answer(int(out), int(knownNames), () => backend.execute(handle(conn), query, bound, rows(maxRows)));
    }),
    run: fn(
      "run",
      (backend, conn, out, sql, maxRows, knownNames, ...values) => {
        const query = statement(sql);
        if (query === undefined) return bad("run(conn, out, sql, max_rows, known_names, *values): sql is a str or a key");
        const params: Param[] = [];
        for (let i = 0; i < values.length; i++) {
          const value = param(values[i]);
          if (value === undefined) return NOT_DIRECT;
          params.push(value);
        }
        return answer(int(out), int(knownNames), () => backend.execute(handle(conn), query, params, rows(maxRows)));
      },
      true,
    ),
    executemany: fn("executemany", (backend, conn, sql, sets) => {
      const [query, bound] = [text(sql), text(sets)];
      if (query === undefined || bound === undefined) return bad("executemany(conn, sql, sets) takes str arguments");
      return backend.executemany(handle(conn), query, bound);
    }),
    fetch: fn("fetch", (backend, cursor, maxRows) => backend.fetch(handle(cursor), rows(maxRows))),
    finish: fn("finish", (backend, cursor) => backend.finish(handle(cursor))),
    script: fn("script", (backend, conn, sql) => {
      const query = text(sql);
      return query === undefined ? bad("the script must be a str") : backend.script(handle(conn), query);
    }),
    status: fn("status", (backend, conn) => backend.status(handle(conn))),
  });
}

/** Writes a safe integer as a little-endian int64 (no BigInt: this runs for every statement). */
function setInt64(view: DataView, at: number, value: number): void {
  view.setUint32(at, value >>> 0, true);
  view.setInt32(at + 4, Math.floor(value / 2 ** 32), true);
}

/**
 * A value `run` was passed, as a parameter: a number that came as a number is a Python int of
 * 32 bits (floats come as PyFloat, larger ints as PY_BIG_INT). Anything else (bytes, a big int,
 * any object): undefined, and `_sqlite3.py` sends the parameters again as JSON.
 */
function param(value: PyValue): Param | undefined {
  if (value === null || typeof value === "string") return value;
  if (typeof value === "number") return Number.isInteger(value) ? BigInt(value) : undefined;
  if (typeof value === "boolean") return value ? 1n : 0n;
  if (value instanceof PyFloat) return value.value;
  return undefined;
}

/** The implicit BEGIN is one of SQLite's forms (CPython checks isolation_level the same way). */
const BEGINS = new Set(["BEGIN", "BEGIN DEFERRED", "BEGIN IMMEDIATE", "BEGIN EXCLUSIVE"]);
