import type { Sqlite3Static } from "@sqlite.org/sqlite-wasm";
import type { SqliteBackend, SqliteTarget } from "./sqliteEngine.ts";
import { type Param, ParamError, parseParams } from "./sqliteParams.ts";
import { type SqliteCalls, sqliteCalls } from "./sqliteCalls.ts";
import { encodeRow, isDml, onlySpace } from "./sqliteValues.ts";
import { allowedPath, installSqliteVfs, VFS_NAME } from "./sqliteVfs.ts";

/** Limits on what one interpreter may hold open (handles are small integers). */
const MAX_CONNECTIONS = 32;
const MAX_CURSORS = 256;
const MAX_EVICTED = 4096;
/** Prepared statements kept per connection for reuse (CPython's `cached_statements`). */
const STATEMENT_CACHE = 64;
/** SQLite VM steps between two looks at the deadline. */
const PROGRESS_STEPS = 1000;
/** Per connection: 2 MB of page cache instead of the build's 16 MB, within the engine's share. */
const CACHE_PRAGMAS = "PRAGMA cache_size=-2048; PRAGMA temp_store=MEMORY;";
/** SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_EXRESCODE */
const OPEN_FLAGS = 0x02 | 0x04 | 0x02000000;
/** sqlite3_set_authorizer action codes swasgi looks at. */
const SQLITE_PRAGMA = 19;
const SQLITE_ATTACH = 24;
const SQLITE_DENY = 1;
const SQLITE_OK = 0;
const SQLITE_ROW = 100;
const SQLITE_DONE = 101;

interface Connection {
  db: number;
  idle: Map<string, number>;
  /** Statements with rows not yet fetched, by cursor handle. */
  open: Set<number>;
}

interface Cursor {
  conn: number;
  stmt: number;
  sql: string;
}

/** An error for Python: the DB-API class name, the message, and SQLite's extended code if any. */
class DbError {
  constructor(
    readonly kind: string,
    readonly message: string,
    readonly code = -1,
    readonly name = "",
  ) {}
  json(): string {
    return JSON.stringify({ e: [this.kind, this.message, this.code, this.name] });
  }
}

/** CPython's mapping of SQLite result codes to DB-API exceptions (Modules/_sqlite/util.c). */
function errorKind(primary: number): string {
  switch (primary) {
    case 2: case 12: return "InternalError";
    case 7: return "MemoryError";
    case 1: case 3: case 4: case 5: case 6: case 8: case 9: case 10: case 13: case 14: case 15: case 16: case 17:
      return "OperationalError";
    case 18: return "DataError";
    case 19: case 20: return "IntegrityError";
    case 21: case 25: return "InterfaceError";
    default: return "DatabaseError";
  }
}

