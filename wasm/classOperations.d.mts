// Types for wasm/classOperations.mjs (a plain build script), for the tests that call it.
import type { ModuleText } from "./readModule.mjs";
export declare function classOperations(module: ModuleText): void;
