import type { AppInfo, AppState, HostStatus } from "../../client/protocol.ts";
import { AppRunner, type LogEntry } from "../../runner/appRunner.ts";
import type { Runtime } from "../../runner/interpreter.ts";
import type { Failure } from "../../runner/protocol.ts";
import type { SqliteEngineLoader } from "../../runner/sqliteEngine.ts";
import { databaseFor, IndexedDbStore } from "../../store/indexedDbStore.ts";
import { unpackAppBundle } from "../appBundle.ts";
import { AppHost } from "../appHost.ts";
import { AppCookieJar } from "../cookieJar.ts";
import { MANIFEST_PATH, type ManifestApp, type SiteManifest, siteMount } from "../manifest.ts";
import type { HostRequest } from "../protocol.ts";
import { idbCookiePersistence } from "./idbCookies.ts";
import type { SharedRuntime } from "./sharedRuntime.ts";
import type { SiteCache } from "./siteCache.ts";
import type { SwEvents } from "./swEvents.ts";

/** One mounted app as the Service Worker knows it. */
export interface RegisteredApp {
  manifest: ManifestApp;
  /** As the browser sees it: the manifest's mount below the site base. */
  mount: string;
  /** Missing when the bundle could not be loaded (`error` says why). */
  runner?: AppRunner;
  state: AppState;
  error?: string;
  started?: Promise<void>;
}

/**
 * Which apps are mounted, learnt from `<base>swasgi-apps.json` (src/host/manifest.ts): fetches
 * each app's bundle, gives it a runner with its own IndexedDB `/data` and cookie jar, and mounts
 * it on the host core. Everything here lives as long as the Service Worker: after the browser
 * stops it, the next request builds it all again from the manifest. A built site reads the
 * manifest and bundles from its offline cache (SiteCache); `/data` and cookies live in the
 * site's IndexedDB database keyed by app name, so they outlive versions of the app.
 */
export class AppRegistry {
  readonly #base: URL;
  readonly #events: SwEvents;
  readonly #runtime: SharedRuntime;
  readonly #site: SiteCache;
  readonly #database: string;
  #manifest: SiteManifest | undefined;
  #manifestLoad: Promise<SiteManifest> | undefined;
  #ready: Promise<void> | undefined;
  #apps = new Map<string, RegisteredApp>();
  #host: AppHost | undefined;
  #checkedAt = 0;
  #syncing: Promise<unknown> = Promise.resolve();

  readonly #sqlite: SqliteEngineLoader | undefined;

  constructor(base: URL, events: SwEvents, runtime: SharedRuntime, site: SiteCache, sqlite?: SqliteEngineLoader) {
    this.#sqlite = sqlite;
    this.#base = base;
    this.#events = events;
    this.#runtime = runtime;
    this.#site = site;
    this.#database = databaseFor(base.pathname);
  }

  get dev(): boolean {
    return this.#manifest?.dev ?? false;
  }

  /** The host core, once `ready()` resolved. */
  get host(): AppHost | undefined {
    return this.#host;
  }

