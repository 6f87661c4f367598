// MicroPython collects garbage only when control is back at a top-level entry (exec, call, a
// timer): the wasm stack cannot be scanned, so a collection inside a run is deferred (DESIGN.md).
// These tests measure what that means under a 64 MB cap and pin the figures the bridge relies on.
import { expect, test } from "vitest";
import { run, sandbox } from "./sandboxHarness.ts";

const MB = 1 << 20;

test("one synchronous exec can allocate only a few dozen throw-away 1 MB bytearrays", async () => {
  const box = await sandbox({ timeoutMs: 5000 });
  expect(run(box.py, `
n = 0
try:
    for i in range(1000):
        b = bytearray(1 << 20)
        n += 1
except MemoryError:
    pass
print(n)`)).toBe(null);
  const reached = Number(box.output().trim());
  console.log(`garbage: one exec allocated ${reached} throw-away 1 MB bytearrays under a 64 MB cap before MemoryError`);
  expect(reached).toBeGreaterThan(10);
  expect(reached).toBeLessThan(64);
  expect(box.py.memoryCap.refused).toBe(true);
  expect(box.py.memoryCap.bytes).toBeLessThanOrEqual(64 * MB);
  // The next top-level entry collects: the interpreter is usable again at once.
  expect(run(box.py, "b = bytearray(1 << 20)\nprint('again')")).toBe(null);
  expect(box.output()).toContain("again");
});

test("the same garbage split across separate execs never fails: each entry collects", async () => {
  const box = await sandbox({ timeoutMs: 5000 });
  // 300 MB in total, 1 MB per exec, then 20 MB per exec: well past the cap, never at once.
  for (let i = 0; i < 300; i++) expect(run(box.py, "b = bytearray(1 << 20)")).toBe(null);
  for (let i = 0; i < 15; i++) {
    expect(run(box.py, "for i in range(20):\n    b = bytearray(1 << 20)")).toBe(null);
  }
  expect(box.py.memoryCap.bytes).toBeLessThanOrEqual(64 * MB);
  console.log(`garbage: 600 MB over 315 execs fine; linear memory ${(box.py.memoryCap.bytes / MB).toFixed(1)} MB`);
});

const CHURN = (sleepMs: number) => `
import asyncio
async def churn():
    for i in range(200):
        b = bytearray(1 << 20)
        await asyncio.sleep_ms(${sleepMs})
    print("churned", i + 1)
asyncio.create_task(churn())`;

test("the same garbage split across awaits that wait never fails: each wake-up is a timer callback, an entry", async () => {
  const box = await sandbox({ timeoutMs: 5000 });
  run(box.py, CHURN(1));
  for (let i = 0; i < 100 && !box.output(); i++) await new Promise((resolve) => setTimeout(resolve, 20));
  expect(box.output()).toBe("churned 200\n");
});

// Known limitation: asyncio's _run_iter keeps running tasks that are ready at once, so a task
// that only awaits sleep(0) never returns to JS: all its iterations are one slice (one CPU
// budget, no garbage collection). It ends in MemoryError after about 27 iterations here.
test.fails("garbage across await asyncio.sleep_ms(0) is collected", async () => {
  const box = await sandbox({ timeoutMs: 5000 });
  run(box.py, CHURN(0));
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect(box.output()).toBe("churned 200\n");
});

test("building a 1 MB string with str.join in one exec works under 64 MB", async () => {
  const box = await sandbox({ timeoutMs: 5000 });
  expect(run(box.py, `s = "".join(str(i) for i in range(200000))\nprint(len(s))`)).toBe(null);
  expect(box.output()).toBe("1088890\n");
});

test("building a 1 MB string with a list of pieces and join in one exec works under 64 MB", async () => {
  const box = await sandbox({ timeoutMs: 5000 });
  expect(run(box.py, `parts = []\nfor i in range(10000):\n    parts.append("x" * 100)\ns = "".join(parts)\nprint(len(s))`)).toBe(null);
  expect(box.output()).toBe("1000000\n");
});

test("how far s += piece gets in one exec (each step leaves the previous string as garbage)", async () => {
  const box = await sandbox({ timeoutMs: 5000 });
  expect(run(box.py, `
s = ""
try:
    for i in range(10000):
        s += "x" * 100
except MemoryError:
    pass
print(len(s))`)).toBe(null);
  const length = Number(box.output().trim());
  console.log(`garbage: s += "x" * 100 reached ${length} characters in one exec under a 64 MB cap`);
  expect(length).toBeGreaterThan(0);
});

// Known limitation, not a bug of swasgi's code: the quadratic garbage of `s +=` (about 5 GB for
// 1 MB built 100 bytes at a time) cannot be collected inside one run, so this hits MemoryError
// at about 80 KB. It is kept as an expected failure: it starts passing (and vitest then says
// so) if collection inside a run ever becomes possible.
test.fails("building a 1 MB string with s += 'x' * 100 10k times in one exec works under 64 MB", async () => {
  const box = await sandbox({ timeoutMs: 5000 });
  expect(run(box.py, `s = ""\nfor i in range(10000):\n    s += "x" * 100\nprint(len(s))`)).toBe(null);
  expect(box.output()).toBe("1000000\n");
});
