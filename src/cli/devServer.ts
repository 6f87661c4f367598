import { type FSWatcher, watch } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { lookup } from "mrmime";
import { bootstrapHtml } from "../client/bootstrapHtml.ts";
import { BUNDLE_DIR, DEV_DIR, MANIFEST_PATH, type SiteManifest } from "../host/manifest.ts";
import { checkDevApps, type DevApp, type DevAppSpec, loadDevApp } from "./devApps.ts";
import { siteDir } from "./siteDir.ts";

export interface DevServerOptions {
  apps: DevAppSpec[];
  /** 0 picks a free port. Default 5173. */
  port?: number;
  host?: string;
  /** Reload apps when their files change (default true). */
  watch?: boolean;
  /** Where messages for the person running the server go. */
  log?(line: string): void;
  /** Tests and screenshots: spread the runtime download over this long, to see the progress bar. */
  throttleRuntimeMs?: number;
}

export interface DevServer {
  url: string;
  port: number;
  manifest(): SiteManifest;
  /** Pages listening for changes on /__swasgi/events (tests wait for them). */
  eventListeners(): number;
  /** Re-reads one app folder now (what the watcher does after a change). */
  reload(name: string): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * The CSP of sw.js: the second layer DESIGN.md asks for. Without `unsafe-eval`, a Function
 * constructor that leaked into Python still cannot compile code; `wasm-unsafe-eval` lets the
 * worker compile the runtime. `default-src 'self'` keeps the worker's own fetches on this origin.
 */
export const SW_CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; object-src 'none'; base-uri 'none'";

const WATCH_DEBOUNCE_MS = 150;
const SSE_HEARTBEAT_MS = 20_000;

/**
 * `swasgi dev`: a plain HTTP server for the prebuilt site (host page, sw.js, runtime) plus,
 * from the app folders, the manifest and app bundles the Service Worker fetches. Unknown
 * paths under a mount get the deep-link bootstrap. Folder changes bump the app's version and
 * are announced on /__swasgi/events (server-sent events) to open pages.
 * @example const server = await startDevServer({ apps: [{ dir: "examples/hello" }], port: 0 });
 */
export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const site = siteDir();
  const log = options.log ?? (() => {});
  const apps = await Promise.all(options.apps.map(loadDevApp));
  checkDevApps(apps);
  const byName = new Map(apps.map((app) => [app.entry.name, app]));
  const listeners = new Set<ServerResponse>();
  const manifest = (): SiteManifest => ({ dev: true, apps: [...byName.values()].map((app) => app.entry) });

  const reload = async (name: string): Promise<boolean> => {
    const current = byName.get(name);
    if (!current) return false;
    let next: DevApp;
    try {
      next = await loadDevApp(current.spec);
      checkDevApps([...byName.values()].map((app) => (app === current ? next : app)));
    } catch (error) {
      log(`swasgi dev: ${name}: not reloaded: ${(error as Error).message}`);
      return false;
    }
    if (next.entry.version === current.entry.version) return false;
    if (next.entry.name !== name) byName.delete(name);
    byName.set(next.entry.name, next);
    log(`swasgi dev: ${next.entry.name} changed, reloading (version ${next.entry.version})`);
    const data = JSON.stringify({ name: next.entry.name, mount: next.entry.config.mount, version: next.entry.version });
    for (const listener of listeners) listener.write(`event: change\ndata: ${data}\n\n`);
    return true;
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      log(`swasgi dev: ${req.method} ${req.url}: ${String(error)}`);
      if (!res.headersSent) send(res, 500, "text/plain; charset=utf-8", `swasgi dev: ${String(error)}\n`);
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://localhost");
    let pathname: string;
    try {
      pathname = decodeURIComponent(url.pathname);
    } catch {
      return send(res, 400, "text/plain; charset=utf-8", "bad path encoding\n");
    }
    const head = req.method === "HEAD";
    if (req.method !== "GET" && !head) {
      // The Service Worker answers app requests; reaching here means it is not in control.
      return send(res, 503, "text/plain; charset=utf-8", "swasgi dev: the Service Worker is not running for this page yet; open the page first.\n");
    }
    if (pathname === `/${MANIFEST_PATH}`) return send(res, 200, "application/json", JSON.stringify(manifest(), null, 2), head);
    if (pathname.startsWith(`/${BUNDLE_DIR}`) && pathname.endsWith(".zip")) {
      const app = byName.get(pathname.slice(BUNDLE_DIR.length + 1, -4));
      if (app) return send(res, 200, "application/zip", app.bundle, head);
    }
    if (pathname === `/${DEV_DIR}events`) return events(res);
    const file = await staticFile(pathname === "/" ? "/index.html" : pathname);
    if (file) {
      const headers: Record<string, string> = {};
      if (pathname === "/sw.js") {
        headers["service-worker-allowed"] = "/";
        headers["content-security-policy"] = SW_CSP;
      }
      if (options.throttleRuntimeMs && pathname === "/micropython.wasm") return throttled(res, file, options.throttleRuntimeMs);
      return send(res, 200, lookup(path.extname(file.path)) ?? "application/octet-stream", await readFile(file.path), head, headers);
    }
    // Browsers ask every page's origin for one; an empty answer keeps consoles quiet.
    if (pathname === "/favicon.ico") return send(res, 204, "image/x-icon", "", head);
    const mounted = [...byName.values()].some(({ entry }) => pathname.startsWith(entry.config.mount) || pathname === entry.config.mount.slice(0, -1));
    if (mounted) return send(res, 404, "text/html; charset=utf-8", bootstrapHtml({ swUrl: "/sw.js", scope: "/" }), head);
    return send(res, 404, "text/plain; charset=utf-8", `Not found: ${pathname}\n`, head);
  }

