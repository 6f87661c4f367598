// Types for wasm/trimBranchHints.mjs (a plain build script), for the tests that call it.
export declare const MIN_HINTS: number;
export declare function trimBranchHints(wasm: Uint8Array, min?: number): { wasm: Uint8Array; kept: number; dropped: number };
