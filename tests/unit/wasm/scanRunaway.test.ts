// The real runtime: Python that spends its time in scan loops (C loops charged once per run
// instead of checked per iteration, wasm/boundedLoops.mjs) is still stopped at its time limit.
// Comparing equal 12 MB objects runs memcmp's scans over the whole buffer each time; if those
// runs were not charged, the Python loop around them would go ~20000 / 15 iterations between two
// looks at the clock (measured with the charge removed: stopped after 8 s instead of 0.4 s).
import { expect, test } from "vitest";
import { HardStop } from "../../../src/runner/sliceClock.ts";
import { DEFAULTS, pyErrorType, run, sandbox } from "../runner/sandboxHarness.ts";

// Past the deadline, a stop may take the grace period plus one scan of memory (tens of ms) and
// a loaded machine's slack; an uncharged scan loop would take seconds.
const STOPPED_BY = DEFAULTS.timeoutMs + DEFAULTS.graceMs + 1200;

const SWALLOW = (setup: string, body: string) =>
  `${setup}\nwhile True:\n    try:\n        while True:\n            ${body}\n    except KeyboardInterrupt:\n        pass`;

test.each([
  ["equal bytes", SWALLOW("a = bytes(12_000_000)\nb = bytes(12_000_000)", "a == b")],
  ["equal strs built at run time", SWALLOW('n = 6_000_000\na = "ab" * n\nb = "ab" * n', "a == b")],
])("comparing %s forever is stopped hard in time", async (_name, code) => {
  const box = await sandbox();
  const t0 = performance.now();
  const outcome = run(box.py, code);
  const ms = performance.now() - t0;
  expect(outcome).toBeInstanceOf(HardStop);
  expect(ms).toBeLessThan(STOPPED_BY);
});

test("comparing big buffers in a loop gets KeyboardInterrupt at the deadline", async () => {
  const box = await sandbox();
  const t0 = performance.now();
  const outcome = run(box.py, "a = bytes(12_000_000)\nb = bytes(12_000_000)\nwhile True:\n    a == b");
  const ms = performance.now() - t0;
  expect(pyErrorType(outcome)).toBe("KeyboardInterrupt");
  expect(ms).toBeGreaterThanOrEqual(DEFAULTS.timeoutMs * 0.9);
  expect(ms).toBeLessThan(STOPPED_BY);
  expect(box.py.dead).toBeUndefined();
});
