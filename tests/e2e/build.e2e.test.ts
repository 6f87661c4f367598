// `swasgi build` in real Chromium: a site built with --base /sub/ and served by a plain static
// file server (staticServer.ts, as GitHub Pages serves a project site). One visitor goes
// through the life of a deployed site in order: a deep link on the first visit, an offline
// reload, /data across worker stops, a killed request, two tabs writing at once, a new build.
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type BuildResult, buildSite } from "../../src/cli/buildSite.ts";
import { fixture, freshContext, launchBrowser, pageFetch, stopWorkers, type Visit } from "./harness.ts";
import { type StaticServer, staticServer } from "./staticServer.ts";

let dir: string;
let app: string;
let out: string;
let built: BuildResult;
let server: StaticServer;
let browser: Browser;
let visit: Visit;
let site: string;
/** Measured here and printed at the end (the final report quotes them). */
const figures: Record<string, number> = {};

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "swasgi-build-e2e-"));
  app = path.join(dir, "ledger");
  out = path.join(dir, "site");
  await cp(fixture("ledger"), app, { recursive: true });
  built = await buildSite({ apps: [{ dir: app }], out, base: "/sub/" });
  [server, browser] = await Promise.all([staticServer(out, "/sub/"), launchBrowser()]);
  site = `${server.url}sub/`;
  visit = await freshContext(browser);
});
afterAll(async () => {
  if (Object.keys(figures).length) console.log(`build.e2e figures (ms): ${JSON.stringify(figures)}`);
  await visit?.context.close();
  await browser?.close();
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

/** Adds the console of the page and the worker to a failure. */
async function step(fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (error) {
    (error as Error).message += `\n--- console ---\n${visit.console.join("\n")}`;
    throw error;
  }
}

const text = (page: Page, selector: string) => page.textContent(selector);
const items = async (page: Page) => JSON.parse((await pageFetch(page, "/sub/app/items")).text) as string[];

describe("a site built with --base /sub/ on a plain static host", () => {
  test("a deep link on the first visit lands on the app's page (404.html bootstraps the worker)", () =>
    step(async () => {
      const { page } = visit;
      const t0 = performance.now();
      const first = await page.goto(`${site}app/some/page?x=1`);
      // The static host has no such file: its 404.html registers the worker and reloads.
      expect(first?.status()).toBe(404);
      await page.waitForFunction(() => document.body?.dataset.script === "ran", undefined, { timeout: 30_000 });
      figures.firstVisitDeepLink = Math.round(performance.now() - t0);
      expect(page.url()).toBe(`${site}app/some/page?x=1`);
      expect(await text(page, "#where")).toBe("/some/page");
      expect(await text(page, "#root")).toBe("/sub/app");
      expect(await text(page, "#version")).toBe("one");
      // The host page lives at the base, knows the build, and links the app below the base.
      await page.goto(site);
      await page.waitForFunction(() => document.getElementById("boot")?.classList.contains("done"), undefined, { timeout: 30_000 });
      expect(await text(page, "#build")).toBe(`build ${built.id.slice(0, 12)}`);
      expect(await page.isVisible("#mode")).toBe(false);
      expect(await page.$$eval("#apps a", (as) => as.map((a) => a.getAttribute("href")))).toEqual(["/sub/app/"]);
      // An unknown address outside every app says so at once, without a reload loop.
      const stray = await page.goto(`${site}nothing/here`);
      expect(stray?.status()).toBe(404);
      expect(await text(page, "#status")).toContain("Not found: /sub/nothing/here");
    }));

  test("reloads work offline, also after the browser stopped the worker", () =>
    step(async () => {
      const { page, context } = visit;
      await page.goto(`${site}app/offline`);
      expect(await text(page, "#where")).toBe("/offline");
      const asked = server.requests.length;
      await context.setOffline(true);
      server.setDown(true);
      try {
        await stopWorkers(visit);
        const t0 = performance.now();
        const response = await page.reload();
        await page.waitForFunction(() => document.body?.dataset.script === "ran");
        figures.offlineReloadAfterWorkerStop = Math.round(performance.now() - t0);
        expect(response?.fromServiceWorker()).toBe(true);
        expect(await text(page, "#where")).toBe("/offline");
        const t1 = performance.now();
        await page.reload();
        await page.waitForFunction(() => document.body?.dataset.script === "ran");
        figures.offlineReloadWarm = Math.round(performance.now() - t1);
        // The host page, its assets and the runtime come from the cache too.
        await page.goto(site);
        await page.waitForFunction(() => document.getElementById("boot")?.classList.contains("done"), undefined, { timeout: 30_000 });
        // The restarted worker restored the boot image the first one kept in the build's cache,
        // and took the app's image (its modules compiled, then imported) there in turn.
        await page.waitForFunction(() => document.body.innerText.includes("(from the boot image)"), undefined, { timeout: 10_000 });
        // The next worker start restores both, the app already imported: its import reads no
        // clock, randomness or /data (src/runner/importEffects.ts).
        await stopWorkers(visit);
        await page.goto(`${site}app/offline`);
        expect(await text(page, "#where")).toBe("/offline");
        await page.goto(site);
        await page.waitForFunction(() => document.body.innerText.includes("(from the app image, imported)"), undefined, { timeout: 10_000 });
        // Nothing reached the server but, perhaps, the browser's own update check of sw.js.
        expect(server.requests.slice(asked).filter((r) => !r.startsWith("/sub/sw.js"))).toEqual([]);
      } finally {
        server.setDown(false);
        await context.setOffline(false);
      }
    }));

  test("/data is kept across worker stops", () =>
    step(async () => {
      const { page } = visit;
      await page.goto(`${site}app/`);
      expect(await pageFetch(page, "/sub/app/items", { method: "POST", body: "first" })).toMatchObject({ status: 200, text: '{"count": 1}' });
      expect((await pageFetch(page, "/sub/app/items", { method: "POST", body: "second" })).text).toBe('{"count": 2}');
      await stopWorkers(visit);
      expect(await items(page)).toEqual(["first", "second"]);
      await page.reload();
      expect(await text(page, "#count")).toBe("2");
    }));

  test("a killed request (runaway loop, 504) leaves /data at its last good state; the page is plain, the console has the details", () =>
    step(async () => {
      const { page } = visit;
      const killed = await pageFetch(page, "/sub/app/runaway");
      expect(killed.status).toBe(504);
      expect(killed.headers["x-swasgi-error"]).toBe("timeout");
      expect(killed.text).toContain("Details are in the browser console.");
      expect(killed.text).not.toContain("Traceback");
      // The file it tore was never committed: the next interpreter loads the last good state.
      expect(await items(page)).toEqual(["first", "second"]);
      await stopWorkers(visit);
      expect(await items(page)).toEqual(["first", "second"]);
      expect(visit.console.some((line) => line.startsWith("[sw error]") && line.includes("GET /sub/app/runaway"))).toBe(true);
    }));

  test("two tabs writing the same app's /data at once: every write lands, the file stays valid JSON", () =>
    step(async () => {
      // One Service Worker serves both tabs and one interpreter runs the app: requests
      // interleave only where the app awaits, and /data commits are serialised in the order
      // requests finish, each one IndexedDB transaction. The app reads and writes without an
      // await between, so no update is lost.
      const { page, context } = visit;
      const other = await context.newPage();
      await other.goto(`${site}app/`);
      const burst = (tab: Page, who: string) =>
        tab.evaluate(
          (who) => Promise.all(Array.from({ length: 25 }, (_, i) => fetch("/sub/app/items", { method: "POST", body: `${who}${i}` }).then((r) => r.status))),
          who,
        );
      const statuses = await Promise.all([burst(page, "A"), burst(other, "B")]);
      expect(statuses.flat().every((status) => status === 200)).toBe(true);
      await stopWorkers(visit);
      const stored = await items(other);
      expect(stored.slice(0, 2)).toEqual(["first", "second"]);
      const written = Array.from({ length: 25 }, (_, i) => [`A${i}`, `B${i}`]).flat();
      expect([...stored.slice(2)].sort()).toEqual(written.sort());
      await other.close();
    }));

  test("a deploy whose files do not match its sw.js (half spread over a CDN) is refused; the running build keeps serving", () =>
    step(async () => {
      const { page } = visit;
      await page.goto(`${site}app/`);
      // Only the new sw.js has arrived; every other file is still the running build's.
      const running = await readFile(path.join(out, "sw.js"));
      const source = await readFile(path.join(app, "app.py"), "utf8");
      await writeFile(path.join(app, "app.py"), source.replace('VERSION = "one"', 'VERSION = "half"'));
      const half = await buildSite({ apps: [{ dir: app }], out: path.join(dir, "half"), base: "/sub/" });
      await writeFile(path.join(app, "app.py"), source);
      await writeFile(path.join(out, "sw.js"), await readFile(path.join(dir, "half/sw.js")));
      try {
        await page.reload();
        await expect
          .poll(() => visit.console.some((line) => line.includes(`build ${half.id}`) && line.includes("is not the file this build was made with")), { timeout: 20_000 })
          .toBe(true);
        await page.reload();
        expect(await text(page, "#version")).toBe("one");
        expect(await text(page, "#count")).toBe("52");
      } finally {
        await writeFile(path.join(out, "sw.js"), running);
      }
    }));

  test("a new build deployed into the same folder is picked up; /data and cookies are kept; the host page says so", () =>
    step(async () => {
      const { page, context } = visit;
      await page.goto(`${site}app/`);
      const visitor = await text(page, "#visitor");
      const count = await text(page, "#count");
      expect(count).toBe("52");
      const host = await context.newPage();
      await host.goto(site);
      await host.waitForFunction(() => document.getElementById("boot")?.classList.contains("done"), undefined, { timeout: 30_000 });

      const source = await readFile(path.join(app, "app.py"), "utf8");
      await writeFile(path.join(app, "app.py"), source.replace('VERSION = "one"', 'VERSION = "two"'));
      const next = await buildSite({ apps: [{ dir: app }], out, base: "/sub/" });
      expect(next.id).not.toBe(built.id);

      // A visit after the deploy: the browser checks sw.js after a navigation (Chromium once
      // the worker has been idle about a second), the new worker caches the new build and takes
      // over at once, and the host page hears of it. The next navigation runs the new version.
      const t0 = performance.now();
      await page.reload();
      await host.waitForFunction((id) => document.getElementById("updated")?.textContent === `Updated to build ${id} (ledger changed)`, next.id.slice(0, 12), { timeout: 20_000 });
      figures.updateActiveAfterVisit = Math.round(performance.now() - t0);
      await page.reload();
      expect(await text(page, "#version")).toBe("two");
      expect(await text(page, "#count")).toBe("52");
      expect(await text(page, "#visitor")).toBe(visitor);

      expect(await text(host, "#build")).toBe(`build ${next.id.slice(0, 12)}`);
      expect(await host.textContent("#output")).toContain(`swasgi: updated to build ${next.id} (ledger changed)`);
      // Only the new build's cache is left.
      expect(await host.evaluate(() => caches.keys())).toEqual([`swasgi /sub/ ${next.id}`]);
      await host.close();
    }));
});
