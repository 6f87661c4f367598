// Types for wasm/bigIntFlag.mjs (a plain build script).
import type { ModuleText } from "./readModule.mjs";
export declare function bigIntFlag(module: ModuleText): void;
