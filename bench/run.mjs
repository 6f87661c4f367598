#!/usr/bin/env node
// `npm run bench`: builds what it needs, then measures the same ASGI app (bench/app/app.py) on
// swasgi, the floor and the Pyodide peer in headless Chromium, and writes bench/results.json
// (the figures other tools read), bench/results-detail.json (min, max, runs) and prints the
// table for BENCHMARKS.md.
//   BENCH_QUICK=1          tiny counts (the smoke test); writes build/bench/results-quick*.json
//   BENCH_SYSTEMS=a,b      measure only these systems (the others are null)
//   BENCH_OUT=path.json    where results go (detail beside it, "-detail" added)
//   BENCH_COLD=1           quick counts except for cold starts (full); results go where quick ones do
//   BENCH_FUEL_REPS=n      repeats of the fuel-overhead workloads per page load (full run: 9)
//   BENCH_FUEL_LOADS=n     fresh page loads for the fuel overhead in Chromium (full run: 5)
//   BENCH_PROFILE=1        also profile each system's cold start (bench/lib/probe.mjs)
//   BENCH_WORKLOADS=a,b    run only these workloads (bench/lib/workloads.mjs; the others are null);
//                          BENCH_WORKLOADS=none skips the workload section
//   BENCH_ONLY=workloads   only the workload section (swasgi and the peer); writes
//                          build/bench/results-workloads*.json unless BENCH_OUT says otherwise
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { APP_PATHS, buildFuelPage, buildNode, buildRuntime, micropythonVersion, OUT, pyodideVersion, ROOT } from "./lib/build.mjs";
import { launchBrowser } from "./lib/browser.mjs";
import { measureSystems, PLANS } from "./lib/measure.mjs";
import { profileColdStart } from "./lib/probe.mjs";
import { renderTable, renderWorkloads } from "./lib/report.mjs";
import { serveFolder } from "./lib/server.mjs";
import { round } from "./lib/stats.mjs";
import { floorSystem, pyodideSystem, pyodideWorkloadSystem, runtimeGzip, swasgiSystem, swasgiWorkloadSystem } from "./lib/systems.mjs";
import { measureWorkloads, WORKLOAD_PLANS, WORKLOADS, workloadFigures } from "./lib/workloads.mjs";

const quick = process.env.BENCH_QUICK === "1";
const profile = process.env.BENCH_PROFILE === "1";
const plan = { ...(process.env.BENCH_COLD === "1" ? PLANS.cold : quick ? PLANS.quick : PLANS.full) };
if (process.env.BENCH_FUEL_REPS) plan.fuelReps = Number(process.env.BENCH_FUEL_REPS);
if (process.env.BENCH_FUEL_LOADS) plan.fuelLoads = Number(process.env.BENCH_FUEL_LOADS);
const workloadPlan = WORKLOAD_PLANS[quick || process.env.BENCH_COLD === "1" ? "quick" : "full"];
const workloadsWanted = (process.env.BENCH_WORKLOADS ?? "all").trim();
const onlyWorkloads = workloadsWanted === "all" ? null : new Set(workloadsWanted === "none" ? [] : workloadsWanted.split(",").map((s) => s.trim()));
for (const name of onlyWorkloads ?? []) {
  if (!WORKLOADS.some((w) => w.name === name)) throw new Error(`BENCH_WORKLOADS: no workload "${name}" (known: ${WORKLOADS.map((w) => w.name).join(", ")}, or none)`);
}
const wanted = new Set((process.env.BENCH_SYSTEMS ?? "swasgi,floor,pyodide").split(",").map((s) => s.trim()));
const workloadsOnly = process.env.BENCH_ONLY === "workloads";
if (process.env.BENCH_ONLY && !workloadsOnly) throw new Error(`BENCH_ONLY: "${process.env.BENCH_ONLY}" is not a section (known: workloads)`);
const defaultOut = workloadsOnly ? `results-workloads${quick ? "-quick" : ""}.json` : quick || process.env.BENCH_COLD === "1" ? "results-quick.json" : null;
const outFile = path.resolve(process.env.BENCH_OUT ?? (defaultOut ? path.join(OUT, defaultOut) : path.join(ROOT, "bench/results.json")));
const detailFile = outFile.replace(/\.json$/, "-detail.json");
const started = performance.now();
const startLoad = os.loadavg()[0];
const log = (message) => console.log(`[bench ${((performance.now() - started) / 1000).toFixed(1)}s] ${message}`);


