// The four examples as a visitor meets them: one site made by `swasgi build` with each example
// at its own mount, served by a plain static file server at the root of the origin.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { buildSite } from "../../src/cli/buildSite.ts";
import { launchBrowser, stopWorkers, type Visit, withVisit } from "./harness.ts";
import { type StaticServer, staticServer } from "./staticServer.ts";

let dir: string;
let server: StaticServer;
let browser: Browser;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "swasgi-examples-"));
  const out = path.join(dir, "site");
  await buildSite({
    apps: ["hello", "notes", "stream", "api"].map((name) => ({ dir: `examples/${name}`, mount: `/${name}/` })),
    out,
  });
  [server, browser] = await Promise.all([staticServer(out), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

const visit = (fn: (visit: Visit) => Promise<void>) => withVisit(browser, fn);

/** A first visit straight to an app's address: the 404.html bootstrap installs the worker. */
async function open(page: Page, target: string, ready: string): Promise<void> {
  await page.goto(`${server.url}${target}`);
  await page.waitForSelector(ready, { timeout: 30_000 });
}

describe("examples", () => {
  test("hello: the smallest app answers any path below its mount", () =>
    visit(async ({ page }) => {
      await open(page, "hello/greetings", "h1");
      expect(await page.textContent("h1")).toBe("Hello from Python");
      expect(await page.textContent("p")).toBe("You asked for /greetings");
    }));

  test("notes: form, redirect to the new note, session cookie, page-script filter; survives reload and going offline", () =>
    visit(async (v) => {
      const { page, context } = v;
      await open(page, "notes/", "#filter");
      const user = await page.textContent(".user");
      expect(user).toMatch(/^signed in as guest-\d{4}$/);
      const add = async (title: string, text: string) => {
        await page.goto(`${server.url}notes/`);
        await page.fill("input[name=title]", title);
        await page.fill("textarea[name=text]", text);
        await Promise.all([page.waitForURL(/\/notes\/notes\/\d+$/), page.click("form button")]);
      };
      await add("Shopping list", "eggs, flour");
      // The 303 after the POST lands on the note itself.
      expect(page.url()).toBe(`${server.url}notes/notes/0000000000`);
      expect(await page.textContent("article h1")).toBe("Shopping list");
      expect(await page.textContent("article p")).toBe("eggs, flour");
      // Same session: the cookie set on the first page came back with the POST and after.
      expect(await page.textContent(".user")).toBe(user);
      // Escaped by html.escape, a frozen module that ships with swasgi's library, not the wasm.
      await add(`Second <thoughts> & "doubts"`, "maybe <b>not</b>");
      expect(await page.textContent("article h1")).toBe(`Second <thoughts> & "doubts"`);
      expect(await page.textContent("article p")).toBe("maybe <b>not</b>");

      await page.goto(`${server.url}notes/`);
      expect(await page.$$eval("#notes li", (items) => items.length)).toBe(2);
      expect(await page.textContent("#count")).toBe("2 notes");
      await page.fill("#filter", "shop");
      expect(await page.textContent("#count")).toBe("1 note");
      expect(await page.$$eval("#notes li:not([hidden]) a", (links) => links.map((a) => a.textContent))).toEqual(["Shopping list"]);

      await page.reload();
      expect(await page.$$eval("#notes li", (items) => items.length)).toBe(2);
      await context.setOffline(true);
      server.setDown(true);
      try {
        await stopWorkers(v);
        await page.reload();
        await page.waitForSelector("#filter");
        expect(await page.$$eval("#notes li a", (links) => links.map((a) => a.textContent))).toEqual(["Shopping list", `Second <thoughts> & "doubts"`]);
        expect(await page.textContent(".user")).toBe(user);
        await page.click("#notes li a >> text=Second");
        expect(await page.textContent("article p")).toBe("maybe <b>not</b>");
      } finally {
        server.setDown(false);
        await context.setOffline(false);
      }
    }));

  test("stream: the page script shows every tick of the streamed response", () =>
    visit(async ({ page }) => {
      await open(page, "stream/", "#log");
      await page.waitForFunction(() => document.body.dataset.done === "yes", undefined, { timeout: 15_000 });
      const lines = await page.$$eval("#log li", (items) => items.map((li) => li.textContent ?? ""));
      expect(lines).toHaveLength(6);
      lines.slice(0, 5).forEach((line, i) => expect(line).toMatch(new RegExp(`^tick ${i + 1} of 5 at \\d+ ms$`)));
      expect(lines[5]).toBe("done");
    }));

  test("api: the static page adds todos through the JSON API and the count follows", () =>
    visit(async ({ page }) => {
      await open(page, "api/", "#add");
      await page.waitForFunction(() => document.body.dataset.count === "0");
      for (const [i, title] of ["water the plants", "call Ada"].entries()) {
        await page.fill("input[name=title]", title);
        await page.click("#add button");
        await page.waitForFunction((n) => document.body.dataset.count === String(n), i + 1);
      }
      expect(await page.$$eval("#todos li", (items) => items.map((li) => li.textContent))).toEqual(["water the plants", "call Ada"]);
      const api = await page.evaluate(() => fetch("api/todos").then((r) => r.json()));
      expect(api).toEqual([
        { id: 1, title: "water the plants", done: false },
        { id: 2, title: "call Ada", done: false },
      ]);
      await page.reload();
      await page.waitForFunction(() => document.body.dataset.count === "2");
    }));
});
