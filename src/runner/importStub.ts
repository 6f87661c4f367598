/**
 * The `.mpy` file that stands in for a precompiled module (src/python/lib/_swasgi_precompiled.py).
 * MicroPython's own import finds it, makes the module object, puts it in `sys.modules` and
 * runs it; all it does is run the module's code object, compiled earlier and kept in the
 * app's image, in the module's globals:
 *
 *     exec(__import__("_swasgi_precompiled").take(globals()), globals())
 *
 * so resolution, packages, relative imports and the clean-up of a failed import stay
 * MicroPython's. Written by hand for the runtime's .mpy format (v6, bytecode only: a header,
 * the qstr table, no constants, one raw code); py/persistentcode.c and py/bc.h of
 * MicroPython v1.27 are the reference. Its frame shows in a traceback as STUB_SOURCE, which
 * `withoutStubFrames` takes out again.
 */
export const STUB_SOURCE = "<swasgi import>";

/** A traceback line of the stub's own frame. */
const STUB_FRAME = /^ {2}File "<swasgi import>", line \d+, in <module>\n/gm;

/** A printed traceback without the stub's frames: they are swasgi's, not the app's. */
export function withoutStubFrames(traceback: string): string {
  return traceback.replace(STUB_FRAME, "");
}

// The qstr table: entry 0 is the source file, the rest are the names the bytecode uses.
const QSTRS = [STUB_SOURCE, "<module>", "exec", "__import__", "_swasgi_precompiled", "take", "globals"] as const;
const q = (name: (typeof QSTRS)[number]) => QSTRS.indexOf(name);

// py/bc0.h
const LOAD_CONST_STRING = 0x10;
const LOAD_NAME = 0x11;
const LOAD_METHOD = 0x14;
const CALL_FUNCTION = 0x34;
const CALL_METHOD = 0x36;
const LOAD_CONST_NONE = 0x51;
const POP_TOP = 0x59;
const RETURN_VALUE = 0x63;

const BYTECODE = [
  LOAD_NAME, q("exec"),
  LOAD_NAME, q("__import__"),
  LOAD_CONST_STRING, q("_swasgi_precompiled"),
  CALL_FUNCTION, 1,
  LOAD_METHOD, q("take"),
  LOAD_NAME, q("globals"),
  CALL_FUNCTION, 0,
  CALL_METHOD, 1,
  LOAD_NAME, q("globals"),
  CALL_FUNCTION, 0,
  CALL_FUNCTION, 2,
  POP_TOP,
  LOAD_CONST_NONE,
  RETURN_VALUE,
];

/** Deepest value stack the bytecode reaches (exec, method, self, globals), plus room. */
const N_STATE = 6;

function prelude(): number[] {
  // Signature xSSSSEAA: n_state - 1, no exception stack, no arguments; a module has no flags.
  const signature = (N_STATE - 1) << 3;
  // Size xIIIIIIC: the source info is the simple name alone (one byte; no line table, so
  // every frame reads line 1), no closure cells.
  const size = 1 << 1;
  return [signature, size, q("<module>")];
}

let stub: Uint8Array | undefined;

/** The stub's bytes (the same for every module: what it runs is found by its `__file__`). */
export function importStub(): Uint8Array {
  if (stub) return stub;
  const encoder = new TextEncoder();
  const out: number[] = [];
  const uint = (value: number) => {
    // MicroPython's var uint: 7 bits a byte, most significant first, high bit = more follow.
    const groups = [value & 0x7f];
    for (let v = value >>> 7; v; v >>>= 7) groups.unshift((v & 0x7f) | 0x80);
    out.push(...groups);
  };
  // Header: 'M', version 6, sub-version 3 with no native arch, small ints of 31 bits.
  out.push(0x4d, 6, 3, 31);
  uint(QSTRS.length);
  uint(0); // constant objects
  for (const name of QSTRS) {
    const bytes = encoder.encode(name);
    uint(bytes.length << 1); // even: a string follows (odd would name a static qstr by number)
    out.push(...bytes, 0);
  }
  const funData = [...prelude(), ...BYTECODE];
  uint((funData.length << 3) | 0); // kind 0 = bytecode, no children
  out.push(...funData);
  stub = Uint8Array.from(out);
  return stub;
}
