import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { libraryNode } from "../python/libraryNode.ts";
import { BootImageSlot } from "./bootImage.ts";
import type { Runtime } from "./interpreter.ts";

const cache = new Map<string, Promise<Runtime>>();

/** build/runtime as seen from this file in the source tree, or from the bundled CLI in build/cli. */
function runtimeDir(): string {
  const candidates = [new URL("../../build/runtime/", import.meta.url), new URL("../runtime/", import.meta.url)];
  const found = candidates.find((url) => existsSync(fileURLToPath(new URL("glue.mjs", url))));
  return fileURLToPath(found ?? candidates[0]);
}

/**
 * Compiles the runtime built by `wasm/build.mjs` (Node only; the Service Worker fetches it).
 * Compiled once per process: every interpreter reuses the module.
 */
export function loadRuntimeNode(variant: "instrumented" | "original" = "instrumented"): Promise<Runtime> {
  let runtime = cache.get(variant);
  if (!runtime) {
    const file = variant === "instrumented" ? "micropython.wasm" : "micropython.orig.wasm";
    runtime = readFile(runtimeDir() + file)
      .catch((error: NodeJS.ErrnoException) => {
        throw new Error(
          `swasgi: the runtime is not built (${error.code ?? error.message} for build/runtime/${file}). Run \`npm run build:wasm\`.`,
        );
      })
      .then((bytes) => WebAssembly.compile(bytes))
      // One boot image per process: every interpreter after the first restores it.
      .then((wasm) => ({ wasm, instrumented: variant === "instrumented", bootImages: new BootImageSlot(`node:${file}`), library: libraryNode }));
    cache.set(variant, runtime);
  }
  return runtime;
}
