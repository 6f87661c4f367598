// Scan loops (wasm/boundedLoops.mjs): which loops may drop their per-iteration fuel check, and
// that those still pay for every run in proportion to its iterations.
import binaryen from "binaryen";
import { describe, expect, test } from "vitest";
import { chargeScanLoop } from "../../../wasm/boundedLoops.mjs";
import { instrumentFuel } from "../../../wasm/instrumentFuel.mjs";
import { parse, print } from "../../../wasm/sexpr.mjs";

const options = { scan: "$s", charge: () => "(nop)", callCost: () => null, maxCost: 256, maxCostPerByte: 64 };
const isScan = (loop: string, extra = {}) => chargeScanLoop(parse(loop), { ...options, ...extra }) !== null;

describe("chargeScanLoop", () => {
  test("a byte loop that loads through a pointer it advances is a scan", () => {
    const hash = `(loop $l
      (local.set $h (i32.xor (i32.mul (local.get $h) (i32.const 33)) (i32.load8_u (local.get $p))))
      (br_if $l (i32.lt_u (local.tee $p (i32.add (local.get $p) (i32.const 1))) (local.get $end))))`;
    expect(isScan(hash)).toBe(true);
  });

  test("an indexed scan with early exits is a scan, and every exit is charged", () => {
    const search = `(loop $l
      (block $b
        (br_if $b (i32.ne (local.get $k) (i32.load16_u (i32.add (local.get $base) (i32.shl (local.get $i) (i32.const 1))))))
        (br_if $found (i32.eqz (local.get $k)))
        (return (local.get $i)))
      (br_if $l (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))`;
    const done = chargeScanLoop(parse(search), { ...options, charge: () => "(CHARGE)" });
    expect(done).not.toBeNull();
    const text = print(done!);
    // Before the loop, at the br_if out, at the return, and after the fall-through.
    expect(text.match(/\(CHARGE\)/g)).toHaveLength(3);
    expect(text).toMatch(/^\(block \(local\.set \$s \(local\.get \$i\)\) \(loop \$l/);
    expect(text).toContain("(if (i32.eqz (local.get $k)) (then (CHARGE) (br $found)))");
    expect(text).toContain("(block (CHARGE) (return (local.get $i)))");
  });

  test.each([
    [
      "the pointer is never dereferenced",
      `(loop $l (local.set $x (i32.add (local.get $x) (i32.const 1)))
        (br_if $l (i32.lt_u (local.tee $p (i32.add (local.get $p) (i32.const 1))) (local.get $end))))`,
    ],
    [
      "it may go round again before the access",
      `(loop $l (br_if $l (i32.eqz (local.get $x)))
        (drop (i32.load8_u (local.get $p)))
        (br_if $l (i32.lt_u (local.tee $p (i32.add (local.get $p) (i32.const 1))) (local.get $end))))`,
    ],
    [
      "the access is conditional",
      `(loop $l (if (local.get $x) (then (drop (i32.load8_u (local.get $p)))))
        (br_if $l (i32.lt_u (local.tee $p (i32.add (local.get $p) (i32.const 1))) (local.get $end))))`,
    ],
    [
      "the pointer is written twice",
      `(loop $l (drop (i32.load8_u (local.get $p))) (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br_if $l (i32.lt_u (local.tee $p (i32.add (local.get $p) (i32.const 1))) (local.get $end))))`,
    ],
    [
      "the step is not a constant",
      `(loop $l (drop (i32.load8_u (local.get $p)))
        (br_if $l (i32.lt_u (local.tee $p (i32.add (local.get $p) (local.get $step))) (local.get $end))))`,
    ],
    ["it walks a linked list", `(loop $l (local.set $n (i32.add (local.get $n) (i32.const 1))) (br_if $l (local.tee $p (i32.load (local.get $p)))))`],
    [
      "the index base changes inside the loop",
      `(loop $l (drop (i32.load (i32.add (local.get $base) (local.get $i)))) (local.set $base (i32.load (local.get $base)))
        (br_if $l (local.tee $i (i32.add (local.get $i) (i32.const 1)))))`,
    ],
    [
      "it calls a function that may recurse",
      `(loop $l (drop (call $f (i32.load8_u (local.get $p))))
        (br_if $l (i32.lt_u (local.tee $p (i32.add (local.get $p) (i32.const 1))) (local.get $end))))`,
    ],
    [
      "it grows memory",
      `(loop $l (drop (memory.grow (i32.load8_u (local.get $p))))
        (br_if $l (i32.lt_u (local.tee $p (i32.add (local.get $p) (i32.const 1))) (local.get $end))))`,
    ],
    [
      "an exit carries a value",
      `(loop $l (drop (br_if $out (local.get $x) (i32.load8_u (local.get $p))))
        (br_if $l (i32.lt_u (local.tee $p (i32.add (local.get $p) (i32.const 1))) (local.get $end))))`,
    ],
  ])("not a scan when %s", (_name, loop) => {
    expect(isScan(loop)).toBe(false);
  });

  test("a call is allowed only at a known, small cost", () => {
    const loop = `(loop $l (drop (call $cmp (i32.load8_u (local.get $p))))
      (br_if $l (i32.lt_u (local.tee $p (i32.add (local.get $p) (i32.const 1))) (local.get $end))))`;
    expect(isScan(loop, { callCost: () => 40 })).toBe(true);
    expect(isScan(loop, { callCost: () => 400 })).toBe(false);
    expect(isScan(loop, { callCost: () => null })).toBe(false);
  });

  test("the work per iteration is capped per byte of stride: a run over all memory stays short", () => {
    const bytes = `(loop $l (drop (call $cmp (i32.load8_u (local.get $p))))
      (br_if $l (i32.lt_u (local.tee $p (i32.add (local.get $p) (i32.const 1))) (local.get $end))))`;
    const words = bytes.replace("i32.load8_u", "i32.load").replace("(i32.const 1)", "(i32.const 4)");
    expect(isScan(bytes, { callCost: () => 100 })).toBe(false);
    expect(isScan(words, { callCost: () => 100 })).toBe(true);
  });
});

/** A module with a scan (djb2 over [p, end)), callers that repeat it, and a list walk. */
const MODULE = `(module
  (import "swasgi_test" "unused" (func $unused))
  (memory (export "memory") 2 16)
  (func $hash (param $p i32) (param $end i32) (result i32)
    (local $h i32)
    (local.set $h (i32.const 5381))
    (loop $l
      (local.set $h (i32.xor (i32.mul (local.get $h) (i32.const 33)) (i32.load8_u (local.get $p))))
      (br_if $l (i32.lt_u (local.tee $p (i32.add (local.get $p) (i32.const 1))) (local.get $end))))
    (local.get $h))
  (func $find (param $p i32) (param $end i32) (param $c i32) (result i32)
    (local $start i32)
    (local.set $start (local.get $p))
    (block $found
      (loop $l
        (br_if $found (i32.eq (i32.load8_u (local.get $p)) (local.get $c)))
        (br_if $l (i32.lt_u (local.tee $p (i32.add (local.get $p) (i32.const 1))) (local.get $end)))))
    (i32.sub (local.get $p) (local.get $start)))
  (func (export "hashes") (param $k i32) (param $n i32) (result i32)
    (local $s i32)
    (loop $o
      (local.set $s (i32.add (local.get $s) (call $hash (i32.const 0) (local.get $n))))
      (br_if $o (local.tee $k (i32.sub (local.get $k) (i32.const 1)))))
    (local.get $s))
  (func (export "finds") (param $k i32) (param $n i32) (result i32)
    (local $s i32)
    (loop $o
      (local.set $s (i32.add (local.get $s) (call $find (i32.const 0) (i32.const 60000) (local.get $n))))
      (br_if $o (local.tee $k (i32.sub (local.get $k) (i32.const 1)))))
    (local.get $s))
  (func (export "walk") (param $p i32) (result i32)
    (local $n i32)
    (loop $l
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br_if $l (local.tee $p (i32.load (local.get $p)))))
    (local.get $n))
)`;

const compile = (wat: string): Uint8Array => {
  const module = binaryen.parseText(wat);
  const bytes = module.emitBinary();
  module.dispose();
  return bytes;
};

/** Instantiates with a refuel that hands out `quantum` and counts its calls; `limit` calls throw. */
async function instrumented(wat: string, quantum: number, limit = Infinity) {
  const result = await instrumentFuel(compile(wat));
  const state = { refuels: 0 };
  const { instance } = await WebAssembly.instantiate(result.wasm, {
    swasgi_test: { unused: () => {} },
    swasgi: {
      refuel: () => {
        if (++state.refuels >= limit) throw new Error("out of fuel");
        return quantum;
      },
    },
  });
  return { result, state, exports: instance.exports as Record<string, (...args: number[]) => number>, memory: instance.exports.memory as WebAssembly.Memory };
}

describe("instrumentFuel with scan loops", () => {
  test("the two scans lose their check, the list walk and the repeating loops keep theirs", async () => {
    const { result } = await instrumented(MODULE, 1000);
    expect(result.scans).toBe(2);
    expect(result.loops).toBe(3);
  });

  test("a scan pays for its iterations: fuel stays proportional to the bytes hashed", async () => {
    const { exports, state } = await instrumented(MODULE, 1000);
    // 2000 runs over 500 bytes: 250 units each (one per two bytes) plus the outer loop's one.
    // A refuel replaces what is left, overdraft included: each one covers 1000 to 1250 units.
    exports.hashes(2000, 500);
    const units = 2000 * (500 / 2 + 1);
    expect(state.refuels).toBeGreaterThanOrEqual(Math.floor(units / 1251));
    expect(state.refuels).toBeLessThanOrEqual(Math.ceil(units / 1000) + 1);
  });

  test("a scan that leaves early pays up to where it stopped", async () => {
    const { exports, memory, state } = await instrumented(MODULE, 1000);
    new Uint8Array(memory.buffer)[3000] = 7;
    expect(exports.finds(100, 7)).toBe(100 * 3000);
    // 1500 units a run (3000 bytes), each refuel covering at most 1000 + 1501.
    expect(state.refuels).toBeGreaterThanOrEqual(Math.floor((100 * 1501) / 2501));
  });

  test("a loop through forged memory keeps its check: an endless list walk is stopped", async () => {
    const { exports, memory, state } = await instrumented(MODULE, 1000, 50);
    new Int32Array(memory.buffer)[1] = 4; // the node at 4 points to itself
    expect(() => exports.walk(4)).toThrow("out of fuel");
    expect(state.refuels).toBe(50);
  });

  test("without a declared memory maximum up to 2 GiB no loop is a scan", async () => {
    const { result } = await instrumented(MODULE.replace("(memory (export \"memory\") 2 16)", '(memory (export "memory") 2)'), 1000);
    expect(result.scans).toBe(0);
    expect(result.loops).toBe(5);
  });
});
