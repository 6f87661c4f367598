// Types for wasm/boundedLoops.mjs (a plain build script), for the tests that call it.
import type { Node } from "./sexpr.mjs";
export interface ScanOptions {
  scan: string;
  charge(delta: string, shift: number): string;
  callCost(call: Node): number | null;
  maxCost: number;
  maxCostPerByte: number;
}
export declare function chargeScanLoop(loop: Node, options: ScanOptions): Node | null;
export declare function boundedCallCosts(
  functions: Map<string, { body: Node[] }>,
  targetsOf: (node: Node) => string[] | null,
  limit: number,
): Map<string, number | null>;
