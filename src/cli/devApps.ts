import { createHash } from "node:crypto";
import { packAppBundle } from "../host/appBundle.ts";
import { BUNDLE_DIR, type ManifestApp } from "../host/manifest.ts";
import { AppConfigError } from "../runner/appConfig.ts";
import type { AppSource } from "../runner/protocol.ts";
import { readAppDir } from "./readAppDir.ts";
import { AppLoadError, UsageError } from "./usage.ts";

/** An app folder given on the command line: `DIR` or `DIR=/mount/`. */
export interface DevAppSpec {
  dir: string;
  mount?: string;
}

/** One served (or built) app: its folder and files, the zip the Service Worker fetches, and its manifest entry. */
export interface DevApp {
  spec: DevAppSpec;
  source: AppSource;
  bundle: Uint8Array;
  entry: ManifestApp;
}

/** Mounts that would hide the host page's own files. */
const RESERVED = ["/", "/assets/", `/${BUNDLE_DIR}`, "/__swasgi/"];

/** "dir=/mount/" → { dir, mount }; a bare "dir" keeps the mount of swasgi.json (default /app/). */
export function parseAppSpec(text: string): DevAppSpec {
  const eq = text.lastIndexOf("=");
  if (eq > 0 && text.slice(eq + 1).startsWith("/")) return { dir: text.slice(0, eq), mount: text.slice(eq + 1) };
  return { dir: text };
}

/**
 * Reads an app folder and packs it. The version is a hash of the bundle and the settings, so
 * saving a file without changing it reloads nothing.
 */
export async function loadDevApp(spec: DevAppSpec): Promise<DevApp> {
  let source;
  try {
    source = await readAppDir(spec.dir, { mount: spec.mount });
  } catch (error) {
    const message = error instanceof AppConfigError ? `${spec.dir}/${error.message}` : String((error as Error).message);
    throw new AppLoadError(message);
  }
  const bundle = packAppBundle(source.files);
  const config = source.config;
  const version = createHash("sha256").update(bundle).update(JSON.stringify(config)).digest("hex").slice(0, 12);
  const entry: ManifestApp = { name: config.name, version, bundle: `${BUNDLE_DIR}${encodeURIComponent(config.name)}.zip?v=${version}`, config };
  return { spec, source, bundle, entry };
}

/** Refuses two apps with one name (their /data and cookies would mix) or one mount. */
export function checkDevApps(apps: DevApp[]): void {
  const names = new Map<string, string>();
  const mounts = new Map<string, string>();
  for (const { spec, entry } of apps) {
    const dir = spec.dir;
    const { name, mount } = entry.config;
    if (RESERVED.includes(mount)) {
      throw new UsageError(`${spec.dir}: cannot mount an app at ${mount} (the host page lives there); mount it below, e.g. ${spec.dir}=/app/`);
    }
    if (names.has(name)) {
      throw new UsageError(`${spec.dir} and ${names.get(name)} are both named "${name}": set "name" in one's swasgi.json (the name keys its /data and cookies)`);
    }
    if (mounts.has(mount)) {
      throw new UsageError(`${spec.dir} and ${mounts.get(mount)} are both mounted at ${mount}: give one another mount, e.g. ${spec.dir}=/other/`);
    }
    names.set(name, dir);
    mounts.set(mount, dir);
  }
}
