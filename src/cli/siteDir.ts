import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * build/site (the host page, sw.js, the runtime: `npm run build:site`), beside the bundled CLI
 * (build/cli) or from the source tree. `swasgi dev` serves it; `swasgi build` copies it.
 */
export function siteDir(): string {
  const candidates = [new URL("../site/", import.meta.url), new URL("../../build/site/", import.meta.url)];
  const found = candidates.find((url) => existsSync(fileURLToPath(new URL("sw.js", url))));
  if (!found) throw new Error("swasgi: the site is not built (no build/site/sw.js). Run `npm run build:site`.");
  return fileURLToPath(found);
}
