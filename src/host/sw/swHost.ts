import { expose } from "comlink";
import type { PageMessage, SwasgiApi } from "../../client/protocol.ts";
import { errorPage } from "../errorPage.ts";
import { changedApps, DEV_DIR, isSiteFile } from "../manifest.ts";
import type { HostResponse } from "../protocol.ts";
import { AppRegistry } from "./appRegistry.ts";
import { LIBRARY_FILE } from "../../python/library.ts";
import { BootImageStore } from "./bootImageStore.ts";
import { libraryLoader } from "./libraryLoader.ts";
import { toHostRequest, toResponse, withDevClient } from "./fetchEvent.ts";
import { SharedRuntime } from "./sharedRuntime.ts";
import { SiteCache } from "./siteCache.ts";
import { SQLITE_SCRIPT } from "./sqliteEngineFiles.ts";
import { preloadSqliteEngine, sqliteEngineLoader } from "./sqliteEngineLoader.ts";
import { swApi } from "./swApi.ts";
import { SwEvents } from "./swEvents.ts";
import { unavailablePage } from "./unavailablePage.ts";

/** In dev, a navigation re-checks the manifest when the last look is older than this. */
const DEV_RECHECK_MS = 1000;

/**
 * The Service Worker adapter: decides which fetches belong to a mounted app, turns them into
 * host requests and the host's answers into Responses, serves a built site's own files from
 * its offline cache, and serves the page API. `sw.ts` only wires events to it. Created once
 * per Service Worker start.
 */
export class SwHost {
  readonly #scope: ServiceWorkerGlobalScope;
  readonly #base: URL;
  readonly #events: SwEvents;
  readonly #runtime: SharedRuntime;
  readonly #site: SiteCache;
  readonly #registry: AppRegistry;
  readonly #api: SwasgiApi;

