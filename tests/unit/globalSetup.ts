import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { viteBuild } from "./viteBuild.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const BUNDLE = path.join(ROOT, "build/cli/main.mjs");

/** Newest modification time under `dir` (files only), 0 when it does not exist. */
function newest(dir: string): number {
  let latest = 0;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(full) : statSync(full).mtimeMs);
  }
  return latest;
}

/**
 * Rebuilds the CLI bundle (build/cli/main.mjs) when any source is newer, so the CLI tests run
 * the code under test even with `npx vitest run tests/unit/cli` (no `pretest`).
 */
export default async function setup(): Promise<void> {
  let built = 0;
  try {
    built = statSync(BUNDLE).mtimeMs;
  } catch {
    // Not built yet.
  }
  const sources = Math.max(newest(path.join(ROOT, "src")), statSync(path.join(ROOT, "vite.cli.config.ts")).mtimeMs);
  if (built >= sources) return;
  viteBuild("vite.cli.config.ts");
}
