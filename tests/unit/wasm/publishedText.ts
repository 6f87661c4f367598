// The published MicroPython wasm as binaryen's text, for tests of the passes that patch it.
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import binaryen from "binaryen";
import type { ModuleText } from "../../../wasm/readModule.mjs";
import { print } from "../../../wasm/sexpr.mjs";

const require = createRequire(import.meta.url);
const packageWasm = path.join(path.dirname(require.resolve("@micropython/micropython-webassembly-pyscript/package.json")), "micropython.wasm");

/** binaryen's text of the published wasm. */
export async function publishedText(): Promise<string> {
  const read = binaryen.readBinary(new Uint8Array(await readFile(packageWasm)));
  try {
    return read.emitText();
  } finally {
    read.dispose();
  }
}

/** One function's text as it is now. */
export function functionText(module: ModuleText, name: string): string {
  const fn = module.functions.get(name)!;
  return print([...fn.head, ...fn.body]);
}

/** Whether the module, functions as they are now, is valid wasm. */
export function validates(module: ModuleText): boolean {
  const text = module.parts.map((part) => (typeof part === "string" ? part : " " + functionText(module, part.name))).join("\n");
  const parsed = binaryen.parseText(text);
  try {
    parsed.setFeatures(binaryen.Features.All);
    return parsed.validate() === 1;
  } finally {
    parsed.dispose();
  }
}
