// The host page (index.html) and `swasgi dev` as a person uses them. Screenshots go to
// test-results/screenshots/ for a human to look at.
import { spawn } from "node:child_process";
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { devServer, fixture, launchBrowser, type Visit, withVisit } from "./harness.ts";

const SHOTS = "test-results/screenshots";
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
  await mkdir(SHOTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
});

const visit = (fn: (visit: Visit) => Promise<void>) =>
  withVisit(browser, fn, (v) => v.page.setViewportSize({ width: 1200, height: 760 }));

describe("host page", () => {
  test("shows each app with a link, boot progress, a live request log and the apps' output", async () => {
    // The runtime download is spread over 2 s so the progress bar can be seen.
    const server = await devServer([{ dir: fixture("web") }, { dir: fixture("spin"), mount: "/spin/" }], { throttleRuntimeMs: 2000 });
    try {
      await visit(async ({ context, page }) => {
        await page.goto(server.url);
        await page.waitForFunction(() => /Downloading the Python runtime… \d+ KB \/ \d+ KB/.test(document.getElementById("boot-text")?.textContent ?? ""));
        const value = await page.$eval("#boot-bar", (bar) => (bar as HTMLProgressElement).value);
        expect(value).toBeGreaterThan(0);
        expect(value).toBeLessThan(1);
        await page.screenshot({ path: `${SHOTS}/host-progress.png` });
        await page.waitForFunction(() => document.getElementById("boot")?.classList.contains("done"), undefined, { timeout: 30_000 });
        expect(await page.textContent("#boot-text")).toBe("Ready: 2 apps running");
        const links = await page.$$eval("#apps a", (as) => as.map((a) => [a.textContent, a.getAttribute("href")]));
        expect(links).toEqual([["web", "/app/"], ["spin", "/spin/"]]);
        expect(await page.$$eval("#apps .state.ready", (els) => els.length)).toBe(2);

        // Use the apps from another tab; the host page follows.
        const tab = await context.newPage();
        await tab.goto(`${server.url}app/page`);
        await tab.goto(`${server.url}app/print`);
        const boom = await tab.goto(`${server.url}app/boom`);
        expect(boom?.status()).toBe(500);
        await tab.screenshot({ path: `${SHOTS}/error-page-dev.png` });
        const timeout = await tab.goto(`${server.url}spin/loop`);
        expect(timeout?.status()).toBe(504);
        expect(await tab.textContent("body")).toMatch(/spin.*500 ms/s);
        await tab.screenshot({ path: `${SHOTS}/timeout-page.png` });
        await tab.close();

        await page.waitForFunction(() => document.querySelectorAll("#log tr").length >= 4);
        const rows = await page.$$eval("#log tr", (trs) => trs.map((tr) => [...tr.children].slice(1).map((td) => td.textContent)));
        expect(rows.map((r) => r.slice(0, 4))).toEqual([
          ["web", "GET", "/app/page", "200"],
          ["web", "GET", "/app/print", "200"],
          ["web", "GET", "/app/boom", "500"],
          ["spin", "GET", "/spin/loop", "504"],
        ]);
        expect(await page.$$eval("#log tr.error", (trs) => trs.length)).toBe(2);
        await page.waitForSelector("#output .notice.error pre");
        expect(await page.textContent("#output .line.stdout")).toBe("[web] hello on stdout from /print");
        expect(await page.textContent("#output .line.stderr")).toBe("[web] a warning on stderr");
        const errors = await page.$$eval("#output .notice.error", (els) => els.map((el) => el.textContent ?? ""));
        expect(errors.some((text) => text.includes("GET /app/boom") && text.includes("ValueError: boom from the web fixture"))).toBe(true);
        expect(errors.some((text) => text.includes("spin") && text.includes("500 ms"))).toBe(true);
        await page.screenshot({ path: `${SHOTS}/host-log.png`, fullPage: true });
      });
    } finally {
      await server.close();
    }
  });

  test("editing an app's file reloads its interpreter and refreshes its open pages", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "swasgi-dev-"));
    const app = path.join(dir, "web");
    await cp(fixture("web"), app, { recursive: true });
    const server = await devServer([{ dir: app }], { watch: true });
    try {
      await visit(async ({ page, context }) => {
        await page.goto(server.url);
        await page.waitForFunction(() => document.getElementById("boot")?.classList.contains("done"), undefined, { timeout: 30_000 });
        expect(await page.isVisible("#mode")).toBe(true);
        const versionBefore = await page.textContent("#apps [title=version]");
        const tab = await context.newPage();
        await tab.goto(`${server.url}app/page`);
        expect(await tab.textContent("#title")).toBe("Hello from /page");
        // The dev client appended to the page listens for changes (the host page does too).
        await expect.poll(() => server.eventListeners(), { timeout: 10_000 }).toBe(2);
        const source = await readFile(path.join(app, "app.py"), "utf8");
        await writeFile(path.join(app, "app.py"), source.replace("Hello from %s", "Edited hello from %s"));
        await tab.waitForFunction(() => document.getElementById("title")?.textContent === "Edited hello from /page", undefined, { timeout: 15_000 });
        expect(await tab.textContent("#script")).toBe("script ran at /app/page");
        await page.waitForFunction((before) => document.querySelector("#apps [title=version]")?.textContent !== before, versionBefore, { timeout: 10_000 });
      });
    } finally {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("deep links after a dev server restart", () => {
  test("a server restarted on the same port with another app: its deep links work while the old worker lives", async () => {
    const first = await devServer([{ dir: fixture("web") }]);
    const port = first.port;
    let second: Awaited<ReturnType<typeof devServer>> | undefined;
    try {
      await visit(async ({ page }) => {
        await page.goto(`${first.url}app/page`);
        await page.waitForFunction(() => document.getElementById("script")?.textContent?.startsWith("script ran"), undefined, { timeout: 30_000 });
        await first.close();
        second = await devServer([{ dir: fixture("peer"), mount: "/peer/" }], { port });
        // The worker still knows only /app/: the server's bootstrap asks it to re-read the manifest.
        await page.goto(`${second.url}peer/`);
        await page.waitForFunction(() => document.body.textContent?.includes("own source is peer: True"), undefined, { timeout: 30_000 });
      });
    } finally {
      await first.close().catch(() => undefined);
      await second?.close();
    }
  });
});

describe("swasgi dev (the built CLI)", () => {
  test("prints the URL and serves the example app to a browser", async () => {
    const child = spawn(process.execPath, ["bin/swasgi.js", "dev", "examples/hello", "--port", "0"], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk));
    child.stderr.on("data", (chunk: Buffer) => (err += chunk));
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no URL printed\n${out}\n${err}`)), 15_000);
        child.stdout.on("data", () => {
          const match = /swasgi dev: (http:\/\/\S+)\n\s+hello\s+http/.exec(out);
          if (match) {
            clearTimeout(timer);
            resolve(match[1]);
          }
        });
      });
      expect(out).toMatch(/hello\s+http:\/\/127\.0\.0\.1:\d+\/app\//);
      const manifest = (await (await fetch(`${url}swasgi-apps.json`)).json()) as { apps: { name: string }[] };
      expect(manifest.apps.map((a) => a.name)).toEqual(["hello"]);
      const sw = await fetch(`${url}sw.js`);
      expect(sw.headers.get("content-security-policy")).toContain("'wasm-unsafe-eval'");
      expect(sw.headers.get("content-security-policy")).not.toContain("'unsafe-eval'");
      await visit(async ({ page }) => {
        await page.goto(`${url}app/welcome`);
        await page.waitForFunction(() => document.querySelector("h1")?.textContent === "Hello from Python", undefined, { timeout: 30_000 });
        expect(await page.textContent("p")).toBe("You asked for /welcome");
      });
    } finally {
      child.kill("SIGTERM");
    }
    // Ctrl-C / SIGTERM stops the server cleanly.
    expect(await exited).toBe(0);
  });
});
