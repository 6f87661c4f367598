import { BUILD_GLOBAL, MANIFEST_PATH, type PrecacheFile, type SiteBuild, type SiteManifest } from "../manifest.ts";

/** The header a cached file keeps its hash in, so a later build can reuse it without a download. */
const SHA_HEADER = "x-swasgi-sha256";
/** Where derived entries live in a build's cache: a path no site file can have. */
const DERIVED_DIR = "__swasgi/derived/";

/**
 * A built site's files in Cache Storage, so that it works offline after the first visit: the
 * host page and its assets, the runtime, the manifest and the app bundles. One cache per build,
 * named by base and build id: the worker that is installing fills its own cache while the
 * active one keeps serving from the previous cache, and activation deletes the old ones, so a
 * page never mixes two builds. Under `swasgi dev` there is no build: everything is fetched.
 */
export class SiteCache {
  readonly #base: URL;
  readonly #build: SiteBuild | undefined;
  readonly #files = new Map<string, PrecacheFile>();
  #installing: Promise<void> | undefined;
  #opened: Promise<Cache> | undefined;

  constructor(base: URL, build: SiteBuild | undefined) {
    this.#base = base;
    this.#build = build;
    for (const file of build?.files ?? []) this.#files.set(file.path, file);
  }

  /** What a built `sw.js` says about its build; undefined under `swasgi dev` or when malformed. */
  static buildOf(scope: object): SiteBuild | undefined {
    const build = (scope as Record<string, unknown>)[BUILD_GLOBAL] as SiteBuild | undefined;
    if (!build || typeof build.id !== "string" || !Array.isArray(build.files)) return undefined;
    return build;
  }

  get build(): SiteBuild | undefined {
    return this.#build;
  }

  /** The precached file a GET of this path (below the base) is: the base itself is index.html. */
  fileFor(pathBelowBase: string): PrecacheFile | undefined {
    return this.#files.get(pathBelowBase === "" ? "index.html" : pathBelowBase);
  }