  constructor(scope: ServiceWorkerGlobalScope) {
    this.#scope = scope;
    this.#base = new URL("./", scope.location.href);
    this.#events = new SwEvents(this.#base.pathname, { console: true });
    this.#site = new SiteCache(this.#base, SiteCache.buildOf(scope));
    this.#runtime = new SharedRuntime(
      new URL("micropython.wasm", this.#base),
      () => this.#events.emit({ kind: "progress", status: this.#registry.status() }),
      {
        fetch: (url) => this.#site.fetch(new URL(url), { credentials: "same-origin" }),
        local: this.#site.build !== undefined,
        images: new BootImageStore(this.#site),
        library: libraryLoader(
          this.#base,
          () => !this.#site.build || this.#site.fileFor(LIBRARY_FILE) !== undefined,
          (url) => this.#site.fetch(url, { credentials: "same-origin" }),
        ),
      },
    );
    const sqlite = sqliteEngineLoader(scope, this.#base, (url) => this.#site.fetch(url, { credentials: "same-origin" }));
    this.#registry = new AppRegistry(this.#base, this.#events, this.#runtime, this.#site, sqlite);
    this.#api = swApi(this.#registry, this.#events);
    // Routing is synchronous once the manifest is in: fetch it as soon as the worker starts.
    this.#registry.manifest().catch(() => undefined);
  }

  /** The `install` event: a built site caches all its files first (offline from then on). */
  async install(): Promise<void> {
    // Only a built site whose apps import sqlite3 ships the engine; under `swasgi dev` apps
    // may start using it at any edit, so the dev worker always takes it.
    if (!this.#site.build || this.#site.fileFor(SQLITE_SCRIPT)) preloadSqliteEngine(this.#scope, this.#base);
    try {
      await this.#site.install();
    } catch (error) {
      // The browser only says "install failed"; the reason belongs in the console.
      console.error(`${String((error as Error)?.message ?? error)}\nswasgi: keeping the version that was running; the browser tries again on a later visit.`);
      throw error;
    }
  }

  /**
   * The `activate` event: drops the caches of older builds and, when this build replaced one,
   * tells the pages (the apps whose bundle changed boot from the new bundle in this worker;
   * `/data` and cookies are keyed by app name, so they carry over).
   */
  async activate(): Promise<void> {
    const previous = await this.#site.activate();
    const build = this.#site.build;
    if (!build || !previous || previous.build === build.id) return;
    const manifest = await this.#registry.manifest().catch(() => undefined);
    this.#events.emit({ kind: "updated", build: build.id, previous: previous.build ?? "", apps: manifest ? changedApps(previous, manifest) : [] });
  }

  onFetch(event: FetchEvent): void {
    const request = event.request;
    const url = new URL(request.url);
    if (url.origin !== this.#base.origin || !url.pathname.startsWith(this.#base.pathname)) return;
    const below = url.pathname.slice(this.#base.pathname.length);
    // A built site's own files, cache first: what makes the host page work offline.
    const cached = request.method === "GET" ? this.#site.fileFor(below) : undefined;
    if (cached) return event.respondWith(this.#site.respond(cached));
    if (isSiteFile(below)) return;
    const owned = this.#registry.owns(url.pathname);
    // Not an app's: no respondWith, the browser goes to the network as if we were not here.
    if (owned === false) return;
    const answer = this.#respond(request, url, owned === undefined);
    event.respondWith(answer.then((a) => a.response));
    // respondWith only keeps the worker alive until the head is out; the body is still being
    // made here. Firefox stops a worker idle for 30 s and cuts such a stream silently: the
    // body's completion extends the event, which Firefox honours for 30 s more
    // (dom.serviceWorkers.idle_extended_timeout); a message from the worker to itself does
    // not restart that clock (tried), so a stream there lasts a minute at most.
    event.waitUntil(answer.then((a) => a.done));
  }

  onMessage(event: ExtendableMessageEvent): void {
    const message = event.data as PageMessage | undefined;
    if (message?.type === "swasgi:connect" && event.ports[0]) expose(this.#api, event.ports[0]);
    else if (message?.type === "swasgi:claim") {
      // Also re-read the manifest: a deep link can reach the bootstrap because this worker's
      // manifest is stale (the dev server was restarted with other apps); and on a first
      // visit, loading everything now makes the reload that follows fast.
      const port = event.ports[0];
      event.waitUntil(
        Promise.allSettled([this.#scope.clients.claim(), this.#registry.sync()]).then(() => port?.postMessage("claimed")),
      );
    }
  }

  async #respond(request: Request, url: URL, undecided: boolean): Promise<{ response: Response; done: Promise<unknown> }> {
    let done: Promise<unknown> = Promise.resolve();
    const response = await this.#answer(request, url, undecided, (body) => (done = body));
    return { response, done };
  }

  async #answer(request: Request, url: URL, undecided: boolean, bodyDone: (done: Promise<unknown>) => void): Promise<Response> {
    const t0 = performance.now();
    const head = request.method === "HEAD";
    try {
      if (undecided) {
        // The worker just started and the manifest is still on its way: wait for it, and hand
        // the request back to the network if no app is mounted there after all.
        await this.#registry.manifest().catch(() => undefined);
        if (this.#registry.owns(url.pathname) === false) return fetch(request);
      }
      await this.#registry.ready();
      if (request.mode === "navigate") await this.#registry.refreshIfStale(DEV_RECHECK_MS);
      const app = this.#registry.find(url.pathname);
      if (!app) return fetch(request);
      if (!app.runner) return unavailablePage(app.error ?? `${app.manifest.name}: the app could not be loaded.`, head);
      await this.#registry.start(app);
      const dev = this.#registry.dev;
      let response: HostResponse | undefined = await this.#registry.host!.request(await toHostRequest(request, url, this.#base.origin));
      if (!response) return fetch(request);
      if (response.status < 200) {
        void response.body?.cancel().catch(() => {});
        response = errorPage(app.manifest.name, {
          code: "app-exception",
          message: `The app answered with status ${response.status}; a browser page can only receive 200 to 599.`,
        }, { dev, head });
      }
      if (dev) response = withDevClient(response, new URL(`${DEV_DIR}dev.js`, this.#base).pathname);
      const status = response.status;
      const headMs = performance.now() - t0;
      bodyDone(response.done);
      void response.done.then((outcome) =>
        this.#events.emit({
          kind: "request",
          app: app.manifest.name,
          method: request.method,
          path: url.pathname + url.search,
          status,
          headMs: Math.round(headMs),
          ms: Math.round(performance.now() - t0),
          bytes: outcome.bytes,
          error: outcome.error,
        }),
      );
      return toResponse(response, (name, error) =>
        this.#events.emit({ kind: "notice", app: app.manifest.name, level: "warn", message: `${app.manifest.name}: dropped the response header "${name}" (${String(error)})` }),
      );
    } catch (error) {
      const message = String((error as Error)?.message ?? error);
      this.#events.emit({ kind: "notice", app: "", level: "error", message: `${request.method} ${url.pathname}: ${message}` });
      return unavailablePage(message, head);
    }
  }
}
