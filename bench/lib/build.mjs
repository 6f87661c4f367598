// Builds everything the benchmark serves, under build/bench/ (never committed):
//   swasgi/   `swasgi build bench/app=/app/`: the site a user deploys (sw.js, micropython.wasm,
//             host page, the app's manifest and zip)
//   swasgi-workloads/  `swasgi build bench/workloads=/work/`: the workload app, a site of its own
//             (a second app in swasgi/ would add its bundle and /data to every cold start there)
//   fuel/     a page that measures fuel overhead in Chromium
//   floor/    the floor Service Worker with the app's captured responses inlined
//   pyodide/  the Pyodide peer: its Service Worker, the pyodide package files, both apps
//   node.mjs  the Node half (fuel overhead in Node, response capture)
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { build } from "vite";

export const ROOT = path.resolve(import.meta.dirname, "../..");
export const OUT = path.join(ROOT, "build", "bench");
const RUNTIME = path.join(ROOT, "build", "runtime");
export const APP_PATHS = ["/app/", "/app/api", "/app/table"];

function copy(from, toDir, name = path.basename(from)) {
  fs.mkdirSync(toDir, { recursive: true });
  fs.copyFileSync(from, path.join(toDir, name));
}

function copyHarnessPage(dir) {
  copy(path.join(ROOT, "bench/page/bench.html"), dir);
  copy(path.join(ROOT, "bench/page/bench.js"), dir);
}

/** Bundles one browser entry into a single ES module file (a module Service Worker cannot split). */
async function bundleBrowser(entry, outDir, fileName) {
  await build({
    configFile: false,
    root: ROOT,
    // "error": the glue's Node-only branches name node:fs & co., which vite reports as externalized.
    logLevel: "error",
    publicDir: false,
    build: {
      outDir,
      emptyOutDir: false,
      target: "es2022",
      minify: true,
      modulePreload: false,
      copyPublicDir: false,
      rollupOptions: {
        input: path.join(ROOT, entry),
        output: { format: "es", entryFileNames: fileName, codeSplitting: false },
      },
    },
  });
}

/** The runtime (npm run build:wasm; a no-op when up to date). */
export function buildRuntime(log) {
  log("build: runtime (npm run build:wasm)");
  execFileSync(process.execPath, [path.join(ROOT, "wasm/build.mjs")], { stdio: ["ignore", "ignore", "inherit"] });
}

export async function buildNode(log) {
  log("build: Node half (vite, ssr)");
  await build({
    configFile: false,
    root: ROOT,
    logLevel: "warn",
    build: {
      ssr: path.join(ROOT, "bench/swasgi/node.ts"),
      // build/bench/node.mjs: from there loadRuntimeNode finds build/runtime as it does from build/cli.
      outDir: OUT,
      emptyOutDir: false,
      target: "node20",
      minify: false,
      rollupOptions: { output: { entryFileNames: "node.mjs" } },
    },
  });
  return import(`${path.join(OUT, "node.mjs")}?t=${Date.now()}`);
}

/** Newest modification time under `target`, 0 when it does not exist. */
function newest(target) {
  let info;
  try {
    info = fs.statSync(target);
  } catch {
    return 0;
  }
  if (!info.isDirectory()) return info.mtimeMs;
  return Math.max(0, ...fs.readdirSync(target).map((name) => newest(path.join(target, name))));
}

/** build/site (npm run build:site), rebuilt when a source is newer (as tests/e2e/globalSetup.ts). */
export async function buildSite(log) {
  const inputs = ["src", "sw.ts", "index.html", "vite.config.ts", "build/runtime/micropython.wasm"].map((p) => newest(path.join(ROOT, p)));
  if (newest(path.join(ROOT, "build/site/sw.js")) >= Math.max(...inputs)) return;
  log("build: site (npm run build:site)");
  await build({ configFile: path.join(ROOT, "vite.config.ts"), root: ROOT, logLevel: "error" });
}

/** build/cli (npm run build:cli), rebuilt when a source is newer (as tests/unit/globalSetup.ts). */
async function buildCli(log) {
  const sources = Math.max(newest(path.join(ROOT, "src")), newest(path.join(ROOT, "vite.cli.config.ts")));
  if (newest(path.join(ROOT, "build/cli/main.mjs")) >= sources) return;
  log("build: CLI (npm run build:cli)");
  await build({ configFile: path.join(ROOT, "vite.cli.config.ts"), root: ROOT, logLevel: "error" });
}

