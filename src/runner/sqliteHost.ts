import type { Sqlite3Static } from "@sqlite.org/sqlite-wasm";
import type { Executed, SqliteBackend, SqliteTarget } from "./sqliteEngine.ts";
import { authorized } from "./sqliteAuthorizer.ts";
import { bindParams } from "./sqliteBind.ts";
import { DbError, errorKind } from "./sqliteErrors.ts";
import { type Param, ParamError, parseParams } from "./sqliteParams.ts";
import { Statements } from "./sqliteStatements.ts";
import { type SqliteCalls, sqliteCalls } from "./sqliteCalls.ts";
import { encodeRow } from "./sqliteValues.ts";
import { allowedPath, installSqliteVfs, VFS_NAME } from "./sqliteVfs.ts";

/** Limits on what one interpreter may hold open (handles are small integers). */
const MAX_CONNECTIONS = 32;
const MAX_CURSORS = 256;
const MAX_EVICTED = 4096;
/** SQLite VM steps between two looks at the deadline. */
const PROGRESS_STEPS = 1000;
/** Per connection: 2 MB of page cache instead of the build's 16 MB, within the engine's share. */
const CACHE_PRAGMAS = "PRAGMA cache_size=-2048; PRAGMA temp_store=MEMORY;";
/** SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_EXRESCODE */
const OPEN_FLAGS = 0x02 | 0x04 | 0x02000000;
/** sqlite3_set_authorizer answers. */
const SQLITE_DENY = 1;
const SQLITE_OK = 0;
const SQLITE_ROW = 100;
const SQLITE_DONE = 101;

interface Connection {
  db: number;
  /** Runs before DML when no transaction is open: BEGIN [DEFERRED|IMMEDIATE|EXCLUSIVE], or "" for none. */
  begin: string;
  statements: Statements;
  /** Statements with rows not yet fetched, by cursor handle. */
  open: Set<number>;
}

interface Cursor {
  conn: number;
  stmt: number;
  sql: string;
  statements: Statements;
}

/**
 * The `sqlite3` module's host half: one SQLite engine instance per interpreter, its
 * connections and open statements under small integer handles that only this interpreter's
 * calls can name. Every answer but execute()'s is a JSON string for the Python half
 * (src/python/lib/_sqlite3.py): `{"e": [kind, message, code, name]}` for an error, otherwise
 * the call's result; execute() answers an Executed, or such an error.
 */
export class SqliteHost implements SqliteBackend {
  #sqlite: Sqlite3Static | undefined;
  #connections = new Map<number, Connection>();
  #cursors = new Map<number, Cursor>();
  /** Cursors closed to make room, remembered so that reading one again is an error, not an early end. */
  #evicted = new Set<number>();
  #nextHandle = 1;

  /** Takes over a fresh engine instance: its only VFS keeps files in `target`'s file system. */
  constructor(sqlite: Sqlite3Static, target: SqliteTarget) {
    this.#vfs = installSqliteVfs(sqlite, () => target.fs());
    this.#sqlite = sqlite;
    this.#calls = sqliteCalls(sqlite);
    this.#inTime = () => target.inTime();
  }

  readonly #inTime: () => boolean;
  readonly #calls: SqliteCalls;
  readonly #vfs: { invalidate(): void };

  get version(): string {
    return this.#sqlite?.version.libVersion ?? "";
  }

