// Types for wasm/trimBranchHints.mjs (a plain build script), for the tests that call it.
export declare const MIN_HINTS: number;
export declare function hintPolicy(wasm: Uint8Array, hotFile: string): { keep: (index: number, hints: number) => boolean; measured: boolean };
export declare function codeFingerprint(wasm: Uint8Array): string;
export declare function trimBranchHints(
  wasm: Uint8Array,
  keep: (index: number, hints: number) => boolean,
): { wasm: Uint8Array; kept: number; dropped: number };