/**
 * Fuel overhead in Chromium, over `loads` fresh page loads: which functions V8 tiers up, and
 * when, differs from one load to the next and moved the ratio by several points between runs,
 * so each load compiles both runtimes anew and the figure is the median load's.
 */
async function fuelInBrowser(browser, reps, loads) {
  const dir = await buildFuelPage(log);
  const server = await serveFolder(dir);
  const results = [];
  try {
    for (let i = 0; i < loads; i++) {
      const context = await browser.newContext();
      try {
        const page = await context.newPage();
        await page.goto(`${server.url}/index.html?reps=${reps}`);
        await page.waitForFunction(() => window.fuelResult, null, { timeout: 180_000 });
        const result = await page.evaluate(() => window.fuelResult);
        if (result.error) throw new Error(`fuel page: ${result.error}`);
        results.push(result);
      } finally {
        await context.close();
      }
    }
  } finally {
    await server.close();
  }
  const sorted = [...results].sort((a, b) => a.ratio - b.ratio);
  const middle = sorted[sorted.length >> 1];
  return { ...middle, loads: results.map((r) => r.ratio) };
}

function fuelSummary(fuel) {
  const parts = Object.entries(fuel.parts).map(([name, part]) => `${name} ${part.ratio.toFixed(3)}`);
  const loads = fuel.loads ? `; page loads ${fuel.loads.map((r) => r.toFixed(3)).join(", ")}` : "";
  return `${fuel.ratio.toFixed(3)} (${parts.join(", ")}${loads})`;
}

/** The commit measured, "+dirty" when the work tree had changes. */
function gitDescribe() {
  try {
    const head = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT, encoding: "utf8" }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--untracked-files=no"], { cwd: ROOT, encoding: "utf8" }).trim();
    return dirty ? `${head}+dirty` : head;
  } catch {
    return "unknown";
  }
}

function machine() {
  const cpus = os.cpus();
  return `${cpus.length}-core ${cpus[0]?.model.trim() ?? "cpu"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, ${os.type()} ${os.release()}, Node ${process.version}`;
}

/** The figures other tools read, in the issue's exact shape. */
function figures(m, gzip) {
  if (!m) return null;
  return {
    coldStartMs: round(m.coldStart.median),
    firstVisitMs: round(m.firstVisit.median),
    warmP50Ms: round(m.warmP50.median, 3),
    warmP99Ms: round(m.warmP99.median, 3),
    throughputRps: round(m.throughput.median, 1),
    runtimeGzipBytes: gzip.total,
    swHeapBytes: m.heap.usedSize,
    tablePageP50Ms: round(m.tablePageP50.median, 3),
  };
}

function writeResults(results, detail, table) {
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  fs.writeFileSync(outFile, `${JSON.stringify(results, null, 2)}\n`);
  fs.writeFileSync(detailFile, `${JSON.stringify(detail, null, 2)}\n`);
  console.log(`\n${table}`);
  log(`wrote ${path.relative(ROOT, outFile)} and ${path.relative(ROOT, detailFile)}`);
}

/** BENCH_ONLY=workloads: the workload section alone, for working on what it measures. */
async function workloadSection() {
  log(`${quick ? "quick" : "full"} run of the workloads on ${[...wanted].filter((name) => name !== "floor").join(", ")}`);
  buildRuntime(log);
  const node = await buildNode(log);
  const systems = [];
  if (wanted.has("swasgi")) systems.push(await swasgiWorkloadSystem(node, log));
  if (wanted.has("pyodide")) systems.push(pyodideWorkloadSystem(pyodideSystem()));
  const { browser, executable } = await launchBrowser();
  let workloads;
  try {
    log(`workloads on ${systems.map((s) => s.name).join(", ")}: ${workloadPlan.warmups} warm-up and ${workloadPlan.runs} timed rounds`);
    workloads = await measureWorkloads(browser, systems, workloadPlan, log, onlyWorkloads);
  } finally {
    await browser.close();
  }
  const results = { date: new Date().toISOString(), machine: machine(), browser: `Chromium ${browser.version()} headless (${executable})`, workloads: workloadFigures(workloads) };
  const detail = {
    date: results.date,
    quick,
    versions: { swasgi: gitDescribe(), micropython: micropythonVersion(), ...pyodideVersion(), node: process.version, chromium: browser.version() },
    workloads: { plan: workloadPlan, byName: workloads },
    totalSeconds: round((performance.now() - started) / 1000, 1),
    loadAverage: { start: startLoad, end: os.loadavg()[0] },
  };
  writeResults(results, detail, `${renderWorkloads(results, detail)}\n\n${results.machine}; ${results.browser}; ${results.date}`);
}

