import type { Sqlite3Static } from "@sqlite.org/sqlite-wasm";

/**
 * The values that cross between sqlite3.py and the SQLite host, as JSON text (the FFI carries
 * strings and 32-bit ints, and one string per call is the cheapest way through it).
 *
 * Parameters (Python → host): a JSON array (qmark style) or object (named style) of
 *   null | integer (JS-safe) | string | {"i": "digits"} (a 64-bit int beyond 2**53)
 *   | {"f": number | "Infinity" | "-Infinity" | "NaN"} (a float) | {"b": "hex"} (bytes).
 * Rows (host → Python): a JSON array of arrays, where integers are written with all their
 * digits (Python's json reads them exactly), floats always with a "." or an exponent (so they
 * come back as float, ±1e999 for infinities), text as JSON strings and blobs as {"b": "hex"}.
 */
export type Param = null | string | bigint | number | Uint8Array;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Parses the parameters of one statement; an Error names what is malformed. */
export function decodeParams(text: unknown): Param[] | Record<string, Param> | undefined | Error {
  if (text === "") return undefined;
  let parsed: unknown = text;
  if (typeof text === "string") {
    try {
      parsed = JSON.parse(text);
    } catch {
      return new Error("parameters must be a sequence or a mapping");
    }
  }
  if (Array.isArray(parsed)) {
    const values: Param[] = [];
    for (let i = 0; i < parsed.length; i++) {
      const value = decodeValue(parsed[i]);
      if (value instanceof Error) return new Error(`Error binding parameter ${i + 1}: ${value.message}`);
      values.push(value);
    }
    return values;
  }
  if (typeof parsed === "object" && parsed !== null) {
    const values: Record<string, Param> = Object.create(null);
    for (const [name, encoded] of Object.entries(parsed)) {
      const value = decodeValue(encoded);
      if (value instanceof Error) return new Error(`Error binding parameter :${name}: ${value.message}`);
      values[name] = value;
    }
    return values;
  }
  return new Error("parameters must be a sequence or a mapping");
}

function decodeValue(value: unknown): Param | Error {
  if (value === null || typeof value === "string") return value;
  if (typeof value === "number") return Number.isSafeInteger(value) ? BigInt(value) : new Error("not an integer");
  if (typeof value === "object") {
    const tagged = value as { i?: unknown; f?: unknown; b?: unknown };
    if (typeof tagged.i === "string" && /^-?\d{1,19}$/.test(tagged.i)) {
      const big = BigInt(tagged.i);
      return big >= INT64_MIN && big <= INT64_MAX ? big : new Error("Python int too large to convert to SQLite INTEGER");
    }
    if (typeof tagged.f === "number") return tagged.f;
    if (tagged.f === "Infinity" || tagged.f === "-Infinity" || tagged.f === "NaN") return Number(tagged.f);
    if (typeof tagged.b === "string" && /^(?:[0-9a-f]{2})*$/.test(tagged.b)) return hexBytes(tagged.b);
  }
  return new Error("type is not supported");
}

function hexBytes(hex: string): Uint8Array {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

/** The current row of `stmt` as JSON (see the module comment). */
export function encodeRows(sqlite: Sqlite3Static, stmt: number): string {
  const { capi, wasm } = sqlite;
  const count = capi.sqlite3_column_count(stmt);
  const cells: string[] = [];
  for (let i = 0; i < count; i++) {
    switch (capi.sqlite3_column_type(stmt, i)) {
      case capi.SQLITE_INTEGER:
        cells.push(String(capi.sqlite3_column_int64(stmt, i)));
        break;
      case capi.SQLITE_FLOAT: {
        const value = capi.sqlite3_column_double(stmt, i);
        if (!Number.isFinite(value)) cells.push(value > 0 ? "1e999" : value < 0 ? "-1e999" : "null");
        else {
          const text = String(value);
          cells.push(/[.e]/.test(text) ? text : `${text}.0`);
        }
        break;
      }
      case capi.SQLITE_TEXT:
        cells.push(JSON.stringify(capi.sqlite3_column_text(stmt, i) ?? ""));
        break;
      case capi.SQLITE_BLOB: {
        const ptr = capi.sqlite3_column_blob(stmt, i) as number;
        const size = capi.sqlite3_column_bytes(stmt, i);
        const bytes = wasm.heap8u().subarray(ptr, ptr + size);
        let hex = "";
        for (let j = 0; j < size; j++) hex += HEX[bytes[j]];
        cells.push(`{"b":"${hex}"}`);
        break;
      }
      default:
        cells.push("null");
    }
  }
  return `[${cells.join(",")}]`;
}

/**
 * CPython 3.11's test for DML (Modules/_sqlite/statement.c): the first word, after whitespace
 * and comments, is INSERT, UPDATE, DELETE or REPLACE. Such statements open the implicit
 * transaction and count in `rowcount`.
 */
export function isDml(sql: string): boolean {
  let i = 0;
  while (i < sql.length) {
    const c = sql[i];
    if (c === " " || c === "\t" || c === "\n" || c === "\r" || c === "\f") i++;
    else if (sql.startsWith("--", i)) {
      const end = sql.indexOf("\n", i);
      if (end < 0) return false;
      i = end + 1;
    } else if (sql.startsWith("/*", i)) {
      const end = sql.indexOf("*/", i + 2);
      if (end < 0) return false;
      i = end + 2;
    } else break;
  }
  return /^(insert|update|delete|replace)/i.test(sql.slice(i, i + 7));
}
