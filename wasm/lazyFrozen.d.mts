// Types for wasm/lazyFrozen.mjs (a plain build script), for the tests that call it.
export declare function lazyFrozen(
  wasm: Uint8Array,
  features: number,
): { wasm: Uint8Array; patch: Uint8Array; modules: string[]; zeroed: number };
/** The active data segments: where each one's bytes sit in the file (`offset`) and in memory (`address`). */
export declare function dataSegments(wasm: Uint8Array): { address: number; offset: number; size: number }[];
