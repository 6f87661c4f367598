import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { viteBuild } from "../unit/viteBuild.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const SW = path.join(ROOT, "build/site/sw.js");

function newest(target: string): number {
  let info;
  try {
    info = statSync(target);
  } catch {
    return 0;
  }
  if (!info.isDirectory()) return info.mtimeMs;
  return Math.max(0, ...readdirSync(target).map((name) => newest(path.join(target, name))));
}

/**
 * Rebuilds the site (build/site: host page, sw.js, runtime) when a source is newer, so
 * `npx vitest run --project e2e` tests the code as it is even without `pretest`.
 */
export default async function setup(): Promise<void> {
  const inputs = ["src", "sw.ts", "index.html", "vite.config.ts", "build/runtime/micropython.wasm"].map((p) => newest(path.join(ROOT, p)));
  if (newest(SW) >= Math.max(...inputs)) return;
  viteBuild("vite.config.ts");
}
