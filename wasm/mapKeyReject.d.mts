// Types for wasm/mapKeyReject.mjs (a plain build script).
import type { ModuleText } from "./readModule.mjs";
export declare function mapKeyReject(module: ModuleText): void;