/**
 * The `sqlite3` module's host half: one SQLite engine instance per interpreter, its
 * connections and open statements under small integer handles that only this interpreter's
 * calls can name. Every answer is a JSON string for the Python half (src/python/lib/sqlite3.py):
 * `{"e": [kind, message, code, name]}` for an error, otherwise the call's result.
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
  /** Column names by statement pointer (a finalized statement's entry goes with it). */
  readonly #columnNames = new Map<number, { count: number; json: string }>();
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
      capi.sqlite3_set_authorizer(db, (_arg, action, first, second) => (allowed(action, first, second) ? SQLITE_OK : SQLITE_DENY), 0);
      capi.sqlite3_progress_handler(db, PROGRESS_STEPS, () => (this.#inTime() ? 0 : 1), 0);
      capi.sqlite3_exec(db, CACHE_PRAGMAS, 0, 0, 0);
      const handle = this.#handle();
      this.#connections.set(handle, { db, idle: new Map(), open: new Set() });
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
    for (const stmt of conn.idle.values()) this.#finalize(stmt);
    capi.sqlite3_close_v2(conn.db);
    this.#connections.delete(handle);
    return "0";
  }

  /**
   * Runs one statement: binds `params` (sqliteValues.ts), opens the implicit transaction
   * (`begin`, CPython's legacy isolation_level) before DML, and returns up to `maxRows` rows;
   * `s` names the cursor when more remain.
   */
  execute(handle: number, sql: string, params: string, begin: string, maxRows: number): string {
    const found = this.#conn(handle);
    if (found instanceof DbError) return found.json();
    const { conn, sqlite } = found;
    const { capi } = sqlite;
    const decoded = parseParams(params, false);
    if (decoded instanceof ParamError) return new DbError(decoded.kind, decoded.message).json();
    const stmt = this.#prepare(conn, sql);
    if (stmt instanceof DbError) return stmt.json();
    if (stmt === 0) return `[0,-1,${this.#calls.lastInsertRowid(conn.db)},${this.#calls.autocommit(conn.db) ? 0 : 1},[],[]]`;
    const bound = this.#bind(stmt, decoded);
    if (bound) {
      this.#release(conn, sql, stmt);
      return bound.json();
    }
    const dml = isDml(sql);
    if (dml && begin && this.#calls.autocommit(conn.db)) {
      const rc = capi.sqlite3_exec(conn.db, begin, 0, 0, 0);
      if (rc) {
        this.#release(conn, sql, stmt);
        return this.#error(conn.db, rc).json();
      }
    }
    const { rows, done, error } = this.#step(conn, stmt, maxRows);
    if (error) {
      this.#release(conn, sql, stmt);
      return error.json();
    }
    const names = this.#names(stmt);
    const changes = dml ? Number(this.#calls.changes(conn.db)) : -1;
    let cursor = 0;
    if (done) this.#release(conn, sql, stmt);
    else {
      // MicroPython has no finalizers: a cursor dropped half-read never tells us. Past the
      // limit the oldest unfinished one is closed, and says so if it is read again.
      if (this.#cursors.size >= MAX_CURSORS) this.#evict();
      cursor = this.#handle();
      this.#cursors.set(cursor, { conn: handle, stmt, sql });
      conn.open.add(cursor);
    }
    // One JSON array, read with one json.loads: [cursor, rowcount, lastrowid, in_transaction, columns, rows].
    return `[${cursor},${changes},${this.#calls.lastInsertRowid(conn.db)},${this.#calls.autocommit(conn.db) ? 0 : 1},${names},${rows}]`;
  }

  /** Runs one DML statement once per parameter set (one call for all of them). */
  executemany(handle: number, sql: string, paramSets: string, begin: string): string {
    const found = this.#conn(handle);
    if (found instanceof DbError) return found.json();
    const { conn, sqlite } = found;
    const { capi } = sqlite;
    const sets = parseParams(paramSets, true);
    if (sets instanceof ParamError) return new DbError(sets.kind, sets.message).json();
    const stmt = this.#prepare(conn, sql);
    if (stmt instanceof DbError) return stmt.json();
    if (stmt === 0) return "[0]";
    try {
      if (this.#calls.columnCount(stmt) > 0 || !isDml(sql)) {
        return new DbError("ProgrammingError", "executemany() can only execute DML statements.").json();
      }
      if (begin && this.#calls.autocommit(conn.db)) {
        const rc = capi.sqlite3_exec(conn.db, begin, 0, 0, 0);
        if (rc) return this.#error(conn.db, rc).json();
      }
      let changes = 0;
      for (const decoded of sets) {
        if (decoded instanceof ParamError) return new DbError(decoded.kind, decoded.message).json();
        this.#calls.reset(stmt);
        const bound = this.#bind(stmt, decoded);
        if (bound) return bound.json();
        const { error } = this.#step(conn, stmt, 0);
        if (error) return error.json();
        changes += Number(this.#calls.changes(conn.db));
      }
      return `[${changes}]`;
    } finally {
      this.#release(conn, sql, stmt);
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
    return error ? error.json() : `[${done ? 0 : 1},${rows}]`;
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

  /** Frees a statement; its pointer may come back for another one, so its names are forgotten. */
  #finalize(stmt: number): void {
    this.#columnNames.delete(stmt);
    this.#sqlite?.capi.sqlite3_finalize(stmt);
  }

  /** The statement's column names as JSON, kept until SQLite re-prepares it. */
  #names(stmt: number): string {
    const count = this.#calls.reprepared(stmt);
    const known = this.#columnNames.get(stmt);
    if (known && known.count === count) return known.json;
    const { capi } = this.#sqlite!;
    const names: string[] = [];
    for (let i = 0; i < this.#calls.columnCount(stmt); i++) names.push(capi.sqlite3_column_name(stmt, i) ?? "");
    const json = JSON.stringify(names);
    this.#columnNames.set(stmt, { count, json });
    return json;
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

  /** A statement for `sql`: an idle cached one, or newly prepared; refuses a second statement. */
  #prepare(conn: Connection, sql: string): number | DbError {
    const cached = conn.idle.get(sql);
    if (cached) {
      conn.idle.delete(sql);
      return cached;
    }
    const { capi, wasm } = this.#sqlite!;
    const stack = wasm.pstack.pointer;
    try {
      const [text, length] = wasm.allocCString(sql, true) as [number, number];
      try {
        const out = wasm.pstack.allocPtr() as number;
        const tail = wasm.pstack.allocPtr() as number;
        const rc = capi.sqlite3_prepare_v3(conn.db, text, length, 0, out, tail);
        if (rc) return this.#error(conn.db, rc);
        const stmt = wasm.peekPtr(out) as number;
        const rest = (wasm.peekPtr(tail) as number) - text;
        // As CPython: anything after the statement but whitespace and comments is a second one.
        if (rest < length && !onlySpace(new TextDecoder().decode(wasm.heap8u().subarray(text + rest, text + length)))) {
          if (stmt) this.#finalize(stmt);
          return new DbError("ProgrammingError", "You can only execute one statement at a time.");
        }
        return stmt; // 0 for SQL that holds no statement: it runs and returns nothing
      } finally {
        wasm.dealloc(text);
      }
    } finally {
      wasm.pstack.restore(stack);
    }
  }

  /** Puts a statement back for reuse (reset, bindings cleared), or finalizes it. */
  #release(conn: Connection, sql: string, stmt: number): void {
    this.#calls.reset(stmt);
    this.#calls.clearBindings(stmt);
    if (conn.idle.has(sql) || !this.#connectionsHas(conn)) {
      this.#finalize(stmt);
      return;
    }
    if (conn.idle.size >= STATEMENT_CACHE) {
      const [oldest, old] = conn.idle.entries().next().value as [string, number];
      conn.idle.delete(oldest);
      this.#finalize(old);
    }
    conn.idle.set(sql, stmt);
  }

  #connectionsHas(conn: Connection): boolean {
    for (const c of this.#connections.values()) if (c === conn) return true;
    return false;
  }

  #finish(cursorHandle: number): void {
    const cursor = this.#cursors.get(cursorHandle);
    if (!cursor) return;
    this.#cursors.delete(cursorHandle);
    const conn = this.#connections.get(cursor.conn);
    if (conn) {
      conn.open.delete(cursorHandle);
      this.#release(conn, cursor.sql, cursor.stmt);
    } else this.#finalize(cursor.stmt);
  }

  #bind(stmt: number, params: Param[] | Record<string, Param> | undefined): DbError | undefined {
    const { capi } = this.#sqlite!;
    const count = this.#calls.bindParameterCount(stmt);
    const values: Param[] = [];
    if (params === undefined || Array.isArray(params)) {
      const given = params?.length ?? 0;
      if (given !== count) {
        return new DbError("ProgrammingError", `Incorrect number of bindings supplied. The current statement uses ${count}, and there are ${given} supplied.`);
      }
      if (params) values.push(...params);
    } else {
      for (let i = 1; i <= count; i++) {
        const name = capi.sqlite3_bind_parameter_name(stmt, i);
        if (!name) return new DbError("ProgrammingError", `Binding ${i} has no name, but you supplied a dictionary (which has only names).`);
        const key = name.slice(1);
        if (!Object.hasOwn(params, key)) return new DbError("ProgrammingError", `You did not supply a value for binding parameter ${name}.`);
        values.push(params[key]);
      }
    }
    const calls = this.#calls;
    for (let i = 0; i < values.length; i++) {
      const value = values[i];
      let rc: number;
      if (value === null) rc = calls.bindNull(stmt, i + 1);
      else if (typeof value === "string") rc = calls.bindText(stmt, i + 1, value);
      else if (typeof value === "bigint") rc = calls.bindInt64(stmt, i + 1, value);
      else if (typeof value === "number") rc = calls.bindDouble(stmt, i + 1, value);
      else rc = calls.bindBlob(stmt, i + 1, value);
      if (rc) return new DbError("InterfaceError", `Error binding parameter ${i + 1}: ${capi.sqlite3_errstr(rc)}`, rc);
    }
    return undefined;
  }

  /** Steps up to `maxRows` rows (0: to the end, discarding rows) and encodes them. */
  #step(conn: Connection, stmt: number, maxRows: number): { rows: string; done: boolean; error?: DbError } {
    const calls = this.#calls;
    const columns = calls.columnCount(stmt);
    const rows: string[] = [];
    for (;;) {
      const rc = calls.step(stmt);
      if (rc === SQLITE_DONE) return { rows: `[${rows.join(",")}]`, done: true };
      if (rc !== SQLITE_ROW) {
        calls.reset(stmt);
        return { rows: "[]", done: true, error: this.#error(conn.db, rc) };
      }
      if (maxRows === 0) continue;
      rows.push(encodeRow(calls, stmt, columns));
      if (rows.length >= maxRows) return { rows: `[${rows.join(",")}]`, done: false };
    }
  }
}

/**
 * What the authorizer refuses: ATTACH of anything but the app's own files (below), and the
 * modes in which a connection would keep pages or a journal of its own across requests
 * (`locking_mode=EXCLUSIVE` never re-reads the file, and WAL would need it; MEMORY and OFF
 * journals cannot roll back a failed request's transaction): after /data restored the file, such a
 * connection would go on from what the failed request had done.
 */
function allowed(action: number, first: string | 0, second: string | 0): boolean {
  if (action === SQLITE_ATTACH) return attachable(first);
  if (action === SQLITE_PRAGMA && typeof second === "string" && typeof first === "string") {
    const pragma = first.toLowerCase();
    const value = second.toLowerCase().replace(/^['"]|['"]$/g, "");
    if (pragma === "locking_mode") return value === "normal";
    // WAL is let through: without shared memory (this VFS has none) and with locking_mode
    // NORMAL, SQLite keeps the rollback journal and answers the mode it kept, as apps that
    // ask for WAL out of habit expect.
    if (pragma === "journal_mode") return ["delete", "truncate", "persist", "wal"].includes(value);
  }
  return true;
}

/**
 * ATTACH targets the authorizer lets through: a new in-memory or temporary database, or a file
 * of the app's /data or /tmp. A name SQLite cannot show it (a bound parameter, an expression)
 * is refused: only a literal can be checked. (The VFS checks every path it opens as well.)
 */
function attachable(name: string | 0): boolean {
  return name !== 0 && (name === "" || name === ":memory:" || allowedPath(name));
}
