/**
 * Fuel overhead: the same CPU-bound Python on the instrumented and on the original runtime,
 * through the real Interpreter, in Node (node.ts) and in Chromium (fuelPage.ts). Three parts,
 * since fuel is charged at every loop header and function entry of the C code and each part
 * stresses a different kind: bytecode dispatch (a Python loop over small ints), calls
 * (recursion), and the runtime's C helpers (string formatting, hashing, allocation). The
 * headline ratio is the whole run: the sum of the parts' medians. Variants alternate so drift
 * on a noisy machine hits both alike.
 */
import { PyError } from "../../src/runner/ffi/convert.ts";
import { Interpreter, type Runtime } from "../../src/runner/interpreter.ts";
import DEFINE from "../workloads/fuel.py?raw";

/** Sizes that take tens of ms each and stay far below the memory cap (no GC inside a run). */
export const FUEL_PARTS = { loop: "loop(300000)", calls: "fib(21)", strings: "strings(20000)" } as const;
type Part = keyof typeof FUEL_PARTS;

export interface FuelPartResult {
  instrumentedMs: number[];
  originalMs: number[];
  ratio: number;
}

export interface FuelResult {
  /** (Σ parts' median instrumented ms) / (Σ parts' median original ms). */
  ratio: number;
  parts: Record<Part, FuelPartResult>;
}

export async function measureFuel(instrumented: Runtime, original: Runtime, reps: number): Promise<FuelResult> {
  const options = { timeoutMs: 600_000, graceMs: 1000, memoryBytes: 64 << 20 };
  const pys = { instrumented: await Interpreter.create(instrumented, options), original: await Interpreter.create(original, options) };
  for (const py of Object.values(pys)) check(py.exec(DEFINE));
  const parts = {} as Record<Part, FuelPartResult>;
  let sumInstrumented = 0;
  let sumOriginal = 0;
  for (const [part, code] of Object.entries(FUEL_PARTS) as [Part, string][]) {
    // Untimed runs first let the engine tier the wasm up (Liftoff → TurboFan) before timing.
    for (let i = 0; i < 3; i++) for (const py of Object.values(pys)) check(py.exec(code));
    const times = { instrumented: [] as number[], original: [] as number[] };
    for (let i = 0; i < reps; i++) {
      const order = i % 2 ? (["original", "instrumented"] as const) : (["instrumented", "original"] as const);
      for (const variant of order) {
        const t0 = performance.now();
        check(pys[variant].exec(code));
        times[variant].push(performance.now() - t0);
      }
    }
    const mi = median(times.instrumented);
    const mo = median(times.original);
    parts[part] = { instrumentedMs: times.instrumented, originalMs: times.original, ratio: mi / mo };
    sumInstrumented += mi;
    sumOriginal += mo;
  }
  for (const py of Object.values(pys)) py.dispose();
  return { ratio: sumInstrumented / sumOriginal, parts };
}

function check(result: unknown): void {
  if (result instanceof PyError) throw new Error(`fuel workload failed: ${result.traceback}`);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
