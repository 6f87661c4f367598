/**
 * The only JavaScript values Python can ever hold a reference to.
 *
 * The runtime's own FFI hands Python any JS object and lets it walk `.constructor` to
 * `Function` (DESIGN.md, two proven escapes). swasgi's FFI instead keeps a table of these
 * records: a namespace exposes its own members and nothing else, a host function is called with
 * converted values and returns converted values, and no record ever leaks a real JS object.
 */

/** A value that may travel from JS into Python. */
export type HostValue = undefined | null | boolean | number | string | JsRecord;
/** A value as it arrives from Python (a PyFloat or PyBigInt only for host functions that ask for one). */
export type PyValue = undefined | null | boolean | number | string | PyFloat | PyBigInt | PyHandle | JsRecord;

export abstract class JsRecord {
  abstract readonly label: string;
}

/** A module-like object: `import js` and each capability module granted by the host. */
export class Namespace extends JsRecord {
  readonly label: string;
  readonly #members: Map<string, HostValue>;
  constructor(name: string, members: Record<string, HostValue>) {
    super();
    this.label = `namespace ${name}`;
    this.#members = new Map(Object.entries(members));
  }
  /** Own members only: no prototype chain, no `constructor`, no `__proto__`. */
  member(name: string): { found: boolean; value: HostValue } {
    return this.#members.has(name) ? { found: true, value: this.#members.get(name) } : { found: false, value: undefined };
  }
  /** The members, for naming them in a boot image (bootImage.ts). */
  entries(): IterableIterator<[string, HostValue]> {
    return this.#members.entries();
  }
}

/**
 * A function the host granted. It receives values already converted from Python and must
 * validate them: anything it is given may have been forged. Python ints and floats both
 * arrive as numbers, unless `floatsApart`: then a float arrives as a PyFloat, so that 2.0 and
 * 2 stay apart (SQLite stores one as REAL, the other as INTEGER). A `pure` function answers
 * the same at every start of an app version and changes nothing: an import may call it and
 * still be kept in an app image (src/runner/importEffects.ts).
 */
export class HostFunction extends JsRecord {
  readonly label: string;
  constructor(
    name: string,
    readonly fn: (...args: PyValue[]) => HostValue,
    readonly floatsApart = false,
    readonly pure = false,
  ) {
    super();
    this.label = `function ${name}`;
  }
}

/** A Python float, for a host function that asked to tell floats from ints (`floatsApart`). */
export class PyFloat {
  constructor(readonly value: number) {}
}

/**
 * A Python int past 32 bits, as host functions that keep numeric kinds apart see it (the FFI
 * passes ints as 32 bits, wasm/bigIntFlag.mjs marks the larger ones); others get the low bits.
 */
export class PyBigInt {}
export const PY_BIG_INT = new PyBigInt();

/** A pending host result. Python may only `await` it (which reads `.then`). */
export class HostPromise extends JsRecord {
  readonly label = "promise";
  constructor(readonly promise: Promise<HostValue>) {
    super();
  }
}

/** An iterator that is immediately exhausted: what iterating any record yields. */
export class EmptyIterator extends JsRecord {
  readonly label = "iterator";
}

/**
 * A Python object that crossed into JS (a callback, say). It pins a slot in the C side's
 * `proxy_c_ref` list until released, so the host releases every handle it does not keep.
 */
export class PyHandle {
  released = false;
  retained = false;
  constructor(
    readonly cref: number,
    readonly callable: boolean,
  ) {}
}

/**
 * What `jsffi.create_proxy(x)` / `jsffi.to_js(x)` give back: an opaque JS-side stand-in for a
 * Python object. Host functions that accept callbacks take these as well as plain callables.
 */
export class PyObjectRecord extends JsRecord {
  readonly label = "python object";
  constructor(readonly handle: PyHandle) {
    super();
  }
}