  /**
   * Whether a mounted app covers this path, answered synchronously (a fetch handler must decide
   * on `respondWith` at once); undefined while the manifest is not loaded yet.
   */
  owns(pathname: string): boolean | undefined {
    if (!this.#manifest) return undefined;
    return this.#manifest.apps.some((app) => covers(siteMount(this.#base.pathname, app.config.mount), pathname));
  }

  /** Starts loading the manifest (at Service Worker start, so routing is soon synchronous). */
  manifest(): Promise<SiteManifest> {
    this.#manifestLoad ??= this.#fetchManifest().then(
      (manifest) => (this.#manifest = manifest),
      (error: unknown) => {
        this.#manifestLoad = undefined;
        throw error;
      },
    );
    return this.#manifestLoad;
  }

  /** Manifest, runtime and every app's bundle and cookie jar: what routing a request needs. */
  ready(): Promise<void> {
    this.#ready ??= this.#load().catch((error: unknown) => {
      this.#ready = undefined;
      throw error;
    });
    return this.#ready;
  }

  /** The app whose mount is the longest prefix of the path. */
  find(pathname: string): RegisteredApp | undefined {
    let best: RegisteredApp | undefined;
    for (const app of this.#apps.values()) {
      if (covers(app.mount, pathname) && (!best || app.mount.length > best.mount.length)) best = app;
    }
    return best;
  }

  /** Boots the app's interpreter (once; a runner replaces a dead one by itself later). */
  start(app: RegisteredApp): Promise<void> {
    app.started ??= (async () => {
      if (!app.runner) return;
      this.#setState(app, "booting");
      const failure = await app.runner.start();
      this.#setState(app, failure ? "failed" : "ready", failure?.message);
    })();
    return app.started;
  }

  /** Runtime, bundles and every interpreter: the host page calls this to show progress. */
  async warm(): Promise<void> {
    await this.ready();
    await Promise.all([...this.#apps.values()].map((app) => this.start(app)));
  }

  /**
   * Re-reads the manifest and reloads the apps whose version changed (dev reload); resolves
   * with their names. Serialized: pages that all heard of the same change ask at once.
   */
  sync(): Promise<string[]> {
    const run = this.#syncing.then(() => this.#sync());
    this.#syncing = run.catch(() => undefined);
    return run;
  }

  /** Dev: a navigation re-checks the manifest when the last check is older than `maxAgeMs`. */
  async refreshIfStale(maxAgeMs: number): Promise<void> {
    if (this.dev && this.#ready && performance.now() - this.#checkedAt > maxAgeMs) await this.sync().catch(() => undefined);
  }

  status(): HostStatus {
    return { dev: this.dev, build: this.#manifest?.build, runtime: this.#runtime.status, apps: this.apps() };
  }

  apps(): AppInfo[] {
    const listed = [...this.#apps.values()];
    // Before the bundles are in, the manifest alone says what is mounted.
    if (!listed.length && this.#manifest) {
      return this.#manifest.apps.map((app) => info({ manifest: app, mount: siteMount(this.#base.pathname, app.config.mount), state: "idle" }));
    }
    return listed.map(info);
  }

  async #load(): Promise<void> {
    // Only app requests get here: start compiling the runtime while the manifest downloads.
    const runtime = this.#runtime.get();
    runtime.catch(() => undefined);
    const manifest = await this.manifest();
    this.#host ??= new AppHost({ dev: manifest.dev, onFailure: (app, failure, request) => this.#failure(app, failure, request) });
    await Promise.all(manifest.apps.map((app) => this.#add(app, runtime)));
  }

  async #add(manifest: ManifestApp, runtime: Promise<Runtime>): Promise<void> {
    const mount = siteMount(this.#base.pathname, manifest.config.mount);
    const app: RegisteredApp = { manifest, mount, state: "idle" };
    this.#apps.set(manifest.name, app);
    const store = new IndexedDbStore(manifest.name, this.#database);
    const initialData = store.load();
    initialData.catch(() => undefined);
    // Read while the runtime compiles, like /data: restoring it spares the app's compile.
    const appImageEntry = `app-image/${encodeURIComponent(manifest.name)}`;
    const appImage = this.#site.readDerived(appImageEntry).catch(() => undefined);
    const [files, jar] = await Promise.all([
      this.#fetchBundle(manifest).catch((error: Error) => error),
      AppCookieJar.open(mount.replace(/\/$/, ""), idbCookiePersistence(manifest.name, this.#database)),
    ]);
    const wasm = await runtime;
    if (files instanceof Error) {
      this.#setState(app, "failed", files.message);
      return;
    }
    app.runner = new AppRunner(
      { config: { ...manifest.config, mount }, files, version: manifest.version },
      {
        runtime: wasm,
        store,
        initialData,
        dev: this.dev,
        sqlite: this.#sqlite,
        onLog: (entry) => this.#log(entry),
        appImages: {
          load: () => appImage,
          save: (bytes) => void this.#site.writeDerived(appImageEntry, bytes).catch(() => undefined),
        },
      },
    );
    this.#host!.mount({ mount, runner: app.runner, hooks: jar.hooks() });
  }

  async #sync(): Promise<string[]> {
    if (!this.#ready) {
      await this.ready();
      return [];
    }
    await this.#ready;
    const manifest = await this.#fetchManifest();
    this.#manifest = manifest;
    const changed: ManifestApp[] = [];
    const runtime = this.#runtime.get();
    for (const next of manifest.apps) {
      const app = this.#apps.get(next.name);
      if (app && app.manifest.version === next.version && app.manifest.config.mount === next.config.mount) continue;
      changed.push(next);
      const mount = siteMount(this.#base.pathname, next.config.mount);
      if (app?.runner && app.mount === mount) {
        const files = await this.#fetchBundle(next).catch((error: Error) => error);
        if (files instanceof Error) {
          this.#setState(app, "failed", files.message);
          continue;
        }
        await app.runner.reload({ config: { ...next.config, mount }, files, version: next.version });
        app.manifest = next;
        app.started = undefined;
        this.#setState(app, "idle");
      } else {
        if (app) await this.#remove(app);
        await this.#add(next, runtime);
      }
    }
    const names = new Set(manifest.apps.map((app) => app.name));
    for (const app of [...this.#apps.values()]) if (!names.has(app.manifest.name)) await this.#remove(app);
    if (changed.length) {
      this.#events.emit({
        kind: "reload",
        apps: changed.map((app) => ({ name: app.name, mount: siteMount(this.#base.pathname, app.config.mount), version: app.version })),
      });
      for (const app of changed) this.#events.emit({ kind: "notice", app: app.name, level: "info", message: `${app.name}: reloaded (version ${app.version})` });
    }
    return changed.map((app) => app.name);
  }

  async #remove(app: RegisteredApp): Promise<void> {
    this.#apps.delete(app.manifest.name);
    this.#host?.unmount(app.mount);
    await app.runner?.close();
  }

  async #fetchManifest(): Promise<SiteManifest> {
    const url = new URL(MANIFEST_PATH, this.#base);
    const response = await this.#site.fetch(url, { cache: "no-cache" });
    if (!response.ok) throw new Error(`swasgi: the app manifest ${url.pathname} answered ${response.status}`);
    const manifest = (await response.json()) as SiteManifest;
    if (!Array.isArray(manifest?.apps)) throw new Error(`swasgi: ${url.pathname} is not a swasgi manifest (no "apps" list)`);
    this.#checkedAt = performance.now();
    return manifest;
  }

  async #fetchBundle(app: ManifestApp): Promise<Map<string, Uint8Array>> {
    const url = new URL(app.bundle, new URL(MANIFEST_PATH, this.#base));
    const response = await this.#site.fetch(url);
    if (!response.ok) throw new Error(`${app.name}: its bundle ${url.pathname} answered ${response.status}`);
    try {
      return await unpackAppBundle(new Uint8Array(await response.arrayBuffer()));
    } catch (error) {
      throw new Error(`${app.name}: its bundle ${url.pathname} is not a valid zip (${String(error)})`);
    }
  }

  #setState(app: RegisteredApp, state: AppState, error?: string): void {
    app.state = state;
    app.error = error;
    if (error) this.#events.emit({ kind: "notice", app: app.manifest.name, level: "error", message: error });
    this.#events.emit({ kind: "progress", status: this.status() });
  }

  #log(entry: LogEntry): void {
    if (entry.kind === "output") this.#events.emit({ kind: "output", app: entry.app, stream: entry.stream, text: entry.text });
    else this.#events.emit({ kind: "notice", app: entry.app, level: entry.level, message: entry.message, detail: entry.detail });
  }

  #failure(app: string, failure: Failure, request: HostRequest): void {
    // Load errors were reported when the app booted; everything else is news.
    if (failure.code === "load-error") return;
    this.#events.emit({
      kind: "notice",
      app,
      level: "error",
      message: `${request.method} ${request.url.pathname}: ${failure.message}${failure.file ? ` (${failure.file}${failure.line ? `, line ${failure.line}` : ""})` : ""}`,
      detail: failure.traceback,
    });
  }
}

/** "/app" counts for "/app/", as in AppHost.route. */
function covers(mount: string, pathname: string): boolean {
  return pathname.startsWith(mount) || pathname === mount.replace(/\/$/, "");
}

function info(app: RegisteredApp): AppInfo {
  const { config, name, version } = app.manifest;
  return { name, mount: app.mount, version, state: app.state, timeoutMs: config.timeoutMs, memoryMb: config.memoryMb, error: app.error };
}
