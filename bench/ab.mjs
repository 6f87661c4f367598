#!/usr/bin/env node
// A/B of two builds: `node bench/ab.mjs DIR_A DIR_B [runs]` serves two built bench sites
// (folders like build/bench/swasgi) and times interleaved cold starts of each (AB_MODE=throughput:
// 3 s of 32 concurrent fetches of /app/api instead), for trying a change with the machine's
// noise falling on both sides alike. Prints medians and the ratio.
import { launchBrowser } from "./lib/browser.mjs";
import { stopServiceWorkers } from "./lib/cdp.mjs";
import { serveFolder } from "./lib/server.mjs";
import { median } from "./lib/stats.mjs";

const [dirA, dirB, runsArg] = process.argv.slice(2);
if (!dirA || !dirB) {
  console.error("usage: node bench/ab.mjs DIR_A DIR_B [runs]");
  process.exit(2);
}
const runs = Number(runsArg ?? 21);
const throughput = process.env.AB_MODE === "throughput";
const { browser } = await launchBrowser();
const sides = [];
try {
  // AB_TYPES=module,classic: how each side's worker is registered (the floor's is a module).
  const types = (process.env.AB_TYPES ?? "classic,classic").split(",");
  for (const [index, dir] of [dirA, dirB].entries()) {
    const server = await serveFolder(dir);
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/bench.html?sw=sw.js&type=${types[index]}`);
    await page.waitForFunction(() => window.ready !== undefined, null, { timeout: 60_000 });
    const cdp = await context.newCDPSession(page);
    await cdp.send("ServiceWorker.enable");
    // AB_WARM=n: n fetches first, as a visit would make (lets V8 tier up and cache code).
    const warm = Number(process.env.AB_WARM ?? 0);
    if (warm) {
      await page.evaluate((n) => window.bench.sequential("/app/", n), warm);
      await new Promise((resolve) => setTimeout(resolve, 3000));
    }
    // Two cold starts first (below): the worker's code cache and the boot image settle.
    sides.push({ dir, server, page, cdp, times: [] });
  }
  for (let i = 0; i < runs + 2; i++) {
    for (const side of sides) {
      if (throughput) {
        const r = await side.page.evaluate(() => window.bench.throughput("/app/api", 32, 3000));
        if (r.errors) throw new Error(`${side.dir}: ${r.errors} failed requests`);
        if (i >= 2) side.times.push((r.count * 1000) / r.ms);
        continue;
      }
      if (!(await stopServiceWorkers(side.cdp))) throw new Error(`${side.dir}: the worker did not stop`);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const r = await side.page.evaluate(() => window.bench.firstByte("/app/"));
      if (r.status !== 200) throw new Error(`${side.dir}: status ${r.status}`);
      if (i >= 2) side.times.push(r.ms);
    }
  }
} finally {
  await browser.close();
  for (const side of sides) await side.server.close();
}
const [a, b] = sides.map((s) => median(s.times));
const unit = throughput ? "req/s" : "ms";
console.log(`A ${dirA}: ${a.toFixed(2)} ${unit} (min ${Math.min(...sides[0].times).toFixed(2)}, max ${Math.max(...sides[0].times).toFixed(2)})`);
console.log(`B ${dirB}: ${b.toFixed(2)} ${unit} (min ${Math.min(...sides[1].times).toFixed(2)}, max ${Math.max(...sides[1].times).toFixed(2)})`);
console.log(`B / A = ${(b / a).toFixed(3)} over ${runs} interleaved ${throughput ? "throughput runs" : "cold starts"} each`);
