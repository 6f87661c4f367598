import { Cookie, CookieJar } from "tough-cookie";
import type { AppHooks } from "./appHost.ts";
import { type CookiePersistence, PersistentCookieStore } from "./persistentCookieStore.ts";
import type { RequestContext } from "./protocol.ts";

/**
 * One app's cookies. A browser neither applies `Set-Cookie` from a Response made in a Service
 * Worker nor shows the Service Worker the `Cookie` header it would send, so the host keeps the
 * jar (tough-cookie: RFC 6265 Path, Expires, Max-Age, deletion) and adds the `cookie` header
 * itself. Page scripts never see these cookies: `document.cookie` reads the browser's jar, and
 * `set-cookie` is consumed here, never passed on. So HttpOnly holds, and more: no app cookie at
 * all is readable from script.
 *
 * Paths are the app's own view, as for `Location` (src/host/appHost.ts rebaseLocation): an app
 * at /app/ that sets `Path=/notes` means its /notes, which the browser sees as /app/notes. A
 * Path already under the mount is taken as it is.
 *
 * @example
 *   const jar = await AppCookieJar.open("/app", persistence);
 *   host.mount({ mount: "/app/", runner, hooks: jar.hooks() });
 */
const SAME_SITE: RequestContext = { sameSite: "strict", credentials: "include" };

export class AppCookieJar {
  readonly #jar: CookieJar;
  readonly #store: PersistentCookieStore;
  readonly #rootPath: string;

  private constructor(store: PersistentCookieStore, rootPath: string) {
    // rejectPublicSuffixes off: hosts like 127.0.0.1 and *.localhost are fine for a local jar.
    this.#jar = new CookieJar(store, { rejectPublicSuffixes: false, looseMode: false });
    this.#store = store;
    this.#rootPath = rootPath;
  }

  /** `rootPath` is the mount without its trailing slash ("/app"), "" for an app at the root. */
  static async open(rootPath: string, persistence: CookiePersistence): Promise<AppCookieJar> {
    return new AppCookieJar(await PersistentCookieStore.open(persistence), rootPath);
  }

  hooks(): AppHooks {
    return {
      requestHeaders: async (url, request) => {
        const header = await this.cookieHeader(url, request.context);
        return header ? [["cookie", header]] : [];
      },
      responseHeaders: async (url, headers, request) => {
        if (!headers.some(([name]) => name === "set-cookie")) return headers;
        const values = headers.filter(([name]) => name === "set-cookie").map(([, value]) => value);
        await this.store(url, values, request.context);
        return headers.filter(([name]) => name !== "set-cookie");
      },
    };
  }

  /**
   * The `cookie` header for a request to `url` (as the browser sees it), or "" for none. Without
   * a context the request counts as same-site with credentials (the CLI, tests).
   */
  async cookieHeader(url: URL, context: RequestContext = SAME_SITE): Promise<string> {
    if (context.credentials === "omit" || this.#store.empty) return "";
    return this.#jar.getCookieString(this.#appUrl(url), { http: true, sameSiteContext: context.sameSite });
  }

  /** Stores the `set-cookie` values of a response to `url`; malformed or refused ones are dropped. */
  async store(url: URL, setCookies: string[], context: RequestContext = SAME_SITE): Promise<void> {
    if (context.credentials === "omit") return;
    const appUrl = this.#appUrl(url);
    for (const value of setCookies) {
      const cookie = Cookie.parse(value);
      if (!cookie) continue;
      if (cookie.path && this.#rootPath) {
        if (cookie.path === this.#rootPath) cookie.path = "/";
        else if (cookie.path.startsWith(`${this.#rootPath}/`)) cookie.path = cookie.path.slice(this.#rootPath.length);
      }
      // As Chromium does since version 80: no SameSite means Lax, and None needs Secure.
      if (cookie.sameSite === "none" && !cookie.secure) continue;
      cookie.sameSite ??= "lax";
      await this.#jar.setCookie(cookie, appUrl, { http: true, ignoreError: true, sameSiteContext: context.sameSite });
    }
  }

  /** Every cookie of this jar (tests, a future devtools panel). */
  all(): Promise<Cookie[]> {
    return this.#jar.store.getAllCookies();
  }

  /** The URL as the app sees it: the path below the mount ("/app" itself is the app's "/"). */
  #appUrl(url: URL): string {
    const below = url.pathname.startsWith(`${this.#rootPath}/`) ? url.pathname.slice(this.#rootPath.length) : "/";
    return `${url.protocol}//${url.host}${below}${url.search}`;
  }
}
