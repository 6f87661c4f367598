// Types for wasm/dictSubclassUpdate.mjs (a plain build script), for the tests that call it.
import type { ModuleText } from "./readModule.mjs";
export declare function dictSubclassUpdate(module: ModuleText): void;
