// Values crossing from Python to a host function: what each kind arrives as, and text of every
// length and alphabet intact (short ASCII is decoded by hand, the rest by TextDecoder).
import { beforeAll, expect, test } from "vitest";
import { PyError } from "../../../src/runner/ffi/convert.ts";
import { Interpreter } from "../../../src/runner/interpreter.ts";
import { loadRuntimeNode } from "../../../src/runner/loadRuntimeNode.ts";
import { HostFunction, Namespace, PY_BIG_INT, PyFloat, type PyValue } from "../../../src/runner/ffi/records.ts";

let py: Interpreter;
let seen: PyValue[][] = [];
beforeAll(async () => {
  const record = (...args: PyValue[]) => {
    seen.push(args);
    return null;
  };
  py = await Interpreter.create(await loadRuntimeNode(), {
    timeoutMs: 5000,
    graceMs: 500,
    memoryBytes: 32 << 20,
    modules: { cap: new Namespace("cap", { plain: new HostFunction("plain", record), apart: new HostFunction("apart", record, true) }) },
  });
});

function call(code: string): PyValue[] {
  seen = [];
  const result = py.exec(`import cap\n${code}\n`);
  expect(result).not.toBeInstanceOf(PyError);
  return seen[0];
}

test("floats arrive as numbers, or as PyFloat where the host function keeps them apart from ints", () => {
  const values = "(1, 2.0, -0.0, 1.5, float('inf'), True, None, 'x', -2**31, 2**31 - 1)";
  expect(call(`cap.plain(*${values})`)).toEqual([1, 2, -0, 1.5, Infinity, true, null, "x", -(2 ** 31), 2 ** 31 - 1]);
  const apart = call(`cap.apart(*${values})`);
  expect(apart).toEqual([1, new PyFloat(2), new PyFloat(-0), new PyFloat(1.5), new PyFloat(Infinity), true, null, "x", -(2 ** 31), 2 ** 31 - 1]);
  expect(Object.is((apart[2] as PyFloat).value, -0)).toBe(true);
  expect(call(`cap.apart(float('nan'))`)[0]).toBeInstanceOf(PyFloat);
  // One and two arguments go through the FFI's own call1/call2.
  expect(call(`cap.apart(3.0)`)).toEqual([new PyFloat(3)]);
  expect(call(`cap.apart(3.0, 4)`)).toEqual([new PyFloat(3), 4]);
});

test("an int past 32 bits arrives as PY_BIG_INT where numeric kinds are kept apart (wasm/bigIntFlag.mjs), every other int exactly", () => {
  // array("q") items and arithmetic past 2**30 are MicroPython's long ints even when small.
  const values = "(0, 5, -7, 2**30, 2**31 - 1, -2**31 + 1, array('q', [7, -9])[0], array('q', [7, -9])[1], int('123456'), 2**31, -2**31 - 1, 2**40, -2**40, 10**30)";
  const big = PY_BIG_INT;
  expect(call(`from array import array\ncap.apart(*${values})`)).toEqual([0, 5, -7, 2 ** 30, 2 ** 31 - 1, -(2 ** 31) + 1, 7, -9, 123456, big, big, big, big, big]);
  // Without the flag's reader the low 32 bits, as before (a host function that takes any int checks its range itself).
  expect(call(`cap.plain(2**40 + 3, 2**31)`)).toEqual([3, -(2 ** 31)]);
});

test("text of any length and alphabet arrives intact", () => {
  for (const text of ["", "a", "a\0b", "x".repeat(63), "x".repeat(64), "x".repeat(65), "é", "a".repeat(60) + "é✓🐍", "🐍".repeat(40), "\x7f\x01"]) {
    expect(call(`cap.plain(${JSON.stringify(text)})`)).toEqual([text]);
  }
});
