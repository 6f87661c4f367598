// Types for wasm/feedbackSet.mjs (a plain build script), for the tests that call it.
import type { CallGraph } from "./recursiveFunctions.mjs";
import type { Node } from "./sexpr.mjs";
export declare function droppableChecks(
  functions: Map<string, { body: Node[] }>,
  graph: CallGraph,
  modes: Map<string, "entry" | "calls">,
  maxWork: number,
): Set<string>;
