// Types for wasm/spillPointers.mjs (a plain build script), for the tests that call it.
export interface Spilled {
  wasm: Uint8Array<ArrayBuffer>;
  /** The wasm features in use (binaryen's binary does not record them): pass to instrumentFuel. */
  features: number;
  /** Functions that take a spill frame. */
  functions: number;
  /** Calls with values live across them. */
  calls: number;
  /** Spill slots in all frames. */
  slots: number;
  /** Spill stores placed (a local already stored since its last change is not stored again). */
  stores: number;
}
/** The collector's exports, in the order gc_collect_start, gc_mark_subtree, gc_collect_end. */
export declare const GC_EXPORTS: readonly string[];
export declare function spillPointers(original: Uint8Array, options?: { spill?: ("i32" | "i64")[]; flatten?: boolean }): Promise<Spilled>;
