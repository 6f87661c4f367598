// Firefox ESR for the e2e suites: Debian's firefox-esr, driven headless by puppeteer-core over
// WebDriver BiDi (Playwright drives only its own patched Firefox builds). Each launch gets a
// fresh profile from puppeteer.
import puppeteer, { type Browser, type Page } from "puppeteer-core";

/** Debian's package (`apt-get install -y firefox-esr`; `.ci/run` installs it). */
export const FIREFOX = "/usr/bin/firefox-esr";

/**
 * Launches Firefox with a short Service Worker idle timeout (default 30 s): what a browser does
 * to a worker whose fetch event it thinks is over shows in seconds instead of half a minute.
 */
export async function launchFirefox(idleTimeoutMs = 3000): Promise<Browser> {
  return puppeteer.launch({
    browser: "firefox",
    executablePath: FIREFOX,
    headless: true,
    protocol: "webDriverBiDi",
    extraPrefsFirefox: {
      "dom.serviceWorkers.idle_timeout": idleTimeoutMs,
      "dom.serviceWorkers.idle_extended_timeout": idleTimeoutMs,
    },
  });
}

/** A page in a fresh browser context: no Service Worker, cookies or storage yet. */
export async function freshPage(browser: Browser): Promise<Page> {
  const context = await browser.createBrowserContext();
  return context.newPage();
}

/** The text of the first element matching `selector`. */
export function textOf(page: Page, selector: string): Promise<string> {
  return page.$eval(selector, (element) => element.textContent ?? "");
}

/** Waits for `selector`, then its text. */
export async function waitText(page: Page, selector: string, timeout = 30_000): Promise<string> {
  await page.waitForSelector(selector, { timeout });
  return textOf(page, selector);
}
