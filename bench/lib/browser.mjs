// The benchmark's Chromium: Debian's /usr/bin/chromium where it exists (Playwright cannot
// download its own here), else Playwright's, with the flags the project's tests use.
import fs from "node:fs";
import { chromium } from "playwright-core";

const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

/**
 * @param {string[]} extraArgs more command-line flags (bench/ab.mjs: `--js-flags=...` for one side)
 * @returns {Promise<{ browser: import("playwright-core").Browser, executable: string }>}
 */
export async function launchBrowser(extraArgs = []) {
  const debian = "/usr/bin/chromium";
  const executablePath = fs.existsSync(debian) ? debian : undefined;
  const browser = await chromium.launch({ executablePath, args: [...CHROMIUM_ARGS, ...extraArgs] });
  return { browser, executable: executablePath ?? "Playwright's Chromium" };
}
