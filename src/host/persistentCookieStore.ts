import { type Callback, Cookie, type ErrorCallback, MemoryCookieStore } from "tough-cookie";

/** Where one app's cookies are kept between Service Worker lifetimes (IndexedDB in the browser). */
export interface CookiePersistence {
  /** Every stored cookie, as `Cookie.toJSON()` gave it. */
  loadAll(): Promise<unknown[]>;
  put(key: string, cookie: unknown): Promise<void>;
  delete(keys: string[]): Promise<void>;
  clear(): Promise<void>;
}

/** One key per (domain, path, name): the identity RFC 6265 §5.3 step 11 replaces on. */
export function cookieKey(domain: string, path: string, name: string): string {
  return `${domain}\t${path}\t${name}`;
}

/**
 * tough-cookie's memory store, written through to a `CookiePersistence`. Reads stay in memory
 * (a jar is small and read on every request); every change is persisted before tough-cookie's
 * callback runs, so a `set-cookie` is on disk before the response reaches the page, and a
 * Service Worker stopped right after still has it.
 *
 * Each overload returns a promise and also calls the callback when given one (tough-cookie's
 * jar uses callbacks); with a callback the promise never rejects.
 */
export class PersistentCookieStore extends MemoryCookieStore {
  readonly #persistence: CookiePersistence;

  private constructor(persistence: CookiePersistence) {
    super();
    this.#persistence = persistence;
    // The jar must not use its *Sync API on a store whose writes are asynchronous.
    this.synchronous = false;
  }

  /** Loads the persisted cookies (expired ones are dropped by the jar when next read). */
  static async open(persistence: CookiePersistence): Promise<PersistentCookieStore> {
    const store = new PersistentCookieStore(persistence);
    for (const json of await persistence.loadAll()) {
      const cookie = Cookie.fromJSON(json);
      if (cookie) await store.#putInMemory(cookie);
    }
    return store;
  }

  #putInMemory(cookie: Cookie): Promise<void> {
    return super.putCookie(cookie);
  }

  override putCookie(cookie: Cookie, callback?: ErrorCallback): Promise<void> {
    return settle(
      super.putCookie(cookie).then(() => {
        if (cookie.domain == null || cookie.path == null || cookie.key == null) return;
        return this.#persistence.put(cookieKey(cookie.domain, cookie.path, cookie.key), cookie.toJSON());
      }),
      callback,
    );
  }

  override removeCookie(domain: string, path: string, key: string, callback?: ErrorCallback): Promise<void> {
    return settle(
      super.removeCookie(domain, path, key).then(() => this.#persistence.delete([cookieKey(domain, path, key)])),
      callback,
    );
  }

  override removeCookies(domain: string, path: string, callback?: ErrorCallback): Promise<void> {
    const keys: string[] = [];
    const domainEntry = this.idx[domain] ?? {};
    for (const cookiePath of path ? [path] : Object.keys(domainEntry)) {
      for (const name of Object.keys(domainEntry[cookiePath] ?? {})) keys.push(cookieKey(domain, cookiePath, name));
    }
    return settle(super.removeCookies(domain, path).then(() => this.#persistence.delete(keys)), callback);
  }

  /** No cookie at all: most apps set none, and then a request need not ask the jar. */
  get empty(): boolean {
    for (const domain in this.idx) {
      for (const path in this.idx[domain]) {
        for (const _name in this.idx[domain]?.[path]) return false;
      }
    }
    return true;
  }

  override removeAllCookies(callback?: ErrorCallback): Promise<void> {
    return settle(super.removeAllCookies().then(() => this.#persistence.clear()), callback);
  }
}

function settle(promise: Promise<void>, callback: ErrorCallback | Callback<void> | undefined): Promise<void> {
  if (!callback) return promise;
  return promise.then(
    () => (callback as ErrorCallback)(null),
    (error: Error) => (callback as ErrorCallback)(error),
  );
}