  async function staticFile(pathname: string): Promise<{ path: string } | undefined> {
    const target = path.resolve(site, `.${pathname}`);
    if (!target.startsWith(site)) return undefined;
    const info = await stat(target).catch(() => undefined);
    return info?.isFile() ? { path: target } : undefined;
  }

  function events(res: ServerResponse): void {
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
    res.write(": swasgi dev events\n\n");
    listeners.add(res);
    const heartbeat = setInterval(() => res.write(": ping\n\n"), SSE_HEARTBEAT_MS);
    res.on("close", () => {
      clearInterval(heartbeat);
      listeners.delete(res);
    });
  }

  const watchers: FSWatcher[] = [];
  if (options.watch !== false) {
    for (const app of apps) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const name = app.entry.name;
      const watcher = watch(path.resolve(app.spec.dir), { recursive: true }, (_event, file) => {
        if (file && /(^|\/)(__pycache__|\.git|node_modules)(\/|$)|~$|\.swp$/.test(String(file))) return;
        clearTimeout(timer);
        timer = setTimeout(() => void reload(name), WATCH_DEBOUNCE_MS);
      });
      watcher.on("error", (error) => log(`swasgi dev: stopped watching ${app.spec.dir}: ${error.message}`));
      watchers.push(watcher);
    }
  }

  const port = await new Promise<number>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 5173, options.host ?? "127.0.0.1", () => resolve((server.address() as AddressInfo).port));
  });
  const host = options.host ?? "127.0.0.1";
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}/`;

  return {
    url,
    port,
    manifest,
    reload,
    eventListeners: () => listeners.size,
    async close() {
      for (const watcher of watchers) watcher.close();
      for (const listener of listeners) listener.end();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function send(res: ServerResponse, status: number, type: string, body: string | Uint8Array, head = false, headers: Record<string, string> = {}): void {
  const bytes = typeof body === "string" ? Buffer.from(body) : body;
  res.writeHead(status, { "content-type": type, "content-length": bytes.byteLength, "cache-control": "no-cache", ...headers });
  res.end(head ? undefined : bytes);
}

/** Sends a file in 16 slices over `ms`, so a progress bar has something to show. */
async function throttled(res: ServerResponse, file: { path: string }, ms: number): Promise<void> {
  const bytes = await readFile(file.path);
  res.writeHead(200, { "content-type": "application/wasm", "content-length": bytes.byteLength, "cache-control": "no-store" });
  const step = Math.ceil(bytes.byteLength / 16);
  for (let at = 0; at < bytes.byteLength; at += step) {
    res.write(bytes.subarray(at, at + step));
    await new Promise((resolve) => setTimeout(resolve, ms / 16));
  }
  res.end();
}
