import type { Sqlite3Static } from "@sqlite.org/sqlite-wasm";
import type { SqliteCalls } from "./sqliteCalls.ts";
import { DbError } from "./sqliteErrors.ts";
import { onlySpace } from "./sqliteValues.ts";

/** Prepared statements kept per connection for reuse (CPython's `cached_statements`). */
const STATEMENT_CACHE = 64;

/**
 * One connection's prepared statements: idle ones kept by SQL text for the next execute of
 * the same SQL (an app runs the same few statements again and again), and each statement's
 * column names, kept until SQLite re-prepares it after a schema change.
 */
export class Statements {
  #idle = new Map<string, number>();
  #names = new Map<number, { count: number; json: string }>();
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

  /** Frees a statement; its pointer may come back for another one, so its names are forgotten. */
  finalize(stmt: number): void {
    this.#names.delete(stmt);
    this.sqlite.capi.sqlite3_finalize(stmt);
  }

  /** The statement's column names as JSON. */
  names(stmt: number): string {
    const count = this.calls.reprepared(stmt);
    const known = this.#names.get(stmt);
    if (known && known.count === count) return known.json;
    const names: string[] = [];
    for (let i = 0; i < this.calls.columnCount(stmt); i++) names.push(this.sqlite.capi.sqlite3_column_name(stmt, i) ?? "");
    const json = JSON.stringify(names);
    this.#names.set(stmt, { count, json });
    return json;
  }

  /** Finalizes the idle statements; any still in use are finalized when released. */
  close(): void {
    this.#closed = true;
    for (const stmt of this.#idle.values()) this.finalize(stmt);
    this.#idle.clear();
  }
}
