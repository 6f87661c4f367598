import type { Sqlite3Static } from "@sqlite.org/sqlite-wasm";
import type { SqliteCalls } from "./sqliteCalls.ts";
import { DbError } from "./sqliteErrors.ts";
import { isDml, onlySpace } from "./sqliteValues.ts";

/** Prepared statements kept per connection for reuse (CPython's `cached_statements`). */
const STATEMENT_CACHE = 64;
/** SQL texts a connection keeps a key for: more than `_sqlite3.py` keeps, so a key it holds is rarely one dropped here. */
const SQL_KEYS = 1024;

/** What execute() needs to know of a statement, worked out once per prepare (or re-prepare). */
export interface StatementInfo {
  /** INSERT, UPDATE, DELETE or REPLACE (isDml): opens the implicit transaction, counts in rowcount. */
  readonly dml: boolean;
  /** The column names as JSON. */
  readonly names: string;
  /**
   * Stands for `names` in the answers of this connection (0: no columns): a new id for each
   * prepare or re-prepare, so that `_sqlite3.py`, which keeps the names it was sent by id,
   * is sent them again whenever they may have changed.
   */
  readonly namesId: number;
  /** SQLite's re-prepare count when the names were read (sqlite3_stmt_status). */
  readonly reprepared: number;
}

/**
 * One connection's prepared statements: idle ones kept by SQL text for the next execute of
 * the same SQL (an app runs the same few statements again and again), and what each statement
 * is (StatementInfo), kept until SQLite re-prepares it after a schema change.
 */
export class Statements {
  #idle = new Map<string, number>();
  #info = new Map<number, StatementInfo>();
  #nextNamesId = 1;
  #keys = new Map<string, number>();
  #texts = new Map<number, string>();
  #nextKey = 1;
  #closed = false;

  constructor(
    private readonly sqlite: Sqlite3Static,
    private readonly calls: SqliteCalls,
    private readonly db: number,
    private readonly error: (rc: number) => DbError,
  ) {}

  /**
   * A statement for `sql`: an idle one, or newly prepared; 0 for SQL that holds no statement
   * (it runs and returns nothing). As CPython, anything after the statement but whitespace
   * and comments is a second statement, refused.
   */
  take(sql: string): number | DbError {
    const cached = this.#idle.get(sql);
    if (cached) {
      this.#idle.delete(sql);
      return cached;
    }
    const { capi, wasm } = this.sqlite;
    const stack = wasm.pstack.pointer;
    try {
      const [text, length] = wasm.allocCString(sql, true) as [number, number];
      try {
        const out = wasm.pstack.allocPtr() as number;
        const tail = wasm.pstack.allocPtr() as number;
        const rc = capi.sqlite3_prepare_v3(this.db, text, length, 0, out, tail);
        if (rc) return this.error(rc);
        const stmt = wasm.peekPtr(out) as number;
        const rest = (wasm.peekPtr(tail) as number) - text;
        if (rest < length && !onlySpace(new TextDecoder().decode(wasm.heap8u().subarray(text + rest, text + length)))) {
          if (stmt) this.finalize(stmt);
          return new DbError("ProgrammingError", "You can only execute one statement at a time.");
        }
        return stmt;
      } finally {
        wasm.dealloc(text);
      }
    } finally {
      wasm.pstack.restore(stack);
    }
  }

  /** Puts a statement back for reuse (reset, bindings cleared), or finalizes it. */
  release(sql: string, stmt: number): void {
    this.calls.reset(stmt);
    this.calls.clearBindings(stmt);
    if (this.#closed || this.#idle.has(sql)) {
      this.finalize(stmt);
      return;
    }
    if (this.#idle.size >= STATEMENT_CACHE) {
      const [oldest, old] = this.#idle.entries().next().value as [string, number];
      this.#idle.delete(oldest);
      this.finalize(old);
    }
    this.#idle.set(sql, stmt);
  }

  /** Frees a statement; its pointer may come back for another one, so what it was is forgotten. */
  finalize(stmt: number): void {
    this.#info.delete(stmt);
    this.sqlite.capi.sqlite3_finalize(stmt);
  }

  /**
   * A small integer that stands for `sql` in later calls (`_sqlite3.py` sends it instead of
   * the text). Keys are never reused: one that was dropped (past SQL_KEYS) names nothing.
   */
  keyOf(sql: string): number {
    let key = this.#keys.get(sql);
    if (key === undefined) {
      if (this.#keys.size >= SQL_KEYS) {
        const [oldest, old] = this.#keys.entries().next().value as [string, number];
        this.#keys.delete(oldest);
        this.#texts.delete(old);
      }
      key = this.#nextKey++;
      this.#keys.set(sql, key);
      this.#texts.set(key, sql);
    }
    return key;
  }

  /** The SQL text a key stands for, if it still does. */
  textOf(key: number): string | undefined {
    return this.#texts.get(key);
  }

  /** Whether `stmt` is DML (isDml of its SQL: a re-prepare does not change that). */
  dml(stmt: number, sql: string): boolean {
    return (this.#info.get(stmt) ?? this.info(stmt, sql)).dml;
  }

  /** What `stmt`, prepared from `sql`, is: read again after SQLite re-prepared it. */
  info(stmt: number, sql: string): StatementInfo {
    const reprepared = this.calls.reprepared(stmt);
    const known = this.#info.get(stmt);
    if (known && known.reprepared === reprepared) return known;
    const names: string[] = [];
    const columns = this.calls.columnCount(stmt);
    for (let i = 0; i < columns; i++) names.push(this.sqlite.capi.sqlite3_column_name(stmt, i) ?? "");
    const info = { dml: isDml(sql), names: JSON.stringify(names), namesId: columns ? this.#nextNamesId++ : 0, reprepared };
    this.#info.set(stmt, info);
    return info;
  }

  /** Finalizes the idle statements; any still in use are finalized when released. */
  close(): void {
    this.#closed = true;
    for (const stmt of this.#idle.values()) this.finalize(stmt);
    this.#idle.clear();
  }
}
