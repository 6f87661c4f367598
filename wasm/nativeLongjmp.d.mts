// Types for wasm/nativeLongjmp.mjs (a plain build script), for the tests that call it.
export declare function nativeLongjmp(wasm: Uint8Array, features: number): { wasm: Uint8Array; features: number; sites: number };
