import path from "node:path";
import { buildSite } from "./buildSite.ts";
import { parseAppSpec } from "./devApps.ts";
import { lastOf, UsageError } from "./usage.ts";

/** As cac hands them over: a flag given twice arrives as an array. */
export interface BuildFlags {
  out?: string | string[];
  base?: string | string[];
}

/**
 * `swasgi build APP_DIR[=MOUNT]... [--out dist] [--base /]`: writes the static site and says
 * what it wrote and where each app will live once the folder is served under `--base`.
 */
export async function buildCommand(appDirs: string[], flags: BuildFlags, stdout: NodeJS.WritableStream): Promise<number> {
  const out = lastOf(flags.out) ?? "dist";
  const base = lastOf(flags.base) ?? "/";
  // cac reads "--out" without a value as `true`.
  if (typeof out !== "string" || !out) throw new UsageError("--out expects a folder, e.g. --out dist");
  if (typeof base !== "string" || !base) throw new UsageError("--base expects a URL path, e.g. --base /myrepo/");
  const result = await buildSite({ apps: appDirs.map(parseAppSpec), out, base });
  const relative = path.relative(process.cwd(), result.out);
  const shown = !relative ? "." : relative.startsWith("..") ? result.out : relative;
  const size = (bytes: number) => (bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KB`);
  const total = result.files.reduce((sum, file) => sum + file.bytes, 0);
  stdout.write(`swasgi build: wrote ${shown}/ (build ${result.id}, ${result.files.length} files, ${size(total)}) for a site served at ${result.base}\n`);
  for (const file of [...result.files].sort((a, b) => (a.path < b.path ? -1 : 1))) {
    if (result.apps.some((app) => app.bundle === file.path)) continue;
    stdout.write(`  ${file.path.padEnd(36)} ${size(file.bytes).padStart(10)}\n`);
  }
  for (const app of result.apps) {
    stdout.write(`  ${app.bundle.padEnd(36)} ${size(app.bytes).padStart(10)}  ${app.name} at ${app.url}\n`);
  }
  stdout.write(`Upload ${shown}/ as it is to a static host that serves it at ${result.base} (404.html makes deep links work on a first visit).\n`);
  return 0;
}
