import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { Runtime } from "./interpreter.ts";

const cache = new Map<string, Promise<Runtime>>();

/**
 * Compiles the runtime built by `wasm/build.mjs` (Node only; the Service Worker fetches it).
 * Compiled once per process: every interpreter reuses the module.
 */
export function loadRuntimeNode(variant: "instrumented" | "original" = "instrumented"): Promise<Runtime> {
  let runtime = cache.get(variant);
  if (!runtime) {
    const file = variant === "instrumented" ? "micropython.wasm" : "micropython.orig.wasm";
    const url = new URL(`../../build/runtime/${file}`, import.meta.url);
    runtime = readFile(fileURLToPath(url))
      .catch((error: NodeJS.ErrnoException) => {
        throw new Error(
          `swasgi: the runtime is not built (${error.code ?? error.message} for build/runtime/${file}). Run \`npm run build:wasm\`.`,
        );
      })
      .then((bytes) => WebAssembly.compile(bytes))
      .then((wasm) => ({ wasm, instrumented: variant === "instrumented" }));
    cache.set(variant, runtime);
  }
  return runtime;
}
