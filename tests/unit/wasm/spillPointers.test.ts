// The spill pass (wasm/spillPointers.mjs) is what makes collection inside a run sound, and the
// soundness suite (tests/unit/runner/gcSoundness.test.ts) is what would notice if it were not:
// a runtime built with its spills left out on purpose gets the programs of that suite wrong (or
// crashes) under a collection at every allocation, where the real build prints what they print
// without one. (Leaving out only the i64 spills broke none of these programs: MicroPython's
// 8-byte copies seem never to carry pointers across an allocation; the pass spills them anyway.)
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { expect, test } from "vitest";
import type { Runtime } from "../../../src/runner/interpreter.ts";
import { loadRuntimeNode } from "../../../src/runner/loadRuntimeNode.ts";
import { instrumentFuel } from "../../../wasm/instrumentFuel.mjs";
import { spillPointers } from "../../../wasm/spillPointers.mjs";
import { GC_PROGRAMS, runProgram } from "../runner/gcPrograms.ts";

const require = createRequire(import.meta.url);
const packageWasm = path.join(path.dirname(require.resolve("@micropython/micropython-webassembly-pyscript/package.json")), "micropython.wasm");

async function builtRuntime(options: { spill?: ("i32" | "i64")[]; flatten?: boolean }): Promise<Runtime> {
  const spilled = await spillPointers(new Uint8Array(await readFile(packageWasm)), options);
  const { wasm } = await instrumentFuel(spilled.wasm, { features: spilled.features });
  return { wasm: await WebAssembly.compile(wasm), instrumented: true };
}

/** Programs whose output under stress differs from their plain output (a crash included). */
async function corrupted(runtime: Runtime): Promise<string[]> {
  const plain = await loadRuntimeNode();
  const wrong: string[] = [];
  for (const [name, code] of Object.entries(GC_PROGRAMS)) {
    // Stress from the program's start: the broken runtime boots (its boot has no collection).
    const got = await runProgram(runtime, code, { timeoutMs: 20_000, stress: true });
    if (got !== (await runProgram(plain, code))) wrong.push(name);
    expect(got).not.toMatch(/crashed at boot/);
  }
  return wrong;
}

test("with no spills at all, the soundness programs come out wrong under stress", { timeout: 300_000 }, async () => {
  const wrong = await corrupted(await builtRuntime({ spill: [] }));
  console.log(`spills off: ${wrong.length} of ${Object.keys(GC_PROGRAMS).length} programs wrong`);
  expect(wrong.length).toBeGreaterThan(Object.keys(GC_PROGRAMS).length / 2);
  // The same suite on the real build is right (gcSoundness.test.ts runs it in full).
  const [name, code] = Object.entries(GC_PROGRAMS)[0];
  expect(await runProgram(await loadRuntimeNode(), code, { stress: true }), name).toBe(await runProgram(await loadRuntimeNode(), code));
});

test("the pass without flattening (operand-stack values made locals) is sound too", { timeout: 300_000 }, async () => {
  expect(await corrupted(await builtRuntime({ flatten: false }))).toEqual([]);
});
