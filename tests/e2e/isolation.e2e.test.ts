// Several apps in one Service Worker: each keeps its files, /data, cookies and limits to itself,
// and nothing inside the sandbox reaches the worker's JavaScript.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { DevServer } from "../../src/cli/devServer.ts";
import { devServer, fixture, launchBrowser, openHost, pageFetch, type Visit, withVisit } from "./harness.ts";

let server: DevServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([
    devServer([
      { dir: fixture("web"), mount: "/app/" },
      { dir: fixture("peer"), mount: "/peer/" },
      { dir: fixture("spin"), mount: "/spin/" },
      { dir: fixture("attack"), mount: "/attack/" },
    ]),
    launchBrowser(),
  ]);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const visit = (fn: (visit: Visit) => Promise<void>) => withVisit(browser, fn, (v) => openHost(v.page, server));

describe("isolation", () => {
  test("two apps mounted together cannot read each other's files, /data or cookies", () =>
    visit(async ({ page }) => {
      expect((await pageFetch(page, "/app/data/write", { method: "POST", body: "web secret note" })).text).toBe("written");
      expect((await pageFetch(page, "/app/data/read")).text).toBe("web secret note");
      await pageFetch(page, "/app/cookie/set");
      const peer = (await pageFetch(page, "/peer/")).text.split("\n");
      expect(peer).toEqual([
        "own source is peer: True",
        "sees web source: False",
        "root: ['app', 'data', 'dev', 'home', 'lib', 'proc', 'tmp']",
        "app dir: ['app.py']",
        "data dir: []",
        "web note: refused: FileNotFoundError",
        "web source: refused: FileNotFoundError",
        "cookie: (none)",
      ]);
      // And the other way round: peer's cookie stays in peer's jar.
      expect((await pageFetch(page, "/app/cookie/show")).text).toBe("sid=s3cret; visible=1");
      expect((await pageFetch(page, "/peer/")).text).toContain("cookie: peer=1");
    }));

  for (const kind of ["loop", "swallow"] as const) {
    test(`a runaway ${kind === "loop" ? "loop" : "loop that swallows KeyboardInterrupt"} gives 504 while the other app keeps answering`, () =>
      visit(async ({ page }) => {
        expect((await pageFetch(page, "/spin/")).text).toBe("spin ok");
        const result = await page.evaluate(async (kind) => {
          const t0 = performance.now();
          const timed = (path: string) => fetch(path).then(async (r) => ({ status: r.status, text: await r.text(), at: Math.round(performance.now() - t0) }));
          const runaway = timed(`/spin/${kind}`);
          await new Promise((resolve) => setTimeout(resolve, 50));
          const othersDone = Promise.all([timed("/app/cookie/show"), timed("/peer/"), timed("/app/slow")]);
          const first = await runaway;
          const again = await timed("/spin/");
          return { first, others: await othersDone, again };
        }, kind);
        console.log(`runaway ${kind}: 504 after ${result.first.at} ms; the other app's requests answered at ${result.others.map((o) => `${o.at} ms`).join(", ")}; the runaway app answered again at ${result.again.at} ms`);
        expect(result.first.status).toBe(504);
        expect(result.first.text).toContain("spin");
        expect(result.first.text).toContain("500 ms");
        // The limit is 500 ms plus a grace period; the host stops it, it does not wait for it.
        expect(result.first.at).toBeLessThan(3000);
        for (const other of result.others) expect(other.status).toBe(200);
        expect(result.again).toMatchObject({ status: 200, text: "spin ok" });
        // A fresh interpreter is booted when the old one was stopped hard: still well under a second.
        expect(result.again.at - result.first.at).toBeLessThan(1000);
      }));
  }

  test("escapes from the runner's attack suite also fail inside the Service Worker", () =>
    visit(async ({ context, page }) => {
      const lines = (await pageFetch(page, "/attack/probe")).text.split("\n");
      const blocked = lines.filter((line) => line.includes(": blocked: "));
      const returned = lines.filter((line) => !line.includes(": blocked: "));
      // Every reach for a JS object or a file outside the app fails with a Python error.
      for (const name of ["js.Object", "js.fetch", "js.globalThis", "js.self", "js.indexedDB", "js.caches", "js.Object.constructor", "setTimeout.constructor", "setTimeout.call", "setTimeout.__proto__", "create_proxy.constructor", "to_js.constructor", "_swasgi_host.register.constructor", "open /etc/passwd", "open other app"]) {
        expect(blocked.some((line) => line.startsWith(`${name}: blocked`)), `${name}\n${lines.join("\n")}`).toBe(true);
      }
      // What may return (a write onto the sandbox's own `js` namespace, a host call naming a
      // request that does not exist) must not have touched anything outside.
      expect(returned.map((line) => line.split(":")[0]).sort()).toEqual(["_swasgi_host.start forged id", "js.__pwned ="]);
      const [worker] = context.serviceWorkers();
      expect(worker).toBeDefined();
      expect(await worker.evaluate(() => (self as unknown as Record<string, unknown>).__pwned)).toBeUndefined();
      expect(await page.evaluate(() => (window as unknown as Record<string, unknown>).__pwned)).toBeUndefined();
      // The second layer: sw.js is served with a CSP without 'unsafe-eval', so even a leaked
      // Function constructor could not compile code in the worker. (Deferred to a timer: code
      // run by CDP's evaluate itself is exempt from CSP, `allowUnsafeEvalBlockedByCSP`.)
      const compiled = await worker.evaluate(
        () =>
          new Promise<string>((resolve) =>
            setTimeout(() => {
              try {
                resolve(String(new Function("return 'compiled'")()));
              } catch (error) {
                resolve((error as Error).name);
              }
            }),
          ),
      );
      expect(compiled).toBe("EvalError");
      // And the apps still answer.
      expect((await pageFetch(page, "/attack/")).text).toBe("attack fixture ok");
      expect((await pageFetch(page, "/app/slow")).text).toBe("slow done");
    }));

  test("a crash inside an app's interpreter and forged host calls: every request answered, the apps serve on", () =>
    visit(async ({ page }) => {
      const crashed = await pageFetch(page, "/attack/crash");
      expect(crashed.status).toBe(500);
      expect(crashed.headers["x-swasgi-error"]).toBe("crashed");
      expect((await pageFetch(page, "/attack/")).text).toBe("attack fixture ok");
      const forged = await pageFetch(page, "/attack/forge");
      expect(forged.status).toBe(500);
      expect(forged.headers.injected).toBeUndefined();
      expect((await pageFetch(page, "/attack/")).text).toBe("attack fixture ok");
      expect((await pageFetch(page, "/peer/")).status).toBe(200);
    }));
});
