import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { bootstrapHtml } from "../client/bootstrapHtml.ts";
import { BUILD_GLOBAL, BUNDLE_DIR, DEV_DIR, MANIFEST_PATH, type SiteBuild, type SiteManifest, siteMount } from "../host/manifest.ts";
import { SQLITE_DIR } from "../host/sw/sqliteEngineFiles.ts";
import { importedModules } from "../python/importedModules.ts";
import { LIBRARY_FILE } from "../python/library.ts";
import { libraryNode } from "../python/libraryNode.ts";
import { AppRunner } from "../runner/appRunner.ts";
import { loadRuntimeNode } from "../runner/loadRuntimeNode.ts";
import { usesSqlite } from "../runner/sqliteEngine.ts";
import { loadSqliteEngineNode } from "../runner/sqliteEngineNode.ts";
import { checkDevApps, type DevApp, type DevAppSpec, loadDevApp } from "./devApps.ts";
import { siteDir } from "./siteDir.ts";
import { AppLoadError, UsageError } from "./usage.ts";

export interface BuildOptions {
  apps: DevAppSpec[];
  /** The folder to write (created when missing). */
  out: string;
  /** The URL path the site will be served under, e.g. "/" or "/repo/". Default "/". */
  base?: string;
  /** Import each app once in the sandbox so a broken app fails the build (default true). */
  check?: boolean;
}

export interface BuiltApp {
  name: string;
  /** Where the browser finds it: the mount below the base. */
  url: string;
  bundle: string;
  bytes: number;
}

export interface BuildResult {
  out: string;
  base: string;
  id: string;
  /** Every file written, relative to `out`, with its size. */
  files: { path: string; bytes: number }[];
  apps: BuiltApp[];
}

/** Written last, so a browser that sees the new sw.js finds every file it names. */
const SW = "sw.js";
const NOT_FOUND = "404.html";
/** Folders a build owns completely: a rebuild deletes what it no longer needs there. */
const OWNED_DIRS = ["assets/", BUNDLE_DIR];

/**
 * `swasgi build`: a static site for any host. The prebuilt host page, Service Worker and
 * runtime (build/site), the manifest (`dev: false`), one zip per app, and `404.html` (the
 * deep-link bootstrap, for hosts that serve it for unknown paths). `sw.js` gets the build's
 * file list and id prepended (SiteBuild in src/host/manifest.ts): its Service Worker caches
 * them for offline use, and any change to the site changes `sw.js`, so browsers update.
 * Rebuilding into the same folder replaces the previous build and leaves other files alone.
 * @example await buildSite({ apps: [{ dir: "examples/notes" }], out: "dist", base: "/repo/" })
 */
export async function buildSite(options: BuildOptions): Promise<BuildResult> {
  const base = normalizeBase(options.base ?? "/");
  if (!options.apps.length) throw new UsageError("give at least one app folder: swasgi build APP_DIR[=/mount/]... [--out dist] [--base /]");
  const out = path.resolve(options.out);
  await checkOut(options.out, out);
  const apps = await Promise.all(options.apps.map(loadDevApp));
  checkDevApps(apps);
  if (options.check !== false) await checkAppsLoad(apps);

  const files = new Map<string, Uint8Array>();
  const site = siteDir();
  const sqlite = apps.some((app) => usesSqlite(app.source.files));
  const library = (await Promise.all(apps.map((app) => libraryNode(importedModules(app.source.files))))).some((files) => files.size > 0);
  for (const file of await walk(site)) {
    if (file.startsWith(DEV_DIR)) continue; // the live-reload client is for `swasgi dev` only
    if (file.startsWith(SQLITE_DIR) && !sqlite) continue; // the SQLite engine, for sites that use it
    if (file === LIBRARY_FILE && !library) continue; // swasgi's Python library, likewise
    files.set(file, new Uint8Array(await readFile(path.join(site, file))));
  }
  const sw = files.get(SW);
  files.delete(SW);
  if (!sw || !files.has("index.html")) throw new Error(`swasgi: ${site} is not a built site (no sw.js or index.html). Run \`npm run build:site\`.`);

  const slugs = new Set<string>();
  const built: BuiltApp[] = [];
  for (const app of apps) {
    const bundle = `${BUNDLE_DIR}${slug(app.entry.name, slugs)}.zip`;
    files.set(bundle, app.bundle);
    app.entry.bundle = `${bundle}?v=${app.entry.version}`;
    built.push({ name: app.entry.name, url: siteMount(base, app.entry.config.mount), bundle, bytes: app.bundle.byteLength });
  }

  // The id covers every byte the browser gets, the apps' settings and the base.
  const id = sha256Hex(
    JSON.stringify({ base, sw: sha256Hex(sw), files: [...files].map(([p, bytes]) => [p, sha256Hex(bytes)]).sort(), apps: apps.map((a) => a.entry) }),
  ).slice(0, 16);
  const manifest: SiteManifest = { dev: false, build: id, apps: apps.map((app: DevApp) => app.entry) };
  files.set(MANIFEST_PATH, new TextEncoder().encode(`${JSON.stringify(manifest, null, 2)}\n`));
  const build: SiteBuild = { id, files: [...files].map(([p, bytes]) => ({ path: p, sha256: sha256Hex(bytes) })).sort((a, b) => (a.path < b.path ? -1 : 1)) };
  files.set(NOT_FOUND, new TextEncoder().encode(bootstrapHtml({ swUrl: `${base}${SW}`, scope: base, mounts: built.map((a) => a.url) })));
  // A statement before the bundle: sw.js is one self-contained module (vite.config.ts), so
  // this runs before any of the worker's code reads it.
  files.set(SW, new Uint8Array(Buffer.concat([Buffer.from(`globalThis.${BUILD_GLOBAL} = ${JSON.stringify(build)};\n`), sw])));

  await writeSite(out, files);
  return {
    out,
    base,
    id,
    files: [...files].map(([p, bytes]) => ({ path: p, bytes: bytes.byteLength })),
    apps: built,
  };
}

