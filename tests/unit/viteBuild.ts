import { execFileSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/**
 * `vite build -c <config>` in a process of its own, as `npm run build:site` / `build:cli` run
 * it. Inside vitest NODE_ENV is "test", which Vite keeps: the bundle would then carry workbox's
 * development logging and Vite's development stubs, and stay in build/ for `swasgi build` and
 * the bench to pick up.
 */
export function viteBuild(config: string): void {
  const env = { ...process.env };
  delete env.NODE_ENV;
  execFileSync(process.execPath, [path.join(ROOT, "node_modules/vite/bin/vite.js"), "build", "-c", path.join(ROOT, config), "--logLevel", "warn"], { cwd: ROOT, env, stdio: "inherit" });
}
