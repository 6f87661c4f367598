// Fuel for recursion (wasm/recursiveFunctions.mjs, wasm/exitChecks.mjs, wasm/feedbackSet.mjs):
// every trip round a cycle of the call graph takes fuel, whether the check sits at a function's
// entry, before its calls back into the cycle, or in another function of the cycle; cycles
// through JS imports count too.
import binaryen from "binaryen";
import { describe, expect, test } from "vitest";
import { cycleCallsOnPaths } from "../../../wasm/exitChecks.mjs";
import { droppableChecks } from "../../../wasm/feedbackSet.mjs";
import { instrumentFuel } from "../../../wasm/instrumentFuel.mjs";
import { callGraph } from "../../../wasm/recursiveFunctions.mjs";
import { parse, type Node } from "../../../wasm/sexpr.mjs";

const body = (text: string): Node[] => parse(`(func ${text})`).slice(1) as Node[];
const isCall = (node: Node) => node[0] === "call";

describe("cycleCallsOnPaths", () => {
  test.each([
    ["no call", "(nop)", { min: 0, max: 0 }],
    ["a call on one arm", "(if (local.get $0) (then (call $f)) (else (nop)))", { min: 0, max: 1 }],
    ["two calls in a row", "(call $f) (call $g)", { min: 2, max: 2 }],
    ["a call in a loop (its header is checked)", "(loop $l (call $f) (br_if $l (local.get $0)))", { min: 0, max: 0 }],
    ["an early return skips the call", "(block $b (br_if $b (local.get $0)) (return)) (call $f)", { min: 0, max: 1 }],
    ["a branch out of a block skips its calls", "(block $b (br_if $b (local.get $0)) (call $f) (call $g)) (call $h)", { min: 1, max: 3 }],
    ["br_table picks one arm", "(block $a (block $b (br_table $a $b (local.get $0))) (call $f)) (call $g)", { min: 1, max: 2 }],
    ["a call as an operand", "(drop (i32.add (call $f) (call $g)))", { min: 2, max: 2 }],
  ])("%s", (_name, text, expected) => {
    expect(cycleCallsOnPaths(body(text), isCall)).toEqual(expected);
  });
});

const compile = (wat: string): Uint8Array => {
  const module = binaryen.parseText(wat);
  const bytes = module.emitBinary();
  module.dispose();
  return bytes;
};

/** Instantiates with a refuel that hands out `quantum` and counts its calls. */
async function instrumented(wat: string, quantum: number, imports: Record<string, (...args: number[]) => number> = {}) {
  const result = await instrumentFuel(compile(wat));
  const state = { refuels: 0 };
  const { instance } = await WebAssembly.instantiate(result.wasm, {
    env: { cb: () => 0, ...imports },
    swasgi: { refuel: () => (state.refuels++, quantum) },
  });
  return { result, state, exports: instance.exports as Record<string, (...args: number[]) => number> };
}

// even/odd recurse only when n > 0: a check before the call, in one of them (the cycle needs
// no more). `spread` makes three recursive calls on one path: a check at its entry. `leaf` is
// not recursive: no check. viaHost recurses through JS: a check before its import call.
const RECURSION = `(module
  (import "env" "cb" (func $cb (param i32) (result i32)))
  (memory 1 1)
  (func $even (export "even") (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n)) (then (i32.const 1)) (else (call $odd (i32.sub (local.get $n) (i32.const 1))))))
  (func $odd (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n)) (then (i32.const 0)) (else (call $even (i32.sub (local.get $n) (i32.const 1))))))
  (func $spread (export "spread") (param $n i32) (result i32)
    (if (result i32) (i32.lt_s (local.get $n) (i32.const 1))
      (then (i32.const 1))
      (else (i32.add (call $leaf (local.get $n)) (i32.add (call $spread (i32.sub (local.get $n) (i32.const 1)))
        (i32.add (call $spread (i32.sub (local.get $n) (i32.const 2))) (call $spread (i32.sub (local.get $n) (i32.const 3)))))))))
  (func $leaf (param $n i32) (result i32) (i32.mul (local.get $n) (i32.const 3)))
  (func $viaHost (export "viaHost") (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n)) (then (i32.const 0)) (else (call $cb (i32.sub (local.get $n) (i32.const 1))))))
)`;

describe("instrumentFuel and recursion", () => {
  test("each function gets the placement that checks least", async () => {
    const { result } = await instrumented(RECURSION, 1000);
    // odd (even is covered by it) and viaHost: one check before their cycle call; spread: at entry.
    expect(result.calls).toBe(2);
    expect(result.functions).toBe(1);
    expect(result.loops).toBe(0);
  });

  test("mutual recursion takes one unit per trip round its cycle", async () => {
    const { exports, state } = await instrumented(RECURSION, 100);
    expect(exports.even(5000)).toBe(1);
    // 2500 trips even → odd → even; a refuel of 100 lasts 101 checks (down to -1).
    expect(state.refuels).toBe(Math.ceil(2500 / 101));
  });

  test("a tree of recursive calls checked at entry takes one unit per call", async () => {
    const { exports, state } = await instrumented(RECURSION, 100);
    const calls = (n: number): number => (n < 1 ? 1 : 1 + calls(n - 1) + calls(n - 2) + calls(n - 3));
    exports.spread(15);
    expect(state.refuels).toBe(Math.ceil(calls(15) / 101));
  });

  test("recursion through a JS import is a cycle: it takes fuel", async () => {
    let exports!: Record<string, (...args: number[]) => number>;
    const made = await instrumented(RECURSION, 100, { cb: (n: number) => exports.viaHost(n) });
    exports = made.exports;
    expect(exports.viaHost(3000)).toBe(0);
    expect(made.state.refuels).toBe(Math.ceil(3000 / 101));
  });
});

/** callGraph over hand-written functions (all exported: JS may call them). */
function graphOf(functions: Record<string, string>) {
  const parsed = new Map(Object.entries(functions).map(([name, text]) => [name, { sig: ">", body: body(text) }]));
  const module = { types: new Map(), imports: new Map(), exports: new Set(parsed.keys()), table: [], functions: parsed };
  return { functions: parsed, graph: callGraph(module) };
}

describe("droppableChecks", () => {
  test("a ring of wrappers keeps one check", () => {
    const { functions, graph } = graphOf({ $a: "(call $b)", $b: "(call $c)", $c: "(nop) (call $a)" });
    const modes = new Map<string, "entry" | "calls">([["$a", "entry"], ["$b", "entry"], ["$c", "entry"]]);
    expect([...droppableChecks(functions, graph, modes, 1000)].sort()).toEqual(["$a", "$b"]);
  });

  test("a check stays where dropping it would leave too much work between two checks", () => {
    const big = "(nop) ".repeat(100);
    const { functions, graph } = graphOf({ $small: "(call $big)", $big: `${big} (call $small)` });
    const modes = new Map<string, "entry" | "calls">([["$small", "entry"], ["$big", "entry"]]);
    expect([...droppableChecks(functions, graph, modes, 1000)]).toEqual(["$small"]);
    expect([...droppableChecks(functions, graph, modes, 50)]).toEqual([]);
  });
});
