import { afterEach, describe, expect, test, vi } from "vitest";
import { AppCookieJar } from "../../../src/host/cookieJar.ts";
import type { CookiePersistence } from "../../../src/host/persistentCookieStore.ts";
import type { HostRequest } from "../../../src/host/protocol.ts";

/** The IndexedDB persistence's seam: a Map, so restarts can be simulated by reopening. */
function memoryPersistence(): CookiePersistence & { records: Map<string, unknown> } {
  const records = new Map<string, unknown>();
  return {
    records,
    loadAll: async () => [...records.values()].map((v) => structuredClone(v)),
    put: async (key, cookie) => void records.set(key, structuredClone(cookie)),
    delete: async (keys) => keys.forEach((k) => records.delete(k)),
    clear: async () => records.clear(),
  };
}

const url = (path: string) => new URL(`http://127.0.0.1:5173${path}`);
const request = (path: string, context?: HostRequest["context"]): HostRequest => ({ url: url(path), method: "GET", headers: [], body: null, context });

async function respond(jar: AppCookieJar, path: string, ...cookies: string[]) {
  return jar.hooks().responseHeaders!(url(path), [["content-type", "text/html"], ...cookies.map((c): [string, string] => ["set-cookie", c])], request(path));
}
const sent = (jar: AppCookieJar, path: string, context?: HostRequest["context"]) => jar.cookieHeader(url(path), context);

afterEach(() => vi.useRealTimers());

