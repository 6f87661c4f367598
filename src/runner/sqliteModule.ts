import { HostFunction, type HostValue, Namespace, type PyValue } from "./ffi/records.ts";
import type { SqliteBackend } from "./sqliteEngine.ts";

const MAX_BATCH_ROWS = 10_000;

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
 * interpreter's own connections and statements, text is text, and a malformed call gets an
 * error answer (never a throw into the interpreter). Every member exists whether or not the
 * engine is loaded, so the boot image is the same for every app (bootImage.ts).
 */
export function sqliteModule(grant: SqliteGrant): Namespace {
  const handle = (value: PyValue): number => (typeof value === "number" && Number.isInteger(value) && value > 0 ? value : 0);
  const text = (value: PyValue): string | undefined => (typeof value === "string" ? value : undefined);
  const rows = (value: PyValue): number => (typeof value === "number" && Number.isInteger(value) ? Math.min(MAX_BATCH_ROWS, Math.max(1, value)) : 1);
  const error = (kind: string, message: string) => JSON.stringify({ e: [kind, message, -1, ""] });
  const bad = (what: string) => error("InterfaceError", `_swasgi_sqlite: ${what}`);
  const fn = (name: string, body: (backend: SqliteBackend, ...args: PyValue[]) => HostValue) =>
    new HostFunction(name, (...args) => (grant.backend ? body(grant.backend, ...args) : error("InterfaceError", `sqlite3 is not available: ${grant.reason}`)));

  return new Namespace("_swasgi_sqlite", {
    reason: new HostFunction("reason", () => grant.reason),
    version: fn("version", (backend) => backend.version),
    open: fn("open", (backend, path) => {
      const given = text(path);
      return given === undefined ? bad("the path must be a str") : backend.open(given);
    }),
    close: fn("close", (backend, conn) => backend.close(handle(conn))),
    execute: fn("execute", (backend, conn, sql, params, begin, maxRows) => {
      const [query, bound, start] = [text(sql), text(params), text(begin)];
      if (query === undefined || bound === undefined || start === undefined) return bad("execute(conn, sql, params, begin, max_rows) takes str arguments");
      return backend.execute(handle(conn), query, bound, safeBegin(start), rows(maxRows));
    }),
    executemany: fn("executemany", (backend, conn, sql, sets, begin) => {
      const [query, bound, start] = [text(sql), text(sets), text(begin)];
      if (query === undefined || bound === undefined || start === undefined) return bad("executemany(conn, sql, sets, begin) takes str arguments");
      return backend.executemany(handle(conn), query, bound, safeBegin(start));
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

/** The implicit BEGIN is one of SQLite's three forms (CPython checks isolation_level the same way). */
function safeBegin(begin: string): string {
  return /^BEGIN( DEFERRED| IMMEDIATE| EXCLUSIVE)?$/.test(begin) ? begin : "";
}
