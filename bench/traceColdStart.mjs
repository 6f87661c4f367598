#!/usr/bin/env node
// Where a Service Worker cold start spends its thread: `node bench/traceColdStart.mjs DIR`
// serves a built bench site (a folder like build/bench/swasgi, as bench/ab.mjs takes), settles
// it with three cold starts, then records a Chromium trace of one more and prints the worker
// thread's heaviest trace events and, per boot phase (the "swasgi boot:" marks), the wasm
// functions V8 compiled lazily there and their time. The trace itself slows the start.
import { launchBrowser } from "./lib/browser.mjs";
import { stopServiceWorkers } from "./lib/cdp.mjs";
import { serveFolder } from "./lib/server.mjs";

const dir = process.argv[2];
if (!dir) {
  console.error("usage: node bench/traceColdStart.mjs DIR");
  process.exit(2);
}
const CATEGORIES = "v8.wasm,disabled-by-default-v8.compile,blink.user_timing,v8,devtools.timeline";
const { browser } = await launchBrowser();
const server = await serveFolder(dir);
try {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${server.url}/bench.html?sw=sw.js&type=classic`);
  await page.waitForFunction(() => window.ready !== undefined, null, { timeout: 60_000 });
  const cdp = await context.newCDPSession(page);
  await cdp.send("ServiceWorker.enable");
  const coldStart = async () => {
    if (!(await stopServiceWorkers(cdp))) throw new Error("the worker did not stop");
    await new Promise((resolve) => setTimeout(resolve, 300));
    return page.evaluate(() => window.bench.firstByte("/app/"));
  };
  // The worker's code cache, boot image and app image settle first.
  for (let i = 0; i < 3; i++) await coldStart();

  const tracing = await browser.newBrowserCDPSession();
  const events = [];
  tracing.on("Tracing.dataCollected", (e) => events.push(...e.value));
  const complete = new Promise((resolve) => tracing.once("Tracing.tracingComplete", resolve));
  await tracing.send("Tracing.start", { categories: CATEGORIES, transferMode: "ReportEvents" });
  const { ms } = await coldStart();
  await new Promise((resolve) => setTimeout(resolve, 200));
  await tracing.send("Tracing.end");
  await complete;

  const marks = events.filter((e) => e.cat.includes("blink.user_timing") && e.name.startsWith("swasgi boot"));
  if (!marks.length) throw new Error("no boot marks in the trace: was this a cold start?");
  const thread = events.filter((e) => e.tid === marks[0].tid);
  const spans = thread.filter((e) => e.ph === "X");
  console.log(`cold start to first byte: ${ms.toFixed(1)} ms (traced)`);
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
} finally {
  await browser.close();
  await server.close();
}
