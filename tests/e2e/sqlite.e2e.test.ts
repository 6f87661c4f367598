// examples/todo as a visitor meets it: a built site served by a plain static server, the app's
// SQLite database in /data (IndexedDB), the engine loaded by the Service Worker on demand.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { buildSite } from "../../src/cli/buildSite.ts";
import { devServer, launchBrowser, stopWorkers, withVisit } from "./harness.ts";
import { type StaticServer, staticServer } from "./staticServer.ts";

let dir: string;
let server: StaticServer;
let browser: Browser;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "swasgi-sqlite-e2e-"));
  const out = path.join(dir, "site");
  await buildSite({ apps: [{ dir: "examples/todo", mount: "/todo/" }, { dir: "examples/hello", mount: "/hello/" }], out });
  [server, browser] = await Promise.all([staticServer(out), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

const titles = (page: Page) => page.$$eval("#todos li span", (spans) => spans.map((s) => s.textContent));

test("todo: add, toggle, edit, delete and search on sqlite3; survives reload and a stopped worker offline", () =>
  withVisit(browser, async (v) => {
    const { page, context } = v;
    await page.goto(`${server.url}todo/`);
    await page.waitForSelector("#add", { timeout: 30_000 });
    const add = async (title: string) => {
      await page.fill("input[name=title]", title);
      await Promise.all([page.waitForURL(`${server.url}todo/`), page.click("#add")]);
    };
    for (const title of ["Buy milk", "Call Ada", "Fix the bike"]) await add(title);
    expect(await titles(page)).toEqual(["Buy milk", "Call Ada", "Fix the bike"]);
    expect(await page.textContent("#left")).toBe("3 left");

    await Promise.all([page.waitForURL(`${server.url}todo/`), page.click("li[data-id='1'] form[action$=toggle] button")]);
    expect(await page.getAttribute("li[data-id='1']", "class")).toBe("done");
    expect(await page.textContent("#left")).toBe("2 left");

    await page.click("li[data-id='2'] a");
    await page.fill("input[name=title]", "Call Ada Lovelace");
    await Promise.all([page.waitForURL(`${server.url}todo/`), page.click("form button")]);
    await Promise.all([page.waitForURL(`${server.url}todo/`), page.click("li[data-id='3'] form[action$=delete] button")]);
    expect(await titles(page)).toEqual(["Buy milk", "Call Ada Lovelace"]);

    await page.fill("input[name=q]", "ada");
    await Promise.all([page.waitForURL(/\?q=ada$/), page.click("form[method=get] button")]);
    expect(await titles(page)).toEqual(["Call Ada Lovelace"]);

    await page.goto(`${server.url}todo/`);
    await page.reload();
    expect(await titles(page)).toEqual(["Buy milk", "Call Ada Lovelace"]);

    // Offline, with a worker that starts from nothing: the engine comes from the worker's
    // installed scripts and the site's cache, the database from IndexedDB.
    await context.setOffline(true);
    server.setDown(true);
    try {
      await stopWorkers(v);
      await page.reload();
      await page.waitForSelector("#add");
      expect(await titles(page)).toEqual(["Buy milk", "Call Ada Lovelace"]);
      await add("Written offline");
      expect(await titles(page)).toEqual(["Buy milk", "Call Ada Lovelace", "Written offline"]);
    } finally {
      server.setDown(false);
      await context.setOffline(false);
    }
  }));

test("todo under `swasgi dev`: the dev worker loads the engine from the server", async () => {
  const dev = await devServer([{ dir: "examples/todo" }]);
  try {
    await withVisit(browser, async ({ page }) => {
      await page.goto(`${dev.url}app/`);
      await page.waitForSelector("#add", { timeout: 30_000 });
      await page.fill("input[name=title]", "From the dev server");
      await Promise.all([page.waitForURL(`${dev.url}app/`), page.click("#add")]);
      expect(await titles(page)).toEqual(["From the dev server"]);
    });
  } finally {
    await dev.close();
  }
});