  open(path: string): string {
    const sqlite = this.#sqlite;
    if (!sqlite) return new DbError("ProgrammingError", "Cannot operate on a closed database.").json();
    const { capi, wasm } = sqlite;
    // "" is SQLite's private temporary database (in memory here, like ":memory:").
    if (path !== ":memory:" && path !== "" && !allowedPath(path)) {
      return new DbError("OperationalError", `unable to open database file: ${JSON.stringify(path)} is not under /data or /tmp (swasgi keeps databases there, or in ":memory:")`, 14, "SQLITE_CANTOPEN").json();
    }
    if (this.#connections.size >= MAX_CONNECTIONS) {
      return new DbError("OperationalError", `too many open connections (at most ${MAX_CONNECTIONS} per app): close some`).json();
    }
    const stack = wasm.pstack.pointer;
    try {
      const out = wasm.pstack.allocPtr() as number;
      const rc = capi.sqlite3_open_v2(path, out, OPEN_FLAGS, VFS_NAME);
      const db = wasm.peekPtr(out) as number;
      if (rc) {
        const error = this.#error(db, rc);
        if (db) capi.sqlite3_close_v2(db);
        return error.json();
      }
      capi.sqlite3_set_authorizer(db, (_arg, action, first, second) => (authorized(action, first, second) ? SQLITE_OK : SQLITE_DENY), 0);
      capi.sqlite3_progress_handler(db, PROGRESS_STEPS, () => (this.#inTime() ? 0 : 1), 0);
      capi.sqlite3_exec(db, CACHE_PRAGMAS, 0, 0, 0);
      const handle = this.#handle();
      const statements = new Statements(sqlite, this.#calls, db, (rc) => this.#error(db, rc));
      this.#connections.set(handle, { db, begin: "BEGIN", statements, open: new Set() });
      return String(handle);
    } finally {
      wasm.pstack.restore(stack);
    }
  }

  close(handle: number): string {
    const conn = this.#connections.get(handle);
    if (!conn || !this.#sqlite) return "0";
    const { capi } = this.#sqlite;
    for (const cursor of conn.open) this.#finish(cursor);
    conn.statements.close();
    capi.sqlite3_close_v2(conn.db);
    this.#connections.delete(handle);
    return "0";
  }

  /** Sets what opens the implicit transaction before DML (a checked BEGIN form, or "" for none). */
  setBegin(handle: number, begin: string): string {
    const found = this.#conn(handle);
    if (found instanceof DbError) return found.json();
    found.conn.begin = begin;
    return "0";
  }

  /**
   * Runs one statement: binds `params` (JSON text, sqliteParams.ts, or values already read),
   * opens the implicit transaction (the connection's `begin`, CPython's legacy isolation_level)
   * before DML, and steps up to `maxRows` rows; the result's `cursor` names the statement when
   * more remain. `sqlOrKey` is the SQL text or its key (Statements.keyOf): undefined answers a
   * key that names nothing now.
   */
  execute(handle: number, sqlOrKey: string | number, params: string | Param[], maxRows: number): Executed | string | undefined {
    const found = this.#conn(handle);
    if (found instanceof DbError) return found.json();
    const { conn, sqlite } = found;
    const calls = this.#calls;
    const sql = typeof sqlOrKey === "string" ? sqlOrKey : conn.statements.textOf(sqlOrKey);
    if (sql === undefined) return undefined;
    const sqlKey = conn.statements.keyOf(sql);
    const decoded = typeof params === "string" ? parseParams(params, false) : params;
    if (decoded instanceof ParamError) return new DbError(decoded.kind, decoded.message).json();
    const stmt = conn.statements.take(sql);
    if (stmt instanceof DbError) return stmt.json();
    if (stmt === 0) return { cursor: 0, rowcount: -1, lastrowid: calls.lastInsertRowid(conn.db), namesId: 0, names: "[]", rows: "", sqlKey };
    const bound = bindParams(sqlite, calls, stmt, decoded);
    if (bound) {
      conn.statements.release(sql, stmt);
      return bound.json();
    }
    const dml = conn.statements.dml(stmt, sql);
    if (dml && conn.begin && calls.autocommit(conn.db)) {
      const rc = sqlite.capi.sqlite3_exec(conn.db, conn.begin, 0, 0, 0);
      if (rc) {
        conn.statements.release(sql, stmt);
        return this.#error(conn.db, rc).json();
      }
    }
    const { rows, done, error } = this.#step(conn, stmt, maxRows);
    if (error) {
      conn.statements.release(sql, stmt);
      return error.json();
    }
    // Read after stepping: a schema change makes SQLite re-prepare the statement at its first step.
    const { names, namesId } = conn.statements.info(stmt, sql);
    const rowcount = dml ? Number(calls.changes(conn.db)) : -1;
    let cursor = 0;
    if (done) conn.statements.release(sql, stmt);
    else {
      // MicroPython has no finalizers: a cursor dropped half-read never tells us. Past the
      // limit the oldest unfinished one is closed, and says so if it is read again.
      if (this.#cursors.size >= MAX_CURSORS) this.#evict();
      cursor = this.#handle();
      this.#cursors.set(cursor, { conn: handle, stmt, sql, statements: conn.statements });
      conn.open.add(cursor);
    }
    return { cursor, rowcount, lastrowid: calls.lastInsertRowid(conn.db), namesId, names, rows: rows.length ? `[${rows.join(",")}]` : "", sqlKey };
  }

  /** Runs one DML statement once per parameter set (one call for all of them). */
  executemany(handle: number, sql: string, paramSets: string): string {
    const found = this.#conn(handle);
    if (found instanceof DbError) return found.json();
    const { conn, sqlite } = found;
    const { capi } = sqlite;
    const sets = parseParams(paramSets, true);
    if (sets instanceof ParamError) return new DbError(sets.kind, sets.message).json();
    const stmt = conn.statements.take(sql);
    if (stmt instanceof DbError) return stmt.json();
    if (stmt === 0) return "[0]";
    try {
      if (this.#calls.columnCount(stmt) > 0 || !conn.statements.info(stmt, sql).dml) {
        return new DbError("ProgrammingError", "executemany() can only execute DML statements.").json();
      }
      if (conn.begin && this.#calls.autocommit(conn.db)) {
        const rc = capi.sqlite3_exec(conn.db, conn.begin, 0, 0, 0);
        if (rc) return this.#error(conn.db, rc).json();
      }
      let changes = 0;
      for (const decoded of sets) {
        if (decoded instanceof ParamError) return new DbError(decoded.kind, decoded.message).json();
        this.#calls.reset(stmt);
        const bound = bindParams(this.#sqlite!, this.#calls, stmt, decoded);
        if (bound) return bound.json();
        const { error } = this.#step(conn, stmt, 0);
        if (error) return error.json();
        changes += Number(this.#calls.changes(conn.db));
      }
      return `[${changes}]`;
    } finally {
      conn.statements.release(sql, stmt);
    }
  }

  /** The next rows of an unfinished statement. */
  fetch(cursorHandle: number, maxRows: number): string {
    const cursor = this.#cursors.get(cursorHandle);
    const conn = cursor && this.#connections.get(cursor.conn);
    if (this.#evicted.has(cursorHandle)) {
      return new DbError("OperationalError", `this cursor was closed: more than ${MAX_CURSORS} cursors were left unfinished (fetch all their rows, or close them)`).json();
    }
    if (!cursor || !conn) return "[0,[]]";
    const { rows, done, error } = this.#step(conn, cursor.stmt, maxRows);
    if (done || error) this.#finish(cursorHandle);
    // [more rows to come (0 or 1), rows]
    return error ? error.json() : `[${done ? 0 : 1},[${rows.join(",")}]]`;
  }

  /** Drops an unfinished statement (the cursor was closed or re-executed). */
  finish(cursorHandle: number): string {
    this.#finish(cursorHandle);
    return "0";
  }

  /** `executescript`: every statement in turn, no parameters, no implicit transaction. */
  script(handle: number, sql: string): string {
    const found = this.#conn(handle);
    if (found instanceof DbError) return found.json();
    const { conn, sqlite } = found;
    const rc = sqlite.capi.sqlite3_exec(conn.db, sql, 0, 0, 0);
    return rc ? this.#error(conn.db, rc).json() : "0";
  }

  /** Whether a transaction is open, and the connection's total_changes. */
  status(handle: number): string {
    const found = this.#conn(handle);
    if (found instanceof DbError) return found.json();
    const { conn, sqlite } = found;
    // [in_transaction (0 or 1), total_changes]
    return `[${sqlite.capi.sqlite3_get_autocommit(conn.db) ? 0 : 1},${sqlite.capi.sqlite3_total_changes64(conn.db)}]`;
  }

  /**
   * Ends every open transaction (a failed request: /data is about to be restored to what it
   * was before the request, and no connection may keep pages or a journal of what it did),
   * and has every file looked up again at its next read.
   */
  rollbackAll(): void {
    const sqlite = this.#sqlite;
    if (!sqlite) return;
    this.#vfs.invalidate();
    for (const conn of this.#connections.values()) {
      for (const cursor of conn.open) this.#finish(cursor);
      if (!sqlite.capi.sqlite3_get_autocommit(conn.db)) sqlite.capi.sqlite3_exec(conn.db, "ROLLBACK", 0, 0, 0);
    }
  }

  /** Closes everything; the engine instance is then garbage. */
  dispose(): void {
    for (const handle of [...this.#connections.keys()]) this.close(handle);
    this.#sqlite = undefined;
  }

  #evict(): void {
    const oldest = this.#cursors.keys().next().value as number;
    this.#finish(oldest);
    this.#evicted.add(oldest);
    if (this.#evicted.size > MAX_EVICTED) this.#evicted.delete(this.#evicted.values().next().value as number);
  }

  #handle(): number {
    return this.#nextHandle++;
  }

  #conn(handle: number): { conn: Connection; sqlite: Sqlite3Static } | DbError {
    const conn = this.#connections.get(handle);
    if (!conn || !this.#sqlite) return new DbError("ProgrammingError", "Cannot operate on a closed database.");
    return { conn, sqlite: this.#sqlite };
  }

  #error(db: number, rc: number): DbError {
    const { capi } = this.#sqlite!;
    const code = db ? capi.sqlite3_extended_errcode(db) : rc;
    const message = db ? capi.sqlite3_errmsg(db) : capi.sqlite3_errstr(rc);
    return new DbError(errorKind(code & 0xff), message, code, capi.sqlite3_js_rc_str(code) ?? "");
  }

  #finish(cursorHandle: number): void {
    const cursor = this.#cursors.get(cursorHandle);
    if (!cursor) return;
    this.#cursors.delete(cursorHandle);
    const conn = this.#connections.get(cursor.conn);
    conn?.open.delete(cursorHandle);
    cursor.statements.release(cursor.sql, cursor.stmt);
  }

  /** Steps up to `maxRows` rows (0: to the end, discarding rows) and encodes each (sqliteValues.ts). */
  #step(conn: Connection, stmt: number, maxRows: number): { rows: string[]; done: boolean; error?: DbError } {
    const calls = this.#calls;
    const columns = calls.columnCount(stmt);
    const rows: string[] = [];
    for (;;) {
      const rc = calls.step(stmt);
      if (rc === SQLITE_DONE) return { rows, done: true };
      if (rc !== SQLITE_ROW) {
        calls.reset(stmt);
        return { rows: [], done: true, error: this.#error(conn.db, rc) };
      }
      if (maxRows === 0) continue;
      rows.push(encodeRow(calls, stmt, columns));
      if (rows.length >= maxRows) return { rows, done: false };
    }
  }
}
