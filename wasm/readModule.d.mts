// Types for wasm/readModule.mjs (a plain build script), for the tests that call it.
import type { Node } from "./sexpr.mjs";
export interface ModuleText {
  types: Map<string, string>;
  imports: Map<string, string>;
  importNames: Map<string, string>;
  exports: Set<string>;
  exported: Map<string, string>;
  table: string[];
  functions: Map<string, { sig: string; head: Node; body: Node[] }>;
  /** Top-level lines, and `{ name }` where a function goes. */
  parts: (string | { name: string })[];
  lastImport: number | undefined;
}
export declare function readModule(text: string): ModuleText;