async function main() {
  if (workloadsOnly) return workloadSection();
  log(`${quick ? "quick" : "full"} run of ${[...wanted].join(", ")}`);
  buildRuntime(log);
  const node = await buildNode(log);
  const appPy = fs.readFileSync(path.join(ROOT, "bench/app/app.py"), "utf8");
  const expected = await node.captureResponses(appPy, APP_PATHS);

  log("fuel overhead in Node");
  const fuelNode = await node.fuelNode(plan.fuelReps * plan.fuelLoads);
  log(`fuel overhead in Node: ${fuelSummary(fuelNode)}`);

  const systems = [];
  const workloadSystems = [];
  const runWorkloads = onlyWorkloads === null || onlyWorkloads.size > 0;
  if (wanted.has("swasgi")) systems.push(await swasgiSystem(node, log));
  if (wanted.has("swasgi") && runWorkloads) workloadSystems.push(await swasgiWorkloadSystem(node, log));
  if (wanted.has("floor")) systems.push(floorSystem(expected));
  if (wanted.has("pyodide")) {
    const pyodide = pyodideSystem();
    systems.push(pyodide);
    if (runWorkloads) workloadSystems.push(pyodideWorkloadSystem(pyodide));
  }

  const { browser, executable } = await launchBrowser();
  const measured = {};
  let fuelChromium;
  let workloads = null;
  try {
    log("fuel overhead in Chromium");
    fuelChromium = await fuelInBrowser(browser, plan.fuelReps, plan.fuelLoads);
    log(`fuel overhead in Chromium: ${fuelSummary(fuelChromium)}`);
    log(`measuring ${systems.map((s) => `${s.name} (${s.kind})`).join(", ")}`);
    const raw = await measureSystems(browser, systems, plan, expected, log);
    for (const system of systems) {
      measured[system.name] = { kind: system.kind, ...raw[system.name], gzip: runtimeGzip(system) };
      if (profile) {
        const runs = Math.max(3, plan.coldStarts[system.name]);
        measured[system.name].coldStartProfile = await profileColdStart(browser, system, path.join(OUT, `${system.name}-probe`), runs, log);
      }
    }
    if (workloadSystems.length) {
      log(`workloads on ${workloadSystems.map((s) => s.name).join(", ")}: ${workloadPlan.warmups} warm-up and ${workloadPlan.runs} timed rounds`);
      workloads = await measureWorkloads(browser, workloadSystems, workloadPlan, log, onlyWorkloads);
    }
  } finally {
    await browser.close();
  }

  const browserName = `Chromium ${browser.version()} headless (${executable})`;
  const results = {
    date: new Date().toISOString(),
    machine: machine(),
    browser: browserName,
    fuelOverhead: round(fuelChromium.ratio, 3),
    systems: Object.fromEntries(["swasgi", "floor", "pyodide"].map((name) => [name, figures(measured[name], measured[name]?.gzip)])),
    workloads: workloadFigures(workloads),
  };
  const detail = {
    date: results.date,
    quick,
    plan,
    versions: { swasgi: gitDescribe(), micropython: micropythonVersion(), ...pyodideVersion(), node: process.version, chromium: browser.version() },
    fuelOverhead: { chromium: fuelChromium, node: fuelNode },
    systems: measured,
    workloads: { plan: workloadPlan, byName: workloads },
    totalSeconds: round((performance.now() - started) / 1000, 1),
    // Other work on the machine during the run (1-minute load average; 2 cores).
    loadAverage: { start: startLoad, end: os.loadavg()[0] },
  };
  writeResults(results, detail, renderTable(results, detail));
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
