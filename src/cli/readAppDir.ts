import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { appConfig } from "../runner/appConfig.ts";
import type { AppConfig, AppSource } from "../runner/protocol.ts";

/** Folders that are never part of an app. */
const SKIP = new Set(["__pycache__", ".git", "node_modules", ".venv", ".DS_Store"]);
/** An app folder larger than this is almost certainly the wrong folder. */
const MAX_APP_BYTES = 64 * 1024 * 1024;

/**
 * Reads an app folder (DESIGN.md: `app.py`, optional `swasgi.json`, modules, data files).
 * Throws an Error naming the folder or file when it is not an app.
 */
export async function readAppDir(dir: string, overrides: Partial<AppConfig> = {}): Promise<AppSource> {
  const root = path.resolve(dir);
  const info = await stat(root).catch(() => undefined);
  if (!info?.isDirectory()) throw new Error(`${dir}: not a folder (an app is a folder with app.py)`);
  const files = new Map<string, Uint8Array>();
  let total = 0;
  const walk = async (folder: string, prefix: string): Promise<void> => {
    for (const entry of await readdir(folder, { withFileTypes: true })) {
      if (SKIP.has(entry.name)) continue;
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) await walk(full, `${prefix}${entry.name}/`);
      else if (entry.isFile()) {
        const bytes = new Uint8Array(await readFile(full));
        total += bytes.byteLength;
        if (total > MAX_APP_BYTES) throw new Error(`${dir}: the app folder is larger than ${MAX_APP_BYTES >> 20} MB`);
        files.set(`${prefix}${entry.name}`, bytes);
      }
    }
  };
  await walk(root, "");
  return { files, config: appConfig(path.basename(root), files, overrides) };
}
