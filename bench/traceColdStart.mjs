#!/usr/bin/env node
// Where a Service Worker cold start spends its thread: `node bench/traceColdStart.mjs DIR`
// serves a built bench site (a folder like build/bench/swasgi, as bench/ab.mjs takes), settles
// it with three cold starts, then records a Chromium trace of one more and prints the worker
// thread's heaviest trace events, the wasm functions V8 compiled lazily per boot phase (the
// "swasgi boot:" marks) and V8's optimizing compiles on other threads while it ran. With
// `--first-visit`, the trace is of a first visit instead (a fresh context: install, activation,
// first request). The trace itself slows what it records.
import { launchBrowser } from "./lib/browser.mjs";
import { stopServiceWorkers } from "./lib/cdp.mjs";
import { openHarness } from "./lib/measure.mjs";
import { serveFolder } from "./lib/server.mjs";

const dir = process.argv[2];
const firstVisit = process.argv.includes("--first-visit");
if (!dir) {
  console.error("usage: node bench/traceColdStart.mjs DIR [--first-visit]");
  process.exit(2);
}
const CATEGORIES = "v8.wasm,disabled-by-default-v8.compile,blink.user_timing,v8,devtools.timeline";
const { browser } = await launchBrowser();
const server = await serveFolder(dir);
const url = `${server.url}/bench.html?sw=sw.js&type=classic`;
try {
  let measured;
  if (firstVisit) {
    // One visit first, untimed: the server and the browser's own caches settle.
    const warm = await browser.newContext();
    await openHarness(warm, url);
    await warm.close();
    measured = async () => ({ ms: (await openHarness(await browser.newContext(), url)).ready.firstByteAt });
  } else {
    const context = await browser.newContext();
    // Its first answer, not just the page: a worker stopped while it installs goes redundant.
    const { page } = await openHarness(context, url);
    const cdp = await context.newCDPSession(page);
    await cdp.send("ServiceWorker.enable");
    measured = async () => {
      if (!(await stopServiceWorkers(cdp))) throw new Error("the worker did not stop");
      await new Promise((resolve) => setTimeout(resolve, 300));
      return page.evaluate(() => window.bench.firstByte("/app/"));
    };
    // The worker's code cache, boot image and app image settle first.
    for (let i = 0; i < 3; i++) await measured();
  }

  const tracing = await browser.newBrowserCDPSession();
  const events = [];
  tracing.on("Tracing.dataCollected", (e) => events.push(...e.value));
  const complete = new Promise((resolve) => tracing.once("Tracing.tracingComplete", resolve));
  await tracing.send("Tracing.start", { categories: CATEGORIES, transferMode: "ReportEvents" });
  const { ms } = await measured();
  await new Promise((resolve) => setTimeout(resolve, 200));
  await tracing.send("Tracing.end");
  await complete;

  const marks = events.filter((e) => e.cat.includes("blink.user_timing") && e.name.startsWith("swasgi boot"));
  if (!marks.length) throw new Error("no boot marks in the trace: did the worker boot an interpreter?");
  const thread = events.filter((e) => e.tid === marks[0].tid);
  const spans = thread.filter((e) => e.ph === "X");
  console.log(`${firstVisit ? "first visit" : "cold start"} to first byte: ${ms.toFixed(1)} ms (traced)`);
  const totals = new Map();
  for (const e of spans) {
    const [time, count] = totals.get(e.name) ?? [0, 0];
    totals.set(e.name, [time + (e.dur ?? 0), count + 1]);
  }
  console.log("\nthe worker thread's heaviest events (ms, count):");
  for (const [name, [time, count]] of [...totals].sort((a, b) => b[1][0] - a[1][0]).slice(0, 15)) {
    console.log(`  ${(time / 1000).toFixed(2).padStart(6)} ${String(count).padStart(4)}  ${name}`);
  }
  const start = Math.min(...thread.filter((e) => e.ts).map((e) => e.ts));
  const phases = [["until the first boot mark", start], ...marks.map((m) => [m.name.replace("swasgi boot: ", "after "), m.ts]).sort((a, b) => a[1] - b[1])];
  console.log("\nwasm functions compiled lazily, by phase:");
  phases.forEach(([name, from], i) => {
    const to = phases[i + 1]?.[1] ?? Infinity;
    const lazy = spans.filter((e) => e.name === "wasm.CompileLazy" && e.ts >= from && e.ts < to);
    const time = lazy.reduce((sum, e) => sum + (e.dur ?? 0), 0) / 1000;
    console.log(`  ${name.padEnd(28)} ${String(lazy.length).padStart(4)} functions ${time.toFixed(2).padStart(6)} ms`);
  });
  // V8 tiers the VM up with TurboFan on a background thread at every start (BENCHMARKS.md).
  const topTier = events.filter((e) => e.name === "wasm.TopTierCompilation" && e.ph === "X" && e.ts >= start);
  console.log(`
optimizing (TurboFan) compiles on other threads: ${topTier.length}, ${(topTier.reduce((sum, e) => sum + (e.dur ?? 0), 0) / 1000).toFixed(1)} ms`);
  for (const e of topTier) console.log(`  from ${((e.ts - start) / 1000).toFixed(1)} ms, ${((e.dur ?? 0) / 1000).toFixed(1)} ms`);
} finally {
  await browser.close();
  await server.close();
}
