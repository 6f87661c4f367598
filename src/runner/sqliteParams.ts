/**
 * Statement parameters as `_sqlite3.py` sends them when it cannot pass them as the call's own
 * arguments (sqliteModule.ts `run`: dicts, ints past MicroPython's small ints, executemany):
 * what MicroPython's `json.dumps` makes of a tuple, list or dict of None, bool, int, float and
 * str (one C call in Python), read here by a scanner that keeps what JSON.parse would lose: a number written with
 * only digits is an INTEGER, exact to all its digits (a bigint); one with a ".", an exponent,
 * `inf` or `nan` is a REAL. Values json cannot write (bytes, adapted types) make Python take
 * its slow path, which encodes each value and prefixes the text with "b": only then is an
 * object `{"b": "hex"}` a blob, so an app's own dict can never pass for one.
 */
export type Param = null | string | bigint | number | Uint8Array;

/** Why parameters cannot be bound: `kind` is the Python exception to raise. */
export class ParamError {
  constructor(
    readonly kind: string,
    readonly message: string,
  ) {}
}

export type Params = Param[] | Record<string, Param> | ParamError;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** A JSON value with number kinds kept, before it is checked to be a parameter. */
type Scanned = null | boolean | string | bigint | number | Scanned[] | { [key: string]: Scanned };

/** A JSON literal as MicroPython writes it (`inf`, `nan` included), matched where the scanner is. */
const LITERAL = /null|true|false|-?inf|nan|-?\d+(\.\d*)?([eE][-+]?\d+)?/y;

class Scanner {
  pos = 0;
  constructor(readonly text: string) {}

  value(): Scanned {
    this.space();
    const c = this.text[this.pos];
    if (c === "[") {
      this.pos++;
      const items: Scanned[] = [];
      this.space();
      if (this.text[this.pos] === "]") {
        this.pos++;
        return items;
      }
      for (;;) {
        items.push(this.value());
        this.space();
        const next = this.text[this.pos++];
        if (next === "]") return items;
        if (next !== ",") throw new SyntaxError("expected , or ]");
      }
    }
    if (c === "{") {
      this.pos++;
      const object: Record<string, Scanned> = Object.create(null);
      this.space();
      if (this.text[this.pos] === "}") {
        this.pos++;
        return object;
      }
      for (;;) {
        this.space();
        const key = this.value();
        if (typeof key !== "string") throw new SyntaxError("expected a key");
        this.space();
        if (this.text[this.pos++] !== ":") throw new SyntaxError("expected :");
        object[key] = this.value();
        this.space();
        const next = this.text[this.pos++];
        if (next === "}") return object;
        if (next !== ",") throw new SyntaxError("expected , or }");
      }
    }
    if (c === '"') {
      let end = this.pos + 1;
      let escaped = false;
      for (; end < this.text.length; end++) {
        const d = this.text.charCodeAt(end);
        if (d === 92) {
          escaped = true;
          end++;
        } else if (d === 34) break;
      }
      const raw = this.text.slice(this.pos, end + 1);
      this.pos = end + 1;
      return escaped ? (JSON.parse(raw) as string) : raw.slice(1, -1);
    }
    LITERAL.lastIndex = this.pos;
    const word = LITERAL.exec(this.text);
    if (!word) throw new SyntaxError(`unexpected ${c ?? "end"}`);
    this.pos += word[0].length;
    const literal = word[0];
    if (literal === "null") return null;
    if (literal === "true" || literal === "false") return literal === "true";
    if (literal.endsWith("inf")) return literal.startsWith("-") ? -Infinity : Infinity;
    if (literal === "nan") return NaN;
    return /[.eE]/.test(literal) ? Number(literal) : BigInt(literal);
  }

  space(): void {
    while (this.pos < this.text.length && " \t\n\r".includes(this.text[this.pos])) this.pos++;
  }
}

/** Parses the text of one parameter set, or of a list of them (`many`, for executemany). */
export function parseParams(text: string, many: false): Params;
export function parseParams(text: string, many: true): Params[] | ParamError;
export function parseParams(text: string, many: boolean): Params | Params[] {
  const blobs = text.startsWith("b");
  let scanned: Scanned;
  try {
    const scanner = new Scanner(blobs ? text.slice(1) : text);
    scanned = scanner.value();
    scanner.space();
    if (scanner.pos !== scanner.text.length) throw new SyntaxError("trailing text");
  } catch (error) {
    return new ParamError("ProgrammingError", `parameters could not be read (${(error as Error).message})`);
  }
  if (!many) return paramSet(scanned, blobs);
  if (!Array.isArray(scanned)) return new ParamError("ProgrammingError", "executemany() expects a sequence of parameter sets");
  return scanned.map((set) => paramSet(set, blobs));
}

function paramSet(scanned: Scanned, blobs: boolean): Params {
  if (Array.isArray(scanned)) {
    const values: Param[] = [];
    for (let i = 0; i < scanned.length; i++) {
      const value = param(scanned[i], blobs);
      if (value instanceof ParamError) return withWhere(value, String(i + 1));
      values.push(value);
    }
    return values;
  }
  if (typeof scanned === "object" && scanned !== null && typeof scanned !== "bigint") {
    const values: Record<string, Param> = Object.create(null);
    for (const [name, encoded] of Object.entries(scanned)) {
      const value = param(encoded, blobs);
      if (value instanceof ParamError) return withWhere(value, `:${name}`);
      values[name] = value;
    }
    return values;
  }
  return new ParamError("ProgrammingError", "parameters are of unsupported type");
}

function withWhere(error: ParamError, where: string): ParamError {
  return error.kind === "OverflowError" ? error : new ParamError(error.kind, `Error binding parameter ${where}: ${error.message}`);
}

function param(value: Scanned, blobs: boolean): Param | ParamError {
  if (value === null || typeof value === "string" || typeof value === "number") return value;
  if (typeof value === "boolean") return value ? 1n : 0n;
  if (typeof value === "bigint") {
    return value >= INT64_MIN && value <= INT64_MAX ? value : new ParamError("OverflowError", "Python int too large to convert to SQLite INTEGER");
  }
  if (Array.isArray(value)) return new ParamError("ProgrammingError", "type 'list' is not supported");
  const hex = value.b;
  if (blobs && typeof hex === "string" && Object.keys(value).length === 1 && /^(?:[0-9a-f]{2})*$/.test(hex)) {
    const bytes = new Uint8Array(hex.length / 2);
    for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
    return bytes;
  }
  return new ParamError("ProgrammingError", "type 'dict' is not supported");
}
