// Types for wasm/recursiveFunctions.mjs (a plain build script), for the tests that call it.
import type { Node } from "./sexpr.mjs";
export interface ModuleShape {
  types: Map<string, string>;
  imports: Map<string, string>;
  exports: Set<string>;
  table: string[];
  functions: Map<string, { sig: string; body: Node[] }>;
}
export interface CallGraph {
  recursive: Set<string>;
  isCycleCall(caller: string, node: Node): boolean;
  targetsOf(node: Node): string[] | null;
  callees(name: string): Set<string>;
  JS: string;
}
export declare function callGraph(module: ModuleShape): CallGraph;
export declare function signature(text: string): string;
