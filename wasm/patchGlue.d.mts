// Types for wasm/patchGlue.mjs (a plain build script), for the tests that call it.
/** The published emscripten glue, turned into the module factory swasgi ships (build/runtime/glue.mjs). */
export declare function patchGlue(glue: string): string;
