import type { SqliteCalls } from "./sqliteCalls.ts";

const SQLITE_INTEGER = 1;
const SQLITE_FLOAT = 2;
const SQLITE_TEXT = 3;
const SQLITE_BLOB = 4;

/**
 * Rows as the host sends them to `_sqlite3.py`: JSON arrays, where integers are written with
 * all their digits (Python's json reads them exactly), floats always with a "." or an exponent
 * (so they come back as float; ±1e999 for the infinities), text as JSON strings and blobs as
 * {"b": "hex"} (the only objects in a row). Parameters travel the other way: sqliteParams.ts.
 */
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

/** The current row of `stmt` as JSON (see above). */
export function encodeRow(calls: SqliteCalls, stmt: number, columns: number): string {
  let row = "[";
  for (let i = 0; i < columns; i++) {
    if (i) row += ",";
    switch (calls.columnType(stmt, i)) {
      case SQLITE_INTEGER:
        row += String(calls.columnInt64(stmt, i));
        break;
      case SQLITE_FLOAT: {
        const value = calls.columnDouble(stmt, i);
        if (!Number.isFinite(value)) row += value > 0 ? "1e999" : value < 0 ? "-1e999" : "null";
        else {
          const text = String(value);
          row += /[.e]/.test(text) ? text : `${text}.0`;
        }
        break;
      }
      case SQLITE_TEXT:
        row += JSON.stringify(calls.columnText(stmt, i));
        break;
      case SQLITE_BLOB: {
        const bytes = calls.columnBlob(stmt, i);
        let hex = "";
        for (let j = 0; j < bytes.byteLength; j++) hex += HEX[bytes[j]];
        row += `{"b":"${hex}"}`;
        break;
      }
      default:
        row += "null";
    }
  }
  return `${row}]`;
}

/**
 * CPython 3.11's test for DML (Modules/_sqlite/statement.c): the first word, after whitespace
 * and comments, is INSERT, UPDATE, DELETE or REPLACE. Such statements open the implicit
 * transaction and count in `rowcount`.
 */
export function isDml(sql: string): boolean {
  const i = skipSpace(sql);
  return /^(insert|update|delete|replace)/i.test(sql.slice(i, i + 7));
}

/** Whether SQL text is only whitespace and comments (what may follow the one statement of execute()). */
export function onlySpace(sql: string): boolean {
  return skipSpace(sql) >= sql.length;
}

/** Where the first token is, past whitespace and comments (an unclosed comment runs to the end). */
function skipSpace(sql: string): number {
  let i = 0;
  while (i < sql.length) {
    const c = sql[i];
    if (c === " " || c === "\t" || c === "\n" || c === "\r" || c === "\f") i++;
    else if (sql.startsWith("--", i)) {
      const end = sql.indexOf("\n", i);
      if (end < 0) return sql.length;
      i = end + 1;
    } else if (sql.startsWith("/*", i)) {
      const end = sql.indexOf("*/", i + 2);
      if (end < 0) return sql.length;
      i = end + 2;
    } else break;
  }
  return i;
}
