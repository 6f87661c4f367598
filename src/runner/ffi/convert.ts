import { LinearMemory } from "./memory.ts";
import { type HostValue, JsRecord, PY_BIG_INT, PyFloat, PyHandle, type PyValue } from "./records.ts";
import { REF_UNDEFINED, type RefTable } from "./refTable.ts";
import { withoutStubFrames } from "../importStub.ts";

/** Value kinds of the C side (ports/webassembly/proxy_c.c); a value is three 32-bit words. */
export const MP_KIND = {
  EXCEPTION: -1, NULL: 0, NONE: 1, BOOL: 2, INT: 3, FLOAT: 4, STR: 5,
  CALLABLE: 6, GENERATOR: 7, OBJECT: 8, JSPROXY: 9, EXISTING: 10,
} as const;
export const JS_KIND = {
  UNDEFINED: 0, NULL: 1, BOOLEAN: 2, INTEGER: 3, DOUBLE: 4, STRING: 5,
  OBJECT_EXISTING: 6, OBJECT: 7, PYPROXY: 8,
} as const;
export const VALUE_BYTES = 12;

/** A Python exception that reached the JS side: its type name and printed traceback. */
export class PyError {
  constructor(
    readonly type: string,
    readonly traceback: string,
  ) {}
}

/** What the converters need from one interpreter. */
export interface ConvertContext {
  readonly memory: LinearMemory;
  readonly table: RefTable;
  malloc(size: number): number;
  free(ptr: number): void;
  /** Python handles converted during the current host call, released unless retained. */
  readonly pending: PyHandle[];
}

/**
 * Reads the Python value at `ptr` (the C side's `proxy_convert_mp_to_js_obj_cside` output); a
 * float as a PyFloat and an int past 32 bits as PY_BIG_INT when `floatsApart`.
 */
export function fromPython(ctx: ConvertContext, ptr: number, floatsApart = false): PyValue | PyError {
  const m = ctx.memory;
  const kind = m.i32(ptr);
  switch (kind) {
    case MP_KIND.EXCEPTION: {
      const len = m.u32(ptr + 4);
      const strPtr = m.u32(ptr + 8);
      const text = m.string(strPtr, len);
      ctx.free(strPtr);
      const split = text.indexOf("\x04");
      return split < 0 ? new PyError("Exception", withoutStubFrames(text)) : new PyError(text.slice(0, split), withoutStubFrames(text.slice(split + 1)));
    }
    case MP_KIND.NONE:
      return null;
    case MP_KIND.BOOL:
      return m.i32(ptr + 4) !== 0;
    case MP_KIND.INT:
      return floatsApart && m.i32(ptr + 8) !== 0 ? PY_BIG_INT : m.i32(ptr + 4);
    case MP_KIND.FLOAT:
      return floatsApart ? new PyFloat(m.f64(ptr + 4)) : m.f64(ptr + 4);
    case MP_KIND.STR:
      return m.string(m.u32(ptr + 8), m.u32(ptr + 4));
    case MP_KIND.JSPROXY: {
      const ref = m.i32(ptr + 4);
      return ref === REF_UNDEFINED ? undefined : ctx.table.get(ref);
    }
    case MP_KIND.CALLABLE:
    case MP_KIND.GENERATOR:
    case MP_KIND.OBJECT: {
      const handle = new PyHandle(m.u32(ptr + 4), kind === MP_KIND.CALLABLE);
      ctx.pending.push(handle);
      return handle;
    }
    default:
      // NULL, and EXISTING (never produced: js_check_existing always answers "none").
      return undefined;
  }
}

/** Writes a host value where the C side expects a JS value (`proxy_convert_js_to_mp_obj_cside`). */
export function toPython(ctx: ConvertContext, value: HostValue | PyHandle, out: number): void {
  const m = ctx.memory;
  if (value === undefined) {
    m.setI32(out, JS_KIND.UNDEFINED);
  } else if (value === null) {
    m.setI32(out, JS_KIND.NULL);
  } else if (typeof value === "boolean") {
    m.setI32(out, JS_KIND.BOOLEAN);
    m.setI32(out + 4, value ? 1 : 0);
  } else if (typeof value === "number") {
    if (Number.isInteger(value) && value >= -0x80000000 && value <= 0x7fffffff) {
      m.setI32(out, JS_KIND.INTEGER);
      m.setI32(out + 4, value);
    } else {
      m.setI32(out, JS_KIND.DOUBLE);
      m.setF64(out + 4, value);
    }
  } else if (typeof value === "string") {
    if (LinearMemory.isShortAscii(value)) {
      const buf = ctx.malloc(value.length + 1);
      m.setI32(out, JS_KIND.STRING);
      m.setI32(out + 4, buf && m.writeAscii(buf, value) ? value.length : 0);
      m.setI32(out + 8, buf);
      return;
    }
    const bytes = LinearMemory.encode(value);
    const buf = ctx.malloc(bytes.byteLength + 1);
    m.setI32(out, JS_KIND.STRING);
    if (buf === 0) {
      // Out of memory: an empty string (C frees the null pointer harmlessly).
      m.setI32(out + 4, 0);
      m.setI32(out + 8, 0);
      return;
    }
    m.write(buf, bytes);
    m.write(buf + bytes.byteLength, new Uint8Array(1));
    m.setI32(out + 4, bytes.byteLength);
    m.setI32(out + 8, buf);
  } else if (value instanceof PyHandle) {
    if (value.released) {
      m.setI32(out, JS_KIND.UNDEFINED);
    } else {
      m.setI32(out, JS_KIND.PYPROXY);
      m.setI32(out + 4, value.cref);
    }
  } else if (value instanceof JsRecord) {
    const { id, existing } = ctx.table.add(value);
    m.setI32(out, existing ? JS_KIND.OBJECT_EXISTING : JS_KIND.OBJECT);
    m.setI32(out + 4, id);
  } else {
    m.setI32(out, JS_KIND.UNDEFINED);
  }
}
