#!/usr/bin/env node
// A/B of two builds: `node bench/ab.mjs DIR_A DIR_B [runs]` serves two built bench sites
// (folders like build/bench/swasgi) and alternates measurements of each, for trying a change
// with the machine's noise falling on both sides alike. Prints medians and the ratio B / A.
//   AB_MODE=cold (default)  cold starts: the worker stopped, then GET /app/ to its first byte
//   AB_MODE=throughput      3 s of 32 concurrent fetches of /app/api
//   AB_MODE=first-visit     a fresh browser context each time: install, activation, first byte
//   AB_MODE=workloads       the bench's workload section (sites like build/bench/swasgi-workloads;
//                           AB_WORKLOADS=a,b picks workloads), `runs` timed rounds
//   AB_ARGS_B="--js-flags=..."  side B in a Chromium of its own, launched with these flags
//                           (DIR_A and DIR_B may then be the same folder)
//   AB_TYPES=module,classic how each side's worker is registered (the floor's is a module)
//   AB_WARM=n               (cold) n fetches first, as a visit would make
import { launchBrowser } from "./lib/browser.mjs";
import { stopServiceWorkers } from "./lib/cdp.mjs";
import { openHarness } from "./lib/measure.mjs";
import { serveFolder } from "./lib/server.mjs";
import { median } from "./lib/stats.mjs";
import { measureWorkloads, WORKLOAD_PLANS } from "./lib/workloads.mjs";

const [dirA, dirB, runsArg] = process.argv.slice(2);
if (!dirA || !dirB) {
  console.error("usage: node bench/ab.mjs DIR_A DIR_B [runs]");
  process.exit(2);
}
const runs = Number(runsArg ?? 21);
const mode = process.env.AB_MODE ?? "cold";
if (!["cold", "throughput", "first-visit", "workloads"].includes(mode)) throw new Error(`AB_MODE: no mode "${mode}" (cold, throughput, first-visit, workloads)`);
const extraB = (process.env.AB_ARGS_B ?? "").split(" ").filter(Boolean);
const browsers = [(await launchBrowser()).browser];
browsers.push(extraB.length ? (await launchBrowser(extraB)).browser : browsers[0]);
const types = (process.env.AB_TYPES ?? "classic,classic").split(",");

try {
  if (mode === "workloads") await workloads();
  else await alternate();
} finally {
  for (const browser of new Set(browsers)) await browser.close();
}

/** Cold starts, throughput runs or first visits, A and B in turn. */
async function alternate() {
  const sides = [];
  try {
    for (const [index, dir] of [dirA, dirB].entries()) {
      const server = await serveFolder(dir);
      const side = { dir, server, browser: browsers[index], url: `${server.url}/bench.html?sw=sw.js&type=${types[index]}`, times: [] };
      sides.push(side);
      if (mode === "first-visit") continue;
      const context = await side.browser.newContext();
      // Its first answer, not just the page: a worker stopped while it installs goes redundant.
      side.page = (await openHarness(context, side.url)).page;
      side.cdp = await context.newCDPSession(side.page);
      await side.cdp.send("ServiceWorker.enable");
      const warm = Number(process.env.AB_WARM ?? 0);
      if (warm) {
        await side.page.evaluate((n) => window.bench.sequential("/app/", n), warm);
        await new Promise((resolve) => setTimeout(resolve, 3000));
      }
    }
    // Two rounds first, untimed: the worker's code cache and the boot image settle.
    const settle = mode === "first-visit" ? 0 : 2;
    for (let i = 0; i < runs + settle; i++) {
      for (const side of i % 2 ? [...sides].reverse() : sides) {
        const value = await measure(side);
        if (i >= settle) side.times.push(value);
      }
    }
  } finally {
    for (const side of sides) await side.server.close();
  }
  const unit = mode === "throughput" ? "req/s" : "ms";
  const [a, b] = sides.map((s) => median(s.times));
  for (const [name, side, m] of [["A", sides[0], a], ["B", sides[1], b]]) {
    console.log(`${name} ${side.dir}: ${m.toFixed(2)} ${unit} (min ${Math.min(...side.times).toFixed(2)}, max ${Math.max(...side.times).toFixed(2)})`);
  }
  const what = { cold: "cold starts", throughput: "throughput runs", "first-visit": "first visits" }[mode];
  console.log(`B / A = ${(b / a).toFixed(3)} over ${runs} interleaved ${what} each`);
}

async function measure(side) {
  if (mode === "first-visit") {
    const context = await side.browser.newContext();
    try {
      return (await openHarness(context, side.url)).ready.firstByteAt;
    } finally {
      await context.close();
    }
  }
  if (mode === "throughput") {
    const r = await side.page.evaluate(() => window.bench.throughput("/app/api", 32, 3000));
    if (r.errors) throw new Error(`${side.dir}: ${r.errors} failed requests`);
    return (r.count * 1000) / r.ms;
  }
  if (!(await stopServiceWorkers(side.cdp))) throw new Error(`${side.dir}: the worker did not stop`);
  await new Promise((resolve) => setTimeout(resolve, 300));
  const r = await side.page.evaluate(() => window.bench.firstByte("/app/"));
  if (r.status !== 200) throw new Error(`${side.dir}: status ${r.status}`);
  return r.ms;
}

/** The workload section with A and B as its two systems (one browser: flags per side do not apply). */
async function workloads() {
  if (extraB.length) throw new Error("AB_ARGS_B: not for AB_MODE=workloads (both sides share one browser there)");
  const only = process.env.AB_WORKLOADS ? new Set(process.env.AB_WORKLOADS.split(",")) : null;
  const systems = [dirA, dirB].map((dir, index) => ({ name: "AB"[index], dir, sw: "sw.js", type: types[index] }));
  const out = await measureWorkloads(browsers[0], systems, { ...WORKLOAD_PLANS.full, runs }, () => {}, only);
  for (const [name, figures] of Object.entries(out)) {
    const [a, b] = [figures.A, figures.B];
    const failed = a.failure ?? b.failure;
    console.log(`${name.padEnd(18)} A ${a.median?.toFixed(1) ?? "-"} ms, B ${b.median?.toFixed(1) ?? "-"} ms, B / A = ${failed ? `failed: ${failed.note}` : (b.median / a.median).toFixed(3)}`);
  }
  console.log(`medians of ${runs} interleaved rounds (the first side alternating), after one warm-up round`);
}
