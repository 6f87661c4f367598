// Every figure of the issue but fuel overhead, for all systems in one browser. Repeats are
// interleaved (run 1 of each system, then run 2 of each, ...) so that load from elsewhere on
// this noisy 2-core machine falls on all systems alike and the ratios stay fair.
import { sampleServiceWorkerHeap, stopServiceWorkers } from "./cdp.mjs";
import { serveFolder } from "./server.mjs";
import { quantile, summary } from "./stats.mjs";

/** Repeat counts. Pyodide takes seconds per start, so it gets fewer start-up repeats. */
export const PLANS = {
  full: {
    firstVisits: { swasgi: 7, floor: 7, pyodide: 3 },
    coldStarts: { swasgi: 11, floor: 11, pyodide: 4 },
    warmup: 100,
    warmRuns: 5,
    warmN: 1000,
    tableRuns: 3,
    tableN: 200,
    throughputRuns: 5,
    throughputMs: 5000,
    concurrency: 32,
    heapMs: 5000,
    fuelReps: 9,
    fuelLoads: 5,
  },
  quick: {
    firstVisits: { swasgi: 1, floor: 1, pyodide: 1 },
    coldStarts: { swasgi: 1, floor: 1, pyodide: 1 },
    warmup: 5,
    warmRuns: 1,
    warmN: 20,
    tableRuns: 1,
    tableN: 10,
    throughputRuns: 1,
    throughputMs: 300,
    concurrency: 32,
    heapMs: 300,
    fuelReps: 2,
    fuelLoads: 1,
  },
};
// BENCH_COLD=1: the quick plan with the full plan's cold starts (for working on start-up time).
PLANS.cold = { ...PLANS.quick, coldStarts: PLANS.full.coldStarts };

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Opens the harness page and waits for its first answer; throws when it fails or none comes within `timeoutMs`. */
export async function openHarness(context, pageUrl, timeoutMs = 120_000) {
  const page = await context.newPage();
  await page.goto(pageUrl);
  await page.waitForFunction(() => window.ready !== undefined, null, { timeout: 60_000 });
  // A worker that never installs leaves `ready` waiting for control forever.
  let timer;
  const late = new Promise((resolve) => {
    timer = setTimeout(() => resolve({ error: `no first answer within ${timeoutMs / 1000} s (the worker never took control, or its first request never ended)` }), timeoutMs);
  });
  const ready = await Promise.race([page.evaluate(() => window.ready), late]).finally(() => clearTimeout(timer));
  if (!ready || ready.error || ready.status !== 200) {
    throw Object.assign(new Error(`${pageUrl}: the harness page failed: ${ready?.error ?? `status ${ready?.status}`}`), { ready });
  }
  return { page, ready };
}

function fmt(s, unit = " ms") {
  if (s.median === null) return "n/a";
  const r = (v) => (v >= 100 ? v.toFixed(0) : v.toFixed(2));
  return `${r(s.median)}${unit} (min ${r(s.min)}, max ${r(s.max)})`;
}

/**
 * @param {import("playwright-core").Browser} browser
 * @param {{ name: string, dir: string, sw: string, type: string }[]} systems
 * @param {typeof PLANS.full} plan
 * @param {Record<string, { status: number, body: string }>} expected the app's responses by path (base64 bodies)
 * @returns {Promise<Record<string, object>>} raw figures by system name
 */
