import { readFileSync } from "node:fs";
import type { Plugin } from "vite";
import { compactPython } from "./compactPython.ts";

/**
 * Vite plugin: `*.py?raw` imports (src/python/index.ts) load compacted. Used by every build
 * and by Vitest, so the tests run exactly the Python that ships.
 */
export function pythonSource(): Plugin {
  return {
    name: "swasgi:python-source",
    enforce: "pre",
    load(id) {
      const match = /^(.*\.py)\?raw$/.exec(id);
      if (!match) return undefined;
      return `export default ${JSON.stringify(compactPython(readFileSync(match[1], "utf8")))};\n`;
    },
  };
}
