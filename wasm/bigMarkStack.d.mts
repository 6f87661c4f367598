// Types for wasm/bigMarkStack.mjs (a plain build script), for the tests that call it.
import type { ModuleText } from "./readModule.mjs";
export declare const SET_MARK_STACK: string;
export declare function bigMarkStack(module: ModuleText): void;