describe("AppCookieJar", () => {
  test("stores set-cookie, strips it from the response, sends it back", async () => {
    const jar = await AppCookieJar.open("/app", memoryPersistence());
    const headers = await respond(jar, "/app/login", "sid=abc; HttpOnly; Path=/", "theme=dark");
    expect(headers).toEqual([["content-type", "text/html"]]);
    expect(await sent(jar, "/app/")).toBe("sid=abc; theme=dark");
    const extra = await jar.hooks().requestHeaders!(url("/app/x"), request("/app/x"));
    expect(extra).toEqual([["cookie", "sid=abc; theme=dark"]]);
  });

  test("an empty jar, and one emptied again by deletion, sends no cookie header; a response without set-cookie passes through", async () => {
    const jar = await AppCookieJar.open("/app", memoryPersistence());
    expect(await sent(jar, "/app/")).toBe("");
    const plain: [string, string][] = [["content-type", "text/plain"]];
    expect(await jar.hooks().responseHeaders!(url("/app/"), plain, request("/app/"))).toBe(plain);
    await respond(jar, "/app/", "a=1", "b=2; Path=/x");
    expect(await sent(jar, "/app/x")).toBe("b=2; a=1");
    await respond(jar, "/app/", "a=; Max-Age=0", "b=; Max-Age=0; Path=/x");
    expect(await sent(jar, "/app/x")).toBe("");
    await respond(jar, "/app/", "c=3");
    expect(await sent(jar, "/app/x")).toBe("c=3");
  });

  test("Path is the app's own view; a Path already under the mount is kept", async () => {
    const jar = await AppCookieJar.open("/app", memoryPersistence());
    await respond(jar, "/app/", "a=1; Path=/notes", "b=2; Path=/app/notes", "c=3; Path=/app");
    expect(await sent(jar, "/app/notes/1")).toBe("a=1; b=2; c=3");
    expect(await sent(jar, "/app/other")).toBe("c=3");
    expect(await sent(jar, "/app")).toBe("c=3");
  });

  test("default path follows the request path below the mount (RFC 6265 §5.1.4)", async () => {
    const jar = await AppCookieJar.open("/app", memoryPersistence());
    await respond(jar, "/app/docs/page", "d=1");
    expect(await sent(jar, "/app/docs/other")).toBe("d=1");
    expect(await sent(jar, "/app/")).toBe("");
  });

  test("Max-Age=0 and a past Expires delete; Max-Age and Expires expire", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2030-01-01T00:00:00Z"));
    const jar = await AppCookieJar.open("/app", memoryPersistence());
    await respond(jar, "/app/", "a=1; Path=/", "b=2; Path=/; Max-Age=60", "c=3; Path=/; Expires=Tue, 01 Jan 2030 00:10:00 GMT");
    expect(await sent(jar, "/app/")).toBe("a=1; b=2; c=3");
    await respond(jar, "/app/", "a=; Path=/; Max-Age=0");
    expect(await sent(jar, "/app/")).toBe("b=2; c=3");
    vi.setSystemTime(new Date("2030-01-01T00:02:00Z"));
    expect(await sent(jar, "/app/")).toBe("c=3");
    await respond(jar, "/app/", "c=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT");
    expect(await sent(jar, "/app/")).toBe("");
  });

  test("persists every change: a reopened jar (a new Service Worker) has the same cookies", async () => {
    const persistence = memoryPersistence();
    const first = await AppCookieJar.open("/app", persistence);
    await respond(first, "/app/", "keep=1; Path=/; HttpOnly", "gone=1; Path=/", "changed=old; Path=/");
    await respond(first, "/app/", "gone=; Path=/; Max-Age=0", "changed=new; Path=/");
    const second = await AppCookieJar.open("/app", persistence);
    expect(await sent(second, "/app/")).toBe("keep=1; changed=new");
    expect(persistence.records.size).toBe(2);
  });

  test("SameSite: Lax by default, Strict only same-site, None needs Secure", async () => {
    const jar = await AppCookieJar.open("/app", memoryPersistence());
    await respond(jar, "/app/", "lax=1; Path=/", "strict=1; Path=/; SameSite=Strict", "none=1; Path=/; SameSite=None; Secure", "bad=1; Path=/; SameSite=None");
    expect(await sent(jar, "/app/", { sameSite: "strict", credentials: "include" })).toBe("lax=1; strict=1; none=1");
    expect(await sent(jar, "/app/", { sameSite: "lax", credentials: "include" })).toBe("lax=1; none=1");
    expect(await sent(jar, "/app/", { sameSite: "none", credentials: "include" })).toBe("none=1");
    expect(await sent(jar, "/app/", { sameSite: "strict", credentials: "omit" })).toBe("");
  });

  test("credentials omit: set-cookie is stripped but not stored", async () => {
    const jar = await AppCookieJar.open("/app", memoryPersistence());
    const headers = await jar.hooks().responseHeaders!(url("/app/"), [["set-cookie", "x=1"]], request("/app/", { sameSite: "strict", credentials: "omit" }));
    expect(headers).toEqual([]);
    expect(await sent(jar, "/app/")).toBe("");
  });

  test("malformed cookies and foreign domains are dropped", async () => {
    const jar = await AppCookieJar.open("/app", memoryPersistence());
    await respond(jar, "/app/", "=novalue", "x=1; Domain=example.com; Path=/", "ok=1; Path=/");
    expect(await sent(jar, "/app/")).toBe("ok=1");
  });

  test("two apps' jars never share cookies", async () => {
    const a = await AppCookieJar.open("/a", memoryPersistence());
    const b = await AppCookieJar.open("/b", memoryPersistence());
    await respond(a, "/a/", "secret=1; Path=/");
    expect(await sent(b, "/b/")).toBe("");
    expect(await sent(a, "/a/")).toBe("secret=1");
  });
});

describe("tldtsLite", async () => {
  const { getDomain } = await import("../../../src/host/tldtsLite.ts");
  test("lists a superset of the registrable domain's parents; none for IPs", () => {
    expect(getDomain("a.b.example.co.uk")).toBe("co.uk");
    expect(getDomain("example.com")).toBe("example.com");
    expect(getDomain("127.0.0.1")).toBeNull();
    expect(getDomain("[::1]")).toBeNull();
    expect(getDomain("localhost")).toBeNull();
  });

  test("the jar works on localhost and on a subdomain host", async () => {
    const jar = await AppCookieJar.open("/app", memoryPersistence());
    for (const host of ["localhost:5173", "my.app.example.co.uk"]) {
      await jar.store(new URL(`http://${host}/app/`), ["a=1; Path=/"]);
      expect(await jar.cookieHeader(new URL(`http://${host}/app/x`))).toBe("a=1");
    }
    await jar.store(new URL("http://my.app.example.co.uk/app/"), ["d=1; Path=/; Domain=example.co.uk", "bad=1; Path=/; Domain=other.co.uk"]);
    expect(await jar.cookieHeader(new URL("http://my.app.example.co.uk/app/"))).toBe("a=1; d=1");
  });
});