  /**
   * Downloads and checks every file of the build (the `install` event). Each URL carries the
   * file's hash as a query and is revalidated (`no-cache`), so neither the HTTP cache nor a CDN
   * can hand over a stale copy; the bytes are checked against the hash anyway. A file that does
   * not match (a deploy still spreading over a CDN) fails the install: the browser keeps the
   * current version and tries again on a later visit. Files already cached with the same hash
   * (by an earlier build, or by this one) are copied, not downloaded.
   */
  install(): Promise<void> {
    this.#installing ??= this.#install().catch(async (error: unknown) => {
      this.#opened = undefined;
      await caches.delete(this.#name).catch(() => false);
      throw error;
    });
    return this.#installing;
  }

  /**
   * Deletes the caches of other builds of this base (the `activate` event) and returns the
   * manifest of the build it replaces, if there was one: the caller reports what changed.
   */
  async activate(): Promise<SiteManifest | undefined> {
    const prefix = this.#prefix;
    let previous: SiteManifest | undefined;
    for (const name of await caches.keys()) {
      if (!name.startsWith(prefix) || name === this.#name) continue;
      const old = await (await caches.open(name)).match(this.#url(MANIFEST_PATH));
      previous = ((await old?.json().catch(() => undefined)) as SiteManifest | undefined) ?? previous;
      await caches.delete(name);
    }
    return previous;
  }

  /**
   * The worker's own loads (manifest, bundles, runtime): a built site's files come from the
   * cache, anything else from the network as asked.
   */
  async fetch(url: URL, init?: RequestInit): Promise<Response> {
    const file = url.origin === this.#base.origin && url.pathname.startsWith(this.#base.pathname) ? this.fileFor(url.pathname.slice(this.#base.pathname.length)) : undefined;
    return file ? this.respond(file) : fetch(url, init);
  }

  /**
   * A cached file as a Response. Should the browser have evicted the cache, the file is fetched
   * (and checked) again; offline as well, that is a 503 saying so.
   */
  async respond(file: PrecacheFile): Promise<Response> {
    // A worker that started loading before its install finished waits for the cache to be full.
    await this.#installing?.catch(() => undefined);
    const cache = await this.#open();
    const hit = await cache.match(this.#url(file.path));
    if (hit) return hit;
    try {
      const response = await this.#download(file);
      await cache.put(this.#url(file.path), response.clone()).catch(() => undefined);
      return response;
    } catch (error) {
      return new Response(`swasgi: ${file.path} is not in the offline cache and could not be downloaded (${String((error as Error)?.message ?? error)}).\n`, {
        status: 503,
        headers: { "content-type": "text/plain; charset=utf-8", "x-swasgi-error": "unavailable" },
      });
    }
  }

  /**
   * Something the worker derived from this build (its boot image), kept in the build's own
   * cache so it goes when the build goes. Undefined under `swasgi dev` (no build to key it by)
   * or when it was never written.
   */
  async readDerived(name: string): Promise<Uint8Array | undefined> {
    if (!this.#build) return undefined;
    const hit = await (await this.#open()).match(this.#url(`${DERIVED_DIR}${name}`));
    return hit ? new Uint8Array(await hit.arrayBuffer()) : undefined;
  }

  async writeDerived(name: string, bytes: Uint8Array): Promise<void> {
    if (!this.#build) return;
    const body = new Blob([bytes as Uint8Array<ArrayBuffer>]);
    await (await this.#open()).put(this.#url(`${DERIVED_DIR}${name}`), new Response(body));
  }

  /** This build's cache, opened once: each open is a round trip to the browser process. */
  #open(): Promise<Cache> {
    this.#opened ??= caches.open(this.#name);
    return this.#opened;
  }

  get #prefix(): string {
    return `swasgi ${this.#base.pathname} `;
  }

  get #name(): string {
    return `${this.#prefix}${this.#build?.id ?? "dev"}`;
  }

  #url(path: string): string {
    return new URL(path, this.#base).href;
  }

  async #install(): Promise<void> {
    if (!this.#build) return;
    const cache = await caches.open(this.#name);
    // This build's own cache first: the worker's early manifest load may have filled it.
    const earlier = [this.#name, ...(await caches.keys()).filter((name) => name.startsWith(this.#prefix) && name !== this.#name)];
    await Promise.all(
      this.#build.files.map(async (file) => {
        const response = (await reuse(earlier, this.#url(file.path), file.sha256)) ?? (await this.#download(file));
        await cache.put(this.#url(file.path), response);
      }),
    );
  }

  /** The file from the network, checked against the build, ready to cache. */
  async #download(file: PrecacheFile): Promise<Response> {
    const url = new URL(file.path, this.#base);
    url.searchParams.set("v", file.sha256.slice(0, 12));
    const response = await fetch(url, { cache: "no-cache", credentials: "same-origin" });
    if (!response.ok) throw new Error(`swasgi: build ${this.#build?.id}: ${url.pathname} answered ${response.status}`);
    const bytes = await response.arrayBuffer();
    const sha256 = await hexSha256(bytes);
    if (sha256 !== file.sha256) {
      throw new Error(`swasgi: build ${this.#build?.id}: ${url.pathname} is not the file this build was made with (another version is being served; a deploy may still be in progress)`);
    }
    // A fresh Response: no `redirected` flag (a navigation refuses those), a true length.
    const headers = new Headers({ "content-type": response.headers.get("content-type") ?? "application/octet-stream", "content-length": String(bytes.byteLength) });
    headers.set(SHA_HEADER, sha256);
    return new Response(bytes, { status: 200, headers });
  }
}

/** The same file from an earlier build's cache, if it is there with the same hash. */
async function reuse(cacheNames: string[], url: string, sha256: string): Promise<Response | undefined> {
  for (const name of cacheNames) {
    const hit = await (await caches.open(name)).match(url);
    if (hit?.headers.get(SHA_HEADER) === sha256) return hit;
  }
  return undefined;
}

async function hexSha256(bytes: ArrayBuffer): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}
