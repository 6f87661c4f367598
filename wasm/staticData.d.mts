// Types for wasm/staticData.mjs (a plain build script), for the tests that call it.
import type { ModuleText } from "./readModule.mjs";
export interface DataImage {
  bytes: Uint8Array;
  view: DataView;
  /** Where the first data segment starts. */
  start: number;
}
export declare function dataImage(module: ModuleText): DataImage;
export declare function staticQstrs(image: DataImage): Map<string, number>;
export declare function typeObject(image: DataImage, qstrs: Map<string, number>, name: string): number;
export declare function stringAddress(image: DataImage, text: string): number;
