// Types for wasm/handledException.mjs (a plain build script), for the tests that call it.
import type { ModuleText } from "./readModule.mjs";
export declare function handledException(module: ModuleText): void;
