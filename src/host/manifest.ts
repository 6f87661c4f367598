/**
 * The site manifest: how a Service Worker learns which apps are mounted. Written by the dev
 * server (and `swasgi build`) as `<base>swasgi-apps.json`; read by src/host/sw/appRegistry.ts.
 * Nothing else unpacks it.
 */
import type { AppConfig } from "../runner/protocol.ts";

/** Served at `<base>swasgi-apps.json`, where `<base>` is the folder of `sw.js`. */
export interface SiteManifest {
  /** Dev mode: error pages show tracebacks, HTML pages get the live-reload client. */
  dev: boolean;
  /** A built site's build id (`swasgi build`); absent under `swasgi dev`. */
  build?: string;
  apps: ManifestApp[];
}

export interface ManifestApp {
  /** Unique within the site; keys the app's `/data` and cookie jar. */
  name: string;
  /** Content hash of the bundle: a new value means new files, so the app is reloaded. */
  version: string;
  /** URL of the zip of the app folder, relative to the manifest. */
  bundle: string;
  /**
   * The app's settings as `appConfig` computed them. `config.mount` is relative to the site
   * base: "/app/" is served at "/app/" from a site at "/", and at "/sub/app/" from "/sub/".
   */
  config: AppConfig;
}

/**
 * What `swasgi build` tells its Service Worker: the files to precache for offline use. The
 * build prepends `globalThis[BUILD_GLOBAL] = {...};` to `sw.js`, so every build is a new
 * `sw.js` byte for byte, which is what makes the browser install it (a Service Worker updates
 * only when its script changes). Absent under `swasgi dev`: everything comes from the network.
 */
export interface SiteBuild {
  /** Content hash of the whole site: names the cache and appears in the manifest. */
  id: string;
  /** Every file the site needs offline, relative to the base ("index.html" serves the base). */
  files: PrecacheFile[];
}

export interface PrecacheFile {
  path: string;
  /** Hex SHA-256 of the bytes: the Service Worker refuses a build whose files do not match. */
  sha256: string;
}

/** The global a built `sw.js` sets before the worker's own code runs. */
export const BUILD_GLOBAL = "__SWASGI_BUILD__";

/** Where the manifest lives, relative to the site base. */
export const MANIFEST_PATH = "swasgi-apps.json";
/** Where the app bundles live, relative to the site base: `swasgi-apps/<name>.zip`. */
export const BUNDLE_DIR = "swasgi-apps/";
/** Dev-server endpoints (server-sent events, the live-reload client), relative to the base. */
export const DEV_DIR = "__swasgi/";

/** Site files the Service Worker never routes to an app, even when an app is mounted above them. */
export function isSiteFile(pathBelowBase: string): boolean {
  return (
    pathBelowBase === "sw.js" ||
    pathBelowBase === MANIFEST_PATH ||
    pathBelowBase === "micropython.wasm" ||
    pathBelowBase.startsWith(BUNDLE_DIR) ||
    pathBelowBase.startsWith(DEV_DIR)
  );
}

/** The mount as the browser sees it: the manifest's mount below the site base. */
export function siteMount(base: string, mount: string): string {
  return base.replace(/\/$/, "") + mount;
}

/** Names of the apps a new manifest adds, removes or changes (version or mount), sorted. */
export function changedApps(previous: SiteManifest, next: SiteManifest): string[] {
  const key = (app: ManifestApp) => `${app.version} ${app.config.mount}`;
  const before = new Map(previous.apps.map((app) => [app.name, key(app)]));
  const after = new Map(next.apps.map((app) => [app.name, key(app)]));
  const names = new Set([...before.keys(), ...after.keys()]);
  return [...names].filter((name) => before.get(name) !== after.get(name)).sort();
}