/** "/repo" → "/repo/"; refuses what cannot be the path a site is served under. */
export function normalizeBase(base: string): string {
  const withSlash = base.endsWith("/") ? base : `${base}/`;
  if (!/^\/([A-Za-z0-9._~!$&'()*+,;=:@%-]+\/)*$/.test(withSlash) || withSlash.split("/").some((part) => part === "." || part === "..")) {
    throw new UsageError(`--base expects the URL path the site is served under, like / or /myrepo/, got "${base}"`);
  }
  return withSlash;
}

/** The output folder: missing, empty, or an earlier build; never someone's other files. */
async function checkOut(given: string, out: string): Promise<void> {
  const info = await stat(out).catch(() => undefined);
  if (!info) return;
  if (!info.isDirectory()) throw new UsageError(`--out ${given}: is a file, not a folder`);
  const entries = await readdir(out);
  if (entries.length && !entries.includes(MANIFEST_PATH)) {
    throw new UsageError(`--out ${given}: the folder is not empty and holds no earlier swasgi build (no ${MANIFEST_PATH}); pick an empty or new folder`);
  }
}

/**
 * Imports each app once in the sandbox, as the browser will: a syntax error or a missing
 * `app` fails the build (exit 1, naming file and line) rather than the deployed site.
 */
async function checkAppsLoad(apps: DevApp[]): Promise<void> {
  const runtime = await loadRuntimeNode();
  for (const app of apps) {
    const runner = new AppRunner(app.source, { runtime, dev: true, sqlite: loadSqliteEngineNode });
    const failure = await runner.start();
    await runner.close().catch(() => undefined);
    if (failure?.code === "load-error") {
      const where = failure.file ? `${app.spec.dir}/${failure.file.replace(/^\/app\//, "")}${failure.line ? `:${failure.line}` : ""}: ` : `${app.spec.dir}: `;
      throw new AppLoadError(`${where}${failure.message}`, failure.traceback);
    }
  }
}

/**
 * Writes every file, `sw.js` last, then deletes what an earlier build left in the folders a
 * build owns: a visitor whose browser fetches the new sw.js meanwhile finds its files there.
 */
async function writeSite(out: string, files: Map<string, Uint8Array>): Promise<void> {
  const order = [...files.keys()].sort((a, b) => Number(a === SW) - Number(b === SW));
  for (const file of order) {
    const target = path.join(out, file);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, files.get(file)!);
  }
  for (const dir of OWNED_DIRS) {
    for (const file of await walk(path.join(out, dir)).catch(() => [])) {
      if (!files.has(`${dir}${file}`)) await rm(path.join(out, dir, file), { force: true });
    }
  }
}

/** Files below `dir`, `/`-separated, relative to it. */
async function walk(dir: string, prefix = ""): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) found.push(...(await walk(path.join(dir, entry.name), `${prefix}${entry.name}/`)));
    else if (entry.isFile()) found.push(`${prefix}${entry.name}`);
  }
  return found;
}

/** A file name for the app's bundle that every static host serves as is. */
function slug(name: string, taken: Set<string>): string {
  const plain = name.replace(/[^A-Za-z0-9._-]/g, "_").replace(/^\.+/, "") || "app";
  let candidate = plain;
  for (let n = 2; taken.has(candidate); n++) candidate = `${plain}-${n}`;
  taken.add(candidate);
  return candidate;
}

function sha256Hex(bytes: Uint8Array | string): string {
  return createHash("sha256").update(bytes).digest("hex");
}