/**
 * The site a user deploys: `swasgi build DIR=/mount/ ... --out build/bench/<name>` when the CLI
 * has that command; otherwise build/site with the manifest and app zips written here the way
 * `swasgi dev` serves them. `apps` are [folder under the repository, mount] pairs. Returns the
 * folder and which of the two it is.
 */
export async function buildSwasgiSite(node, log, name = "swasgi", apps = [["bench/app", "/app/"]]) {
  await buildSite(log);
  const dir = path.join(OUT, name);
  fs.rmSync(dir, { recursive: true, force: true });
  const main = fs.readFileSync(path.join(ROOT, "src/cli/main.ts"), "utf8");
  const args = apps.map(([folder, mount]) => `${folder}=${mount}`);
  let kind;
  if (/\.command\("build\b/.test(main)) {
    await buildCli(log);
    log(`build: swasgi build ${args.join(" ")}`);
    execFileSync(process.execPath, [path.join(ROOT, "bin/swasgi.js"), "build", ...apps.map(([folder, mount]) => `${path.join(ROOT, folder)}=${mount}`), "--out", dir], { stdio: ["ignore", "ignore", "inherit"] });
    kind = `\`swasgi build ${args.join(" ")}\``;
  } else {
    fs.cpSync(path.join(ROOT, "build/site"), dir, { recursive: true });
    const manifest = { dev: false, apps: [] };
    for (const [folder, mount] of apps) {
      const app = await node.siteApp(path.join(ROOT, folder), mount);
      manifest.apps.push(...app.manifest.apps);
      fs.mkdirSync(path.dirname(path.join(dir, app.bundlePath)), { recursive: true });
      fs.writeFileSync(path.join(dir, app.bundlePath), app.bundle);
    }
    fs.writeFileSync(path.join(dir, "swasgi-apps.json"), `${JSON.stringify(manifest, null, 2)}\n`);
    kind = "build/site with the apps' manifest and zips (no `swasgi build` yet)";
  }
  copyHarnessPage(dir);
  return { dir, kind };
}

/** A page that measures fuel overhead in Chromium; served from its own folder. */
export async function buildFuelPage(log) {
  const dir = path.join(OUT, "fuel");
  fs.rmSync(dir, { recursive: true, force: true });
  log("build: fuel overhead page (vite)");
  await bundleBrowser("bench/swasgi/fuelPage.ts", dir, "fuel.js");
  copy(path.join(RUNTIME, "micropython.wasm"), dir);
  copy(path.join(RUNTIME, "micropython.orig.wasm"), dir);
  fs.writeFileSync(path.join(dir, "index.html"), '<!doctype html><meta charset="utf-8"><script type="module" src="fuel.js"></script>\n');
  return dir;
}

/** The floor: its Service Worker with the captured responses inlined. */
export function buildFloor(responses) {
  const dir = path.join(OUT, "floor");
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const template = fs.readFileSync(path.join(ROOT, "bench/floor/sw.js"), "utf8");
  const sw = template.replace("/* RESPONSES */ {}", JSON.stringify(responses));
  if (sw === template) throw new Error("bench/floor/sw.js: the RESPONSES placeholder is missing");
  fs.writeFileSync(path.join(dir, "sw.js"), sw);
  copyHarnessPage(dir);
  return dir;
}

export function buildPyodide() {
  const dir = path.join(OUT, "pyodide");
  fs.rmSync(dir, { recursive: true, force: true });
  const pkg = path.join(ROOT, "node_modules/pyodide");
  for (const file of ["pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json"]) {
    copy(path.join(pkg, file), dir);
  }
  copy(path.join(ROOT, "bench/pyodide/sw.js"), dir);
  copy(path.join(ROOT, "bench/pyodide/asgi_host.py"), dir);
  copy(path.join(ROOT, "bench/app/app.py"), dir);
  copy(path.join(ROOT, "bench/workloads/workloads.py"), dir);
  copyHarnessPage(dir);
  return dir;
}

export function pyodideVersion() {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "node_modules/pyodide/package.json"), "utf8"));
  const lock = JSON.parse(fs.readFileSync(path.join(ROOT, "node_modules/pyodide/pyodide-lock.json"), "utf8"));
  return { pyodide: pkg.version, python: lock.info?.python ?? "?" };
}

export function micropythonVersion() {
  return JSON.parse(fs.readFileSync(path.join(RUNTIME, "runtime.json"), "utf8")).micropython;
}
