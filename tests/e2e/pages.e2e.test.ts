// What a person meets in the browser: real pages from a Python app through the Service Worker.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { DevServer } from "../../src/cli/devServer.ts";
import { devServer, fixture, launchBrowser, openHost, pageFetch, stopWorkers, type Visit, withVisit } from "./harness.ts";

let server: DevServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([devServer([{ dir: fixture("web") }]), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const visit = (fn: (visit: Visit) => Promise<void>) => withVisit(browser, fn);

describe("pages", () => {
  test("an app page loads as a real page and its <script> runs", () =>
    visit(async ({ page }) => {
      await openHost(page, server);
      const response = await page.goto(`${server.url}app/page`);
      expect(response?.status()).toBe(200);
      expect(response?.fromServiceWorker()).toBe(true);
      expect(await page.textContent("#title")).toBe("Hello from /page");
      expect(await page.textContent("#script")).toBe("script ran at /app/page");
    }));

  test("a form POST reaches the app and its answer is shown", () =>
    visit(async ({ page }) => {
      await openHost(page, server);
      await page.goto(`${server.url}app/page`);
      await page.fill("input[name=who]", "ada lovelace & co");
      await Promise.all([page.waitForURL(`${server.url}app/form`), page.click("#send")]);
      expect(await page.textContent("#got")).toBe("who=ada+lovelace+%26+co");
      expect(await page.textContent("#type")).toBe("application/x-www-form-urlencoded");
    }));

  test("a redirect lands on the right URL (Location rebased on the mount)", () =>
    visit(async ({ page }) => {
      await openHost(page, server);
      await page.goto(`${server.url}app/redirect`);
      expect(page.url()).toBe(`${server.url}app/landed?from=redirect`);
      expect(await page.textContent("#landed")).toBe("landed /landed from=redirect");
    }));

  test("a streamed response's first chunk arrives before the app produced the last", () =>
    visit(async ({ page }) => {
      await openHost(page, server);
      const chunks = await page.evaluate(async () => {
        const t0 = performance.now();
        const reader = (await fetch("/app/stream")).body!.getReader();
        const seen: { at: number; text: string }[] = [];
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return seen;
          seen.push({ at: performance.now() - t0, text: new TextDecoder().decode(value) });
        }
      });
      const text = chunks.map((c) => c.text).join("");
      expect(text).toMatch(/^chunk 0 at \d+\nchunk 1 at \d+\nchunk 2 at \d+\nchunk 3 at \d+\nend\n$/);
      // The app sleeps 0.4 s between chunks: had the host buffered the body, everything would
      // arrive at once; streamed, the first chunk is in well before the last is made.
      const first = chunks[0];
      const last = chunks.at(-1)!;
      expect(first.text).toMatch(/^chunk 0/);
      expect(last.at - first.at).toBeGreaterThan(1000);
    }));

  test("10 concurrent slow requests overlap", () =>
    visit(async ({ page }) => {
      await openHost(page, server);
      const result = await page.evaluate(async () => {
        const t0 = performance.now();
        const texts = await Promise.all(Array.from({ length: 10 }, () => fetch("/app/slow").then((r) => r.text())));
        return { texts, ms: performance.now() - t0 };
      });
      expect(result.texts).toEqual(Array(10).fill("slow done"));
      // Each waits 0.5 s in asyncio.sleep: one after another would take 5 s.
      console.log(`10 concurrent /slow requests (0.5 s each) took ${Math.round(result.ms)} ms`);
      expect(result.ms).toBeLessThan(2500);
    }));

  test("a 3 MB binary POST round-trips byte for byte", () =>
    visit(async ({ page }) => {
      await openHost(page, server);
      const result = await page.evaluate(async () => {
        const sent = new Uint8Array(3 * 1024 * 1024);
        for (let i = 0; i < sent.length; i += 65536) crypto.getRandomValues(sent.subarray(i, i + 65536));
        const response = await fetch("/app/echo", { method: "POST", body: sent, headers: { "content-type": "application/octet-stream" } });
        const back = new Uint8Array(await response.arrayBuffer());
        const hex = async (b: Uint8Array<ArrayBuffer>) => Array.from(new Uint8Array(await crypto.subtle.digest("SHA-256", b)), (x) => x.toString(16).padStart(2, "0")).join("");
        return { status: response.status, length: back.length, same: (await hex(sent)) === (await hex(back)) };
      });
      expect(result).toEqual({ status: 200, length: 3 * 1024 * 1024, same: true });
    }));

  test("cookies set by the app come back, stay away from page scripts, and survive a Service Worker restart", () =>
    visit(async (v) => {
      const { page } = v;
      await openHost(v.page, server);
      await page.goto(`${server.url}app/cookie/set`);
      expect((await pageFetch(page, "/app/cookie/show")).text).toBe("sid=s3cret; visible=1");
      // The browser never saw the Set-Cookie: neither HttpOnly nor plain app cookies reach script.
      expect(await page.evaluate(() => document.cookie)).toBe("");
      await stopWorkers(v);
      await page.goto(`${server.url}app/cookie/show`);
      expect(await page.textContent("body")).toBe("sid=s3cret; visible=1");
      await pageFetch(page, "/app/cookie/delete");
      expect((await pageFetch(page, "/app/cookie/show")).text).toBe("visible=1");
    }));

  test("a deep link opened in a fresh browser and then in a new tab lands on the app's page", () =>
    visit(async ({ context, page }) => {
      // No Service Worker yet: the dev server answers with the bootstrap, which installs it and reloads.
      await page.goto(`${server.url}app/page/deep/link?x=1`);
      await page.waitForFunction(() => document.getElementById("script")?.textContent?.startsWith("script ran"), undefined, { timeout: 30_000 });
      expect(await page.textContent("#title")).toBe("Hello from /page/deep/link");
      expect(page.url()).toBe(`${server.url}app/page/deep/link?x=1`);
      const tab = await context.newPage();
      const response = await tab.goto(`${server.url}app/page/other`);
      expect(response?.fromServiceWorker()).toBe(true);
      expect(await tab.textContent("#script")).toBe("script ran at /app/page/other");
    }));

  test("after the browser stops the Service Worker, the next navigation boots it again", () =>
    visit(async (v) => {
      const { page } = v;
      await openHost(v.page, server);
      await page.goto(`${server.url}app/page`);
      const samples: number[] = [];
      for (let i = 0; i < 3; i++) {
        await stopWorkers(v);
        const response = await page.goto(`${server.url}app/page?cold=${i}`);
        expect(response?.status()).toBe(200);
        expect(await page.textContent("#script")).toBe("script ran at /app/page");
        samples.push(await page.evaluate(() => {
          const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
          return nav.responseStart - nav.startTime;
        }));
      }
      const warm = await page.goto(`${server.url}app/page?warm=1`).then(() =>
        page.evaluate(() => {
          const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
          return nav.responseStart - nav.startTime;
        }),
      );
      console.log(`cold start after stopAllWorkers, time to first byte: ${samples.map((ms) => `${Math.round(ms)} ms`).join(", ")}; warm: ${Math.round(warm)} ms`);
      expect(Math.min(...samples)).toBeLessThan(2000);
    }));

  test("HEAD and 204 answers have no body; other headers come through", () =>
    visit(async ({ page }) => {
      await openHost(page, server);
      const result = await page.evaluate(async () => {
        const head = await fetch("/app/page", { method: "HEAD" });
        const empty = await fetch("/app/nocontent", { method: "POST", body: "x" });
        return {
          // Chromium hands the page an empty stream either way; the worker's own Response would
          // throw on a 204 with a body, so an answer at all means it was built with null.
          head: [head.status, head.headers.get("content-type"), await head.text()],
          empty: [empty.status, empty.headers.get("x-note"), await empty.text()],
        };
      });
      expect(result.head).toEqual([200, "text/html; charset=utf-8", ""]);
      expect(result.empty).toEqual([204, "nothing", ""]);
    }));

  test("an app exception gives a 500 page with the traceback in dev", () =>
    visit(async ({ page }) => {
      await openHost(page, server);
      const response = await page.goto(`${server.url}app/boom`);
      expect(response?.status()).toBe(500);
      const text = await page.textContent("body");
      expect(text).toContain("web");
      expect(text).toContain("ValueError: boom from the web fixture");
      expect(text).toMatch(/app\.py", line \d+/);
    }));
});
