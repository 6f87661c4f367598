// Shared by the e2e suites: the dev server in-process on a free port, and Debian's Chromium
// (or Playwright's own when /usr/bin/chromium is absent) with a fresh profile per context.
import { existsSync } from "node:fs";
import { chromium, type Browser, type BrowserContext, type CDPSession, type Page } from "playwright-core";
import { type DevServer, type DevServerOptions, startDevServer } from "../../src/cli/devServer.ts";

const CHROMIUM = "/usr/bin/chromium";

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: existsSync(CHROMIUM) ? CHROMIUM : undefined,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
}

export const fixture = (name: string) => `tests/fixtures/apps/${name}`;

export async function devServer(apps: DevServerOptions["apps"], options: Partial<DevServerOptions> = {}): Promise<DevServer> {
  return startDevServer({ apps, port: 0, watch: false, ...options });
}

export interface Visit {
  context: BrowserContext;
  page: Page;
  /** Console lines of pages and the Service Worker, for failure messages. */
  console: string[];
}

/** A fresh context (no Service Worker yet), with page and worker console collected. */
export async function freshContext(browser: Browser): Promise<Visit> {
  const context = await browser.newContext();
  const console: string[] = [];
  const watch = (page: Page) => page.on("console", (m) => console.push(`[page ${m.type()}] ${m.text()}`));
  context.on("page", watch);
  context.on("serviceworker", (worker) => worker.on("console", (m) => console.push(`[sw ${m.type()}] ${m.text()}`)));
  const page = await context.newPage();
  return { context, page, console };
}

/**
 * Runs `fn` in a fresh context (after `prepare`, if given) and closes the context; a failure
 * carries the pages' and the worker's console lines.
 */
export async function withVisit(browser: Browser, fn: (visit: Visit) => Promise<void>, prepare?: (visit: Visit) => Promise<void>): Promise<void> {
  const v = await freshContext(browser);
  try {
    await prepare?.(v);
    await fn(v);
  } catch (error) {
    (error as Error).message += `\n--- console ---\n${v.console.join("\n")}`;
    throw error;
  } finally {
    await v.context.close();
  }
}

/** Opens the host page and waits until the Service Worker controls it and every app booted. */
export async function openHost(page: Page, server: DevServer): Promise<void> {
  await page.goto(server.url);
  await page.waitForFunction(() => document.getElementById("boot")?.classList.contains("done"), undefined, { timeout: 30_000 });
}

/** Stops every Service Worker of the browser (what Chromium does to idle workers). */
export async function stopWorkers(visit: Visit): Promise<CDPSession> {
  const cdp = await visit.context.newCDPSession(visit.page);
  await cdp.send("ServiceWorker.enable");
  await cdp.send("ServiceWorker.stopAllWorkers");
  return cdp;
}

/** fetch() from the page (through the Service Worker); the body as text. */
export async function pageFetch(page: Page, path: string, init: { method?: string; body?: string; headers?: Record<string, string> } = {}) {
  return page.evaluate(
    async ({ path, init }) => {
      const response = await fetch(path, init);
      return { status: response.status, url: response.url, headers: Object.fromEntries(response.headers), text: await response.text() };
    },
    { path, init },
  );
}
