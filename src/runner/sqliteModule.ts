import { HostFunction, type HostValue, Namespace, type PyValue } from "./ffi/records.ts";
import type { SqliteHost } from "./sqliteHost.ts";

const MAX_BATCH_ROWS = 10_000;

/**
 * `_swasgi_sqlite`: the capabilities src/python/lib/sqlite3.py is built on. App code can import
 * it too, so every argument is checked here: handles are small integers that only name this
 * interpreter's own connections and statements, text is text, and a malformed call gets an
 * error answer (never a throw into the interpreter). Every member exists whether or not the
 * engine is loaded, so the boot image is the same for every app (bootImage.ts).
 */
export function sqliteModule(host: SqliteHost): Namespace {
  const handle = (value: PyValue): number => (typeof value === "number" && Number.isInteger(value) && value > 0 ? value : 0);
  const text = (value: PyValue): string | undefined => (typeof value === "string" ? value : undefined);
  const rows = (value: PyValue): number => (typeof value === "number" && Number.isInteger(value) ? Math.min(MAX_BATCH_ROWS, Math.max(1, value)) : 1);
  const bad = (what: string) => JSON.stringify({ e: ["InterfaceError", `_swasgi_sqlite: ${what}`, -1, ""] });
  const fn = (name: string, body: (...args: PyValue[]) => HostValue) => new HostFunction(name, body);

  return new Namespace("_swasgi_sqlite", {
    reason: fn("reason", () => host.reason),
    version: fn("version", () => host.version),
    open: fn("open", (path) => {
      const given = text(path);
      return given === undefined ? bad("the path must be a str") : host.open(given);
    }),
    close: fn("close", (conn) => host.close(handle(conn))),
    execute: fn("execute", (conn, sql, params, begin, maxRows) => {
      const [query, bound, start] = [text(sql), text(params), text(begin)];
      if (query === undefined || bound === undefined || start === undefined) return bad("execute(conn, sql, params, begin, max_rows) takes str arguments");
      return host.execute(handle(conn), query, bound, safeBegin(start), rows(maxRows));
    }),
    executemany: fn("executemany", (conn, sql, sets, begin) => {
      const [query, bound, start] = [text(sql), text(sets), text(begin)];
      if (query === undefined || bound === undefined || start === undefined) return bad("executemany(conn, sql, sets, begin) takes str arguments");
      return host.executemany(handle(conn), query, bound, safeBegin(start));
    }),
    fetch: fn("fetch", (cursor, maxRows) => host.fetch(handle(cursor), rows(maxRows))),
    finish: fn("finish", (cursor) => host.finish(handle(cursor))),
    script: fn("script", (conn, sql) => {
      const query = text(sql);
      return query === undefined ? bad("the script must be a str") : host.script(handle(conn), query);
    }),
    status: fn("status", (conn) => host.status(handle(conn))),
  });
}

/** The implicit BEGIN is one of SQLite's three forms (CPython checks isolation_level the same way). */
function safeBegin(begin: string): string {
  return /^BEGIN( DEFERRED| IMMEDIATE| EXCLUSIVE)?$/.test(begin) ? begin : "";
}
