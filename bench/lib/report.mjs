// Renders the benchmark figures as the Markdown tables BENCHMARKS.md holds.
import { WORKLOADS } from "./workloads.mjs";

const ROWS = [
  ["coldStart", "coldStartMs", "cold start to first byte (ms)", "ms"],
  ["firstVisit", "firstVisitMs", "first visit to first byte (ms)", "ms"],
  ["warmP50", "warmP50Ms", "warm p50 (ms)", "ms"],
  ["warmP99", "warmP99Ms", "warm p99 (ms)", "ms"],
  ["throughput", "throughputRps", "throughput, 32 concurrent (req/s)", "rps"],
  ["gzip", "runtimeGzipBytes", "runtime transfer, gzip -9 (bytes)", "bytes"],
  ["heap", "swHeapBytes", "peak SW JS heap (bytes)", "bytes"],
  ["tablePageP50", "tablePageP50Ms", "100-row table page p50 (ms)", "ms"],
];

function num(v, unit) {
  if (v === null || v === undefined) return "n/a";
  if (unit === "bytes") return v.toLocaleString("en-US");
  if (unit === "rps") return v.toFixed(0);
  return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2);
}

function cell(results, detail, system, row) {
  const f = results.systems[system];
  if (!f) return "n/a";
  const value = f[row[1]];
  const s = detail.systems[system]?.[row[0]];
  if (s && typeof s.min === "number" && s.runs?.length > 1) return `${num(value, row[3])} (${num(s.min, row[3])}–${num(s.max, row[3])})`;
  return num(value, row[3]);
}

function ratio(a, b) {
  if (a === null || a === undefined || b === null || b === undefined || b === 0) return "n/a";
  const r = a / b;
  return r >= 100 ? `${r.toFixed(0)}×` : r >= 10 ? `${r.toFixed(1)}×` : `${r.toFixed(2)}×`;
}

/** Targets of issue 6, checked against a results.json. */
export function targets(results) {
  const s = results.systems.swasgi;
  const f = results.systems.floor;
  const p = results.systems.pyodide;
  const check = (ok) => (ok === null ? "n/a" : ok ? "met" : "**missed**");
  const has = (...v) => v.every((x) => x !== null && x !== undefined);
  return [
    ["cold start within 30 ms of the floor", has(s?.coldStartMs, f?.coldStartMs) ? `+${(s.coldStartMs - f.coldStartMs).toFixed(1)} ms` : "n/a", check(has(s?.coldStartMs, f?.coldStartMs) ? s.coldStartMs - f.coldStartMs <= 30 : null)],
    ["cold start ≥ 50× faster than the Pyodide peer", has(s?.coldStartMs, p?.coldStartMs) ? ratio(p.coldStartMs, s.coldStartMs) : "n/a", check(has(s?.coldStartMs, p?.coldStartMs) ? p.coldStartMs / s.coldStartMs >= 50 : null)],
    ["warm p50 within 0.3 ms of the floor", has(s?.warmP50Ms, f?.warmP50Ms) ? `+${(s.warmP50Ms - f.warmP50Ms).toFixed(2)} ms` : "n/a", check(has(s?.warmP50Ms, f?.warmP50Ms) ? s.warmP50Ms - f.warmP50Ms <= 0.3 : null)],
    ["throughput ≥ 90 % of the floor", has(s?.throughputRps, f?.throughputRps) ? `${((100 * s.throughputRps) / f.throughputRps).toFixed(0)} %` : "n/a", check(has(s?.throughputRps, f?.throughputRps) ? s.throughputRps / f.throughputRps >= 0.9 : null)],
    ["first visit to first byte ≤ 400 ms", has(s?.firstVisitMs) ? `${s.firstVisitMs.toFixed(0)} ms` : "n/a", check(has(s?.firstVisitMs) ? s.firstVisitMs <= 400 : null)],
    ["runtime transfer ≤ 250 KB gzip", has(s?.runtimeGzipBytes) ? `${(s.runtimeGzipBytes / 1000).toFixed(1)} KB` : "n/a", check(has(s?.runtimeGzipBytes) ? s.runtimeGzipBytes <= 250_000 : null)],
    ["fuel overhead ≤ 5 %", has(results.fuelOverhead) ? `+${((results.fuelOverhead - 1) * 100).toFixed(1)} %` : "n/a", check(has(results.fuelOverhead) ? results.fuelOverhead <= 1.05 : null)],
    ["100-row table page: swasgi vs the peer (report)", has(s?.tablePageP50Ms, p?.tablePageP50Ms) ? `${s.tablePageP50Ms.toFixed(2)} vs ${p.tablePageP50Ms.toFixed(2)} ms` : "n/a", "reported"],
  ];
}

