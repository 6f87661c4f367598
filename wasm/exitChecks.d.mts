// Types for wasm/exitChecks.mjs (a plain build script), for the tests that call it.
import type { Node } from "./sexpr.mjs";
export declare function cycleCallsOnPaths(body: Node[], isCycleCall: (node: Node) => boolean): { min: number; max: number };
export declare function checkBeforeCycleCalls(
  body: Node[],
  cycleCallResult: (node: Node) => string | null,
  check: string,
): { body: Node[]; checks: number };
