// A quick run of the benchmark harness (`npm run bench` with tiny counts) so it cannot rot:
// every system builds, starts in Chromium, answers the app's bytes, and every figure comes out
// in the shape bench/results.json promises. No timing is asserted here (DESIGN: targets live
// in the benchmark, never in a timed test).
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, expect, test } from "vitest";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const WORKLOADS = ["tableConcat", "tableJoin", "jsonRoundTrip", "dictStringKeys", "sortStrings", "parseForm", "throwawayStrings", "sqliteInsert", "sqliteLookups", "sqliteTablePage"];
const FIGURES = ["coldStartMs", "firstVisitMs", "warmP50Ms", "warmP99Ms", "throughputRps", "runtimeGzipBytes", "swHeapBytes", "tablePageP50Ms"];
const dir = mkdtempSync(path.join(tmpdir(), "swasgi-bench-"));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface WorkloadFigure {
  swasgiMs: number | null;
  pyodideMs: number | null;
  swasgiError?: string;
  pyodideError?: string;
}

test("npm run bench, quick: all three systems measured, results in the published shape", async () => {
  const out = path.join(dir, "results.json");
  const run = await promisify(execFile)(process.execPath, [path.join(ROOT, "bench/run.mjs")], {
    cwd: ROOT,
    env: { ...process.env, BENCH_QUICK: "1", BENCH_OUT: out },
    timeout: 150_000,
    maxBuffer: 16 << 20,
  }).catch((error: Error & { stdout?: string; stderr?: string }) => {
    throw new Error(`${error.message}\n${error.stdout ?? ""}\n${error.stderr ?? ""}`);
  });
  expect(run.stdout).toContain("| target | measured |");
  expect(run.stdout).toContain("| workload (ms, median, min–max) | swasgi | Pyodide peer | swasgi / peer | goal |");

  const results = JSON.parse(readFileSync(out, "utf8"));
  expect(Object.keys(results).sort()).toEqual(["browser", "date", "fuelOverhead", "machine", "systems", "workloads"]);
  // A plausible ratio: the instrumented wasm runs faster than the published original (its
  // setjmp calls no longer leave the wasm, BENCHMARKS.md), 0.6-0.7 in full runs; the quick
  // run's few repeats on a busy machine have given 0.46.
  expect(results.fuelOverhead).toBeGreaterThan(0.3);
  expect(results.fuelOverhead).toBeLessThan(1.5);
  expect(Object.keys(results.systems).sort()).toEqual(["floor", "pyodide", "swasgi"]);
  for (const [name, figures] of Object.entries(results.systems as Record<string, Record<string, number>>)) {
    expect(Object.keys(figures).sort(), name).toEqual([...FIGURES].sort());
    for (const figure of FIGURES) expect(figures[figure], `${name}.${figure}`).toBeGreaterThan(0);
  }
  // Workloads: the peer runs every one (its CPython has sqlite3); swasgi runs the rest at the quick
  // sizes, with the peer's exact answers. SQLite on swasgi: a time, or, while swasgi has no
  // `sqlite3`, null with the app's 501 (ImportError): a note, not a crashed bench.
  const workloads = results.workloads as Record<string, WorkloadFigure>;
  expect(Object.keys(workloads).sort()).toEqual([...WORKLOADS].sort());
  for (const [name, figure] of Object.entries(workloads)) {
    expect(figure.pyodideError, name).toBeUndefined();
    expect(figure.pyodideMs, `${name} on the peer`).toBeGreaterThan(0);
    if (name.startsWith("sqlite") && figure.swasgiMs === null) {
      expect(figure.swasgiError, `${name} on swasgi`).toMatch(/^501: ImportError: /);
    } else {
      expect(figure.swasgiError, name).toBeUndefined();
      expect(figure.swasgiMs, `${name} on swasgi`).toBeGreaterThan(0);
    }
  }
  const detail = JSON.parse(readFileSync(path.join(dir, "results-detail.json"), "utf8"));
  expect(detail.quick).toBe(true);
  expect(detail.systems.swasgi.warmErrors).toBe(0);
  expect(detail.systems.pyodide.throughputErrors).toBe(0);
}, 180_000);
