// Types for wasm/qstrFilter.mjs (a plain build script), for the tests that call it.
import type { ModuleText } from "./readModule.mjs";
export declare const SET_QSTR_FILTER: string;
export declare function qstrFilter(module: ModuleText): void;
