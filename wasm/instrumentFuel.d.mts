// Types for wasm/instrumentFuel.mjs (a plain build script), for the tests that call it.
export interface Instrumented {
  wasm: Uint8Array<ArrayBuffer>;
  /** Loop headers checked. */
  loops: number;
  /** Scan loops charged once per run (wasm/boundedLoops.mjs). */
  scans: number;
  /** Recursive functions checked at entry. */
  functions: number;
  /** Checks placed before cycle calls (wasm/exitChecks.mjs). */
  calls: number;
}
export declare function instrumentFuel(original: Uint8Array, options?: { features?: number }): Promise<Instrumented>;