/** One workload cell: median (min–max) in ms, or why there is none. */
function workloadCell(figure, error, summary) {
  if (error) return `failed (${/^\d+(?: [a-z-]+)?(?=:)/.exec(error)?.[0] ?? "error"})`;
  if (figure === null || figure === undefined) return "n/a";
  if (summary && typeof summary.min === "number" && summary.runs?.length > 1) return `${num(figure, "ms")} (${num(summary.min, "ms")}–${num(summary.max, "ms")})`;
  return num(figure, "ms");
}

/** The workload table (ratio swasgi / peer against each issue's goal), then each failure in full. */
export function renderWorkloads(results, detail) {
  const byName = detail.workloads?.byName ?? {};
  const lines = [
    "| workload (ms, median, min–max) | swasgi | Pyodide peer | swasgi / peer | goal |",
    "| --- | --- | --- | --- | --- |",
  ];
  const failures = [];
  for (const w of WORKLOADS) {
    const f = results.workloads?.[w.name];
    const m = byName[w.name];
    if (!f || !m) continue;
    const has = f.swasgiMs !== null && f.pyodideMs !== null;
    const verdict = has ? (f.swasgiMs / f.pyodideMs <= w.goal ? "met" : "**missed**") : f.swasgiError ? "**failed**" : "n/a";
    lines.push(`| ${m.label} | ${workloadCell(f.swasgiMs, f.swasgiError, m.swasgi)} | ${workloadCell(f.pyodideMs, f.pyodideError, m.pyodide)} | ${ratio(f.swasgiMs, f.pyodideMs)} | ≤ ${w.goal}×: ${verdict} |`);
    if (f.swasgiError) failures.push(`- ${m.label}, swasgi: ${f.swasgiError}`);
    if (f.pyodideError) failures.push(`- ${m.label}, Pyodide peer: ${f.pyodideError}`);
  }
  if (lines.length === 2) return "";
  return [...lines, ...(failures.length ? ["", "Failed:", ...failures] : [])].join("\n");
}

export function renderTable(results, detail) {
  const lines = [
    "| figure (median, min–max) | swasgi | floor | Pyodide peer | swasgi / floor | swasgi / peer |",
    "| --- | --- | --- | --- | --- | --- |",
  ];
  for (const row of ROWS) {
    const v = (name) => results.systems[name]?.[row[1]];
    lines.push(`| ${row[2]} | ${cell(results, detail, "swasgi", row)} | ${cell(results, detail, "floor", row)} | ${cell(results, detail, "pyodide", row)} | ${ratio(v("swasgi"), v("floor"))} | ${ratio(v("swasgi"), v("pyodide"))} |`);
  }
  const fuel = detail.fuelOverhead;
  lines.push(`| fuel overhead (instrumented / original) | ${results.fuelOverhead.toFixed(3)} in Chromium, ${fuel.node.ratio.toFixed(3)} in Node | | | | |`);
  lines.push("", "| target | measured | |", "| --- | --- | --- |");
  for (const [what, measured, verdict] of targets(results)) lines.push(`| ${what} | ${measured} | ${verdict} |`);
  const workloads = renderWorkloads(results, detail);
  if (workloads) lines.push("", workloads);
  lines.push("", `${results.machine}; ${results.browser}; ${results.date}`);
  return lines.join("\n");
}