export async function measureSystems(browser, systems, plan, expected, log) {
  const live = [];
  try {
    for (const system of systems) {
      const server = await serveFolder(system.dir);
      live.push({ system, server, url: `${server.url}/bench.html?sw=${encodeURIComponent(system.sw)}&type=${system.type}`, out: {} });
    }
    const say = (s, message) => log(`${s.system.name}: ${message}`);
    const rounds = (count, fn) => async () => {
      const max = Math.max(...live.map((s) => (typeof count === "number" ? count : count[s.system.name])));
      const results = new Map(live.map((s) => [s, []]));
      for (let i = 0; i < max; i++) {
        for (const s of live) {
          if (i < (typeof count === "number" ? count : count[s.system.name])) results.get(s).push(await fn(s));
        }
      }
      return results;
    };

    // First visit: a fresh context each time (no HTTP cache, no Cache Storage, no worker).
    const firstVisits = await rounds(plan.firstVisits, async (s) => {
      const context = await browser.newContext();
      try {
        return (await openHarness(context, s.url)).ready;
      } finally {
        await context.close();
      }
    })();
    for (const s of live) {
      const visits = firstVisits.get(s);
      s.out.firstVisit = summary(visits.map((v) => v.firstByteAt));
      // Where a first visit goes: page load, worker install + activation, then the app's answer.
      s.out.firstVisitPhases = {
        pageScriptStarts: summary(visits.map((v) => v.startedAt)),
        workerControls: summary(visits.map((v) => v.controlledAt)),
        controlToFirstByte: summary(visits.map((v) => v.firstByteAt - v.controlledAt)),
      };
      say(s, `first visit ${fmt(s.out.firstVisit)}; in control at ${fmt(s.out.firstVisitPhases.workerControls)}`);
    }

    // One controlled page per system for everything else.
    for (const s of live) {
      s.context = await browser.newContext();
      const { page, ready } = await openHarness(s.context, s.url);
      s.page = page;
      s.out.crossOriginIsolated = ready.crossOriginIsolated;
      // The same app: every system must answer the captured bytes.
      for (const [path, want] of Object.entries(expected)) {
        const got = await page.evaluate((p) => window.bench.text(p), path);
        const wantBody = Buffer.from(want.body, "base64").toString("utf8");
        if (got.status !== want.status || got.body !== wantBody) {
          throw new Error(`${s.system.name} ${path}: expected ${want.status} ${JSON.stringify(wantBody.slice(0, 120))}, got ${got.status} ${JSON.stringify(got.body.slice(0, 120))}`);
        }
      }
      for (const path of Object.keys(expected)) await page.evaluate(([p, n]) => window.bench.sequential(p, n), [path, plan.warmup]);
    }

    const warm = await rounds(plan.warmRuns, (s) => s.page.evaluate(([n]) => window.bench.sequential("/app/api", n), [plan.warmN]))();
    const table = await rounds(plan.tableRuns, (s) => s.page.evaluate(([n]) => window.bench.sequential("/app/table", n), [plan.tableN]))();
    for (const s of live) {
      const w = warm.get(s);
      s.out.warmP50 = summary(w.map((r) => quantile(r.times, 0.5)));
      s.out.warmP99 = summary(w.map((r) => quantile(r.times, 0.99)));
      s.out.warmErrors = w.reduce((n, r) => n + r.errors, 0);
      const t = table.get(s);
      s.out.tablePageP50 = summary(t.map((r) => quantile(r.times, 0.5)));
      s.out.tablePageP99 = summary(t.map((r) => quantile(r.times, 0.99)));
      s.out.tableErrors = t.reduce((n, r) => n + r.errors, 0);
      say(s, `warm p50 ${fmt(s.out.warmP50)}, p99 ${fmt(s.out.warmP99)}; table page p50 ${fmt(s.out.tablePageP50)}`);
    }

    const throughput = await rounds(plan.throughputRuns, (s) =>
      s.page.evaluate(([c, ms]) => window.bench.throughput("/app/api", c, ms), [plan.concurrency, plan.throughputMs]),
    )();
    for (const s of live) {
      const t = throughput.get(s);
      s.out.throughput = summary(t.map((r) => (r.count / r.ms) * 1000));
      s.out.throughputErrors = t.reduce((n, r) => n + r.errors, 0);
      say(s, `throughput ${fmt(s.out.throughput, " req/s")}`);
    }

    // Heap: one more throughput run per system with a DevTools session on its worker sampling
    // the heap (kept apart from the timed runs above, which run with nothing attached).
    for (const s of live) {
      const sampler = await sampleServiceWorkerHeap(browser, s.server.url);
      const run = await s.page.evaluate(([c, ms]) => window.bench.throughput("/app/api", c, ms), [plan.concurrency, plan.heapMs]);
      s.out.heap = await sampler.stop();
      s.out.heapRunRps = (run.count / run.ms) * 1000;
      const mib = (b) => (b === null ? "?" : (b / 1048576).toFixed(1));
      say(s, `peak SW JS heap ${mib(s.out.heap.usedSize)} MiB (${s.out.heap.samples} samples; ${mib(s.out.heap.usedAfterGc)} MiB after a full GC)`);
    }

    // Cold start: stop the worker, then the next fetch from the open page starts it again.
    for (const s of live) {
      s.cdp = await s.context.newCDPSession(s.page);
      await s.cdp.send("ServiceWorker.enable");
    }
    const cold = await rounds(plan.coldStarts, async (s) => {
      if (!(await stopServiceWorkers(s.cdp))) throw new Error(`${s.system.name}: the Service Worker did not stop`);
      await sleep(300);
      const r = await s.page.evaluate(() => window.bench.firstByte("/app/"));
      if (r.status !== 200) throw new Error(`${s.system.name}: cold start answered ${r.status}`);
      return r.ms;
    })();
    for (const s of live) {
      s.out.coldStart = summary(cold.get(s));
      say(s, `cold start ${fmt(s.out.coldStart)}`);
    }
  } finally {
    for (const s of live) {
      await s.cdp?.detach().catch(() => {});
      await s.context?.close().catch(() => {});
      await s.server.close();
    }
  }
  return Object.fromEntries(live.map((s) => [s.system.name, s.out]));
}
