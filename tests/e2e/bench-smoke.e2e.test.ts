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
const FIGURES = ["coldStartMs", "firstVisitMs", "warmP50Ms", "warmP99Ms", "throughputRps", "runtimeGzipBytes", "swHeapBytes", "tablePageP50Ms"];
const dir = mkdtempSync(path.join(tmpdir(), "swasgi-bench-"));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("npm run bench, quick: all three systems measured, results in the published shape", async () => {
  const out = path.join(dir, "results.json");
  const run = await promisify(execFile)(process.execPath, [path.join(ROOT, "bench/run.mjs")], {
    cwd: ROOT,
    env: { ...process.env, BENCH_QUICK: "1", BENCH_OUT: out },
    timeout: 90_000,
    maxBuffer: 16 << 20,
  }).catch((error: Error & { stdout?: string; stderr?: string }) => {
    throw new Error(`${error.message}\n${error.stdout ?? ""}\n${error.stderr ?? ""}`);
  });
  expect(run.stdout).toContain("| target | measured |");

  const results = JSON.parse(readFileSync(out, "utf8"));
  expect(Object.keys(results).sort()).toEqual(["browser", "date", "fuelOverhead", "machine", "systems"]);
  expect(results.fuelOverhead).toBeGreaterThan(0.5);
  expect(Object.keys(results.systems).sort()).toEqual(["floor", "pyodide", "swasgi"]);
  for (const [name, figures] of Object.entries(results.systems as Record<string, Record<string, number>>)) {
    expect(Object.keys(figures).sort(), name).toEqual([...FIGURES].sort());
    for (const figure of FIGURES) expect(figures[figure], `${name}.${figure}`).toBeGreaterThan(0);
  }
  const detail = JSON.parse(readFileSync(path.join(dir, "results-detail.json"), "utf8"));
  expect(detail.quick).toBe(true);
  expect(detail.systems.swasgi.warmErrors).toBe(0);
  expect(detail.systems.pyodide.throughputErrors).toBe(0);
}, 120_000);
