import { type ConvertContext, fromPython, PyError, toPython, VALUE_BYTES } from "./convert.ts";
import {
  EmptyIterator,
  HostFunction,
  HostPromise,
  type HostValue,
  Namespace,
  PyHandle,
  PyObjectRecord,
  type PyValue,
} from "./records.ts";

export interface FfiContext extends ConvertContext {
  /** Releases a Python object's slot in the C side's proxy_c_ref list. */
  releasePython(handle: PyHandle): void;
  /** Called when a host function failed: the failure must not unwind the interpreter. */
  onHostError(where: string, error: unknown): void;
  /** Wraps a host promise's settlement so Python is resumed through the runner's slice. */
  then(promise: HostPromise, callback: PyHandle): void;
  /** Told of every host function Python calls, before it runs (importEffects.ts). */
  onHostCall?(label: string): void;
}

/**
 * The locked-down replacements for every JS import of the MicroPython wasm that touches a JS
 * object. Each one looks the ref up in the interpreter's table of records and allows only what
 * that record offers; everything else is a miss (AttributeError on the Python side), `undefined`
 * or an exhausted iterator. None of them throws: a JS exception would unwind the C interpreter.
 */
export function ffiImports(ctx: FfiContext): Record<string, (...args: number[]) => number | void> {


  /** Releases what the last host call was handed but did not keep. */
  const settle = (): void => {
    for (const handle of ctx.pending.splice(0)) {
      if (!handle.retained) ctx.releasePython(handle);
    }
  };
  const read = (ptr: number, floatsApart = false): PyValue => {
    const value = fromPython(ctx, ptr, floatsApart);
    return value instanceof PyError ? undefined : value;
  };
  const readMany = (ptr: number, count: number, floatsApart = false): PyValue[] => {
    const values: PyValue[] = [];
    const n = Math.max(0, Math.min(count >>> 0, 256));
    for (let i = 0; i < n; i++) values.push(read(ptr + i * VALUE_BYTES, floatsApart));
    return values;
  };
  /** Whether the function behind `ref` wants floats as PyFloat (read before its arguments). */
  const floatsApart = (ref: number): boolean => {
    const record = ctx.table.get(ref);
    return record instanceof HostFunction && record.floatsApart;
  };
  const call = (ref: number, args: PyValue[], out: number): number => {
    const record = ctx.table.get(ref);
    let result: HostValue = undefined;
    if (record instanceof HostFunction) {
      if (!record.pure) ctx.onHostCall?.(record.label);
      try {
        result = record.fn(...args);
      } catch (error) {
        ctx.onHostError(record.label, error);
      }
    }
    settle();
    toPython(ctx, result, out);
    return 0;
  };
  const deny = (out?: number): number => {
    settle();
    if (out !== undefined) toPython(ctx, undefined, out);
    return 0;
  };

  return {
    has_attr(ref, namePtr) {
      const record = ctx.table.get(ref);
      const name = ctx.memory.string(namePtr);
      if (record instanceof Namespace) return record.member(name).found ? 1 : 0;
      if (record instanceof HostPromise) return name === "then" ? 1 : 0;
      return 0;
    },
    lookup_attr(ref, namePtr, out) {
      const record = ctx.table.get(ref);
      const name = ctx.memory.string(namePtr);
      if (record instanceof Namespace) {
        const { found, value } = record.member(name);
        if (!found) return 0;
        toPython(ctx, value, out);
        return 1;
      }
      if (record instanceof HostPromise && name === "then") {
        const then = new HostFunction("then", (callback) => {
          const handle = callback instanceof PyObjectRecord ? callback.handle : callback;
          if (handle instanceof PyHandle && handle.callable) {
            handle.retained = true;
            ctx.then(record, handle);
          }
          return undefined;
        });
        toPython(ctx, then, out);
        return 1;
      }
      return 0;
    },
    store_attr: (_ref, _name, value) => (read(value), deny()),
    call0: (ref, out) => call(ref, [], out),
    call1: (ref, _viaCall, a0, out) => call(ref, [read(a0, floatsApart(ref))], out),
    call2: (ref, _viaCall, a0, a1, out) => call(ref, [read(a0, floatsApart(ref)), read(a1, floatsApart(ref))], out),
    calln: (ref, _viaCall, n, args, out) => call(ref, readMany(args, n, floatsApart(ref)), out),
    // Keyword arguments have no meaning for host functions.
    call0_kwarg: (_ref, _viaCall, nKw, _keys, values, out) => (readMany(values, nKw), deny(out)),
    calln_kwarg: (_ref, _viaCall, n, args, nKw, _keys, values, out) => (
      readMany(args, n), readMany(values, nKw), deny(out)
    ),
    js_reflect_construct: (_ref, n, args, out) => (readMany(args, n), deny(out)),
    js_subscr_load: (_ref, index, out) => (read(index), deny(out)),
    js_subscr_store: (_ref, index, value) => (read(index), read(value), deny()),
    js_get_iter(_ref, out) {
      toPython(ctx, new EmptyIterator(), out);
      return 0;
    },
    js_iter_next: () => 0,
    js_get_error_info(_ref, outName, outMessage) {
      toPython(ctx, "Error", outName);
      toPython(ctx, "", outMessage);
    },
    proxy_js_free_obj(ref) {
      const record = ctx.table.get(ref);
      ctx.table.free(ref);
      if (record instanceof PyObjectRecord && !record.handle.retained) ctx.releasePython(record.handle);
    },
    // Always "no live JS object for this Python object": the C side then makes a fresh handle.
    js_check_existing: () => -1,
    js_get_proxy_js_ref_info(out) {
      ctx.memory.setI32(out, ctx.table.length);
      ctx.memory.setI32(out + 4, ctx.table.used);
    },
    // jsffi.create_proxy / jsffi.to_js: an opaque stand-in, never a real JS function or object.
    proxy_convert_mp_to_js_then_js_to_mp_obj_jsside: (out) => convertOpaque(out),
    proxy_convert_mp_to_js_then_js_to_js_then_js_to_mp_obj_jsside: (out) => convertOpaque(out),
    // Only reached when JS resumes a Python coroutine or creates a promise for it, which swasgi
    // never asks for; a forged call gets nothing.
    create_promise: (setter, out) => (read(setter), deny(out)),
    js_then_resolve: (value, resolve) => (read(value), read(resolve), deny()),
    js_then_reject: (value, reject) => (read(value), read(reject), deny()),
    js_then_continue: (_ref, resume, resolve, reject, out) => (
      read(resume), read(resolve), read(reject), deny(out)
    ),
  };

  function convertOpaque(out: number): void {
    const value = read(out);
    ctx.pending.splice(0);
    toPython(ctx, value instanceof PyHandle ? new PyObjectRecord(value) : (value as HostValue), out);
  }
}
