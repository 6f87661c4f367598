import type { Sqlite3Static } from "@sqlite.org/sqlite-wasm";

/**
 * The C functions on the hot path of every statement, called as the wasm exports themselves:
 * the engine's `capi` wrappers convert each argument through a table of adapters, which cost
 * more than the calls (measured: most of a 10,000-row executemany). Pointers and ints only:
 * text is copied in and out here with the realm's TextEncoder/TextDecoder.
 */
export interface SqliteCalls {
  step(stmt: number): number;
  reset(stmt: number): number;
  clearBindings(stmt: number): number;
  columnCount(stmt: number): number;
  columnType(stmt: number, i: number): number;
  columnInt64(stmt: number, i: number): bigint;
  columnDouble(stmt: number, i: number): number;
  /** The column as text, or a blob's bytes (a view into the engine's memory: copy before the next call). */
  columnText(stmt: number, i: number): string;
  columnBlob(stmt: number, i: number): Uint8Array;
  bindNull(stmt: number, i: number): number;
  bindInt64(stmt: number, i: number, value: bigint): number;
  bindDouble(stmt: number, i: number, value: number): number;
  bindText(stmt: number, i: number, value: string): number;
  bindBlob(stmt: number, i: number, value: Uint8Array): number;
  bindParameterCount(stmt: number): number;
  /** How many times SQLite re-prepared `stmt` (after a schema change): its column names may differ. */
  reprepared(stmt: number): number;
  changes(db: number): bigint;
  autocommit(db: number): number;
  lastInsertRowid(db: number): bigint;
}

type Exports = Record<string, (...args: (number | bigint)[]) => number | bigint>;

/** Up to this many UTF-16 units, ASCII text is copied by hand: TextEncoder costs more to call. */
const SHORT_TEXT = 64;
const encoder = new TextEncoder();

/** Writes `text` as UTF-8 at `at` in `heap` (which has room for 3 bytes a unit) and answers its size. */
function encodeInto(text: string, heap: Uint8Array, at: number): number {
  if (text.length <= SHORT_TEXT) {
    let i = 0;
    for (; i < text.length; i++) {
      const unit = text.charCodeAt(i);
      if (unit >= 0x80) break;
      heap[at + i] = unit;
    }
    if (i === text.length) return i;
  }
  return encoder.encodeInto(text, heap.subarray(at, at + text.length * 3)).written;
}

export function sqliteCalls(sqlite: Sqlite3Static): SqliteCalls {
  const x = sqlite.wasm.exports as unknown as Exports;
  const { wasm, capi } = sqlite;
  const decoder = new TextDecoder();
  // SQLite frees what we hand it with this destructor, whether the bind succeeds or not.
  const free = capi.SQLITE_WASM_DEALLOC as unknown as number;
  const view = (ptr: number, size: number) => wasm.heap8u().subarray(ptr, ptr + size);
  const copyIn = (bytes: Uint8Array): number => {
    const ptr = x.sqlite3_malloc(Math.max(1, bytes.byteLength)) as number;
    if (ptr) wasm.heap8u().set(bytes, ptr);
    return ptr;
  };
  return {
    step: (stmt) => x.sqlite3_step(stmt) as number,
    reset: (stmt) => x.sqlite3_reset(stmt) as number,
    clearBindings: (stmt) => x.sqlite3_clear_bindings(stmt) as number,
    columnCount: (stmt) => x.sqlite3_column_count(stmt) as number,
    columnType: (stmt, i) => x.sqlite3_column_type(stmt, i) as number,
    columnInt64: (stmt, i) => x.sqlite3_column_int64(stmt, i) as bigint,
    columnDouble: (stmt, i) => x.sqlite3_column_double(stmt, i) as number,
    columnText(stmt, i) {
      const ptr = x.sqlite3_column_text(stmt, i) as number;
      return ptr ? decoder.decode(view(ptr, x.sqlite3_column_bytes(stmt, i) as number)) : "";
    },
    columnBlob(stmt, i) {
      const ptr = x.sqlite3_column_blob(stmt, i) as number;
      return ptr ? view(ptr, x.sqlite3_column_bytes(stmt, i) as number) : new Uint8Array(0);
    },
    bindNull: (stmt, i) => x.sqlite3_bind_null(stmt, i) as number,
    bindInt64: (stmt, i, value) => x.sqlite3_bind_int64(stmt, i, value) as number,
    bindDouble: (stmt, i, value) => x.sqlite3_bind_double(stmt, i, value) as number,
    bindText(stmt, i, value) {
      // UTF-8 takes at most 3 bytes per UTF-16 unit: encoded straight into the engine's memory.
      const ptr = x.sqlite3_malloc(Math.max(1, value.length * 3)) as number;
      if (!ptr) return capi.SQLITE_NOMEM;
      const size = encodeInto(value, wasm.heap8u(), ptr);
      return x.sqlite3_bind_text(stmt, i, ptr, size, free) as number;
    },
    bindBlob(stmt, i, value) {
      const ptr = copyIn(value);
      return ptr ? (x.sqlite3_bind_blob(stmt, i, ptr, value.byteLength, free) as number) : capi.SQLITE_NOMEM;
    },
    bindParameterCount: (stmt) => x.sqlite3_bind_parameter_count(stmt) as number,
    reprepared: (stmt) => x.sqlite3_stmt_status(stmt, 5 /* SQLITE_STMTSTATUS_REPREPARE */, 0) as number,
    changes: (db) => x.sqlite3_changes64(db) as bigint,
    autocommit: (db) => x.sqlite3_get_autocommit(db) as number,
    lastInsertRowid: (db) => x.sqlite3_last_insert_rowid(db) as bigint,
  };
}
