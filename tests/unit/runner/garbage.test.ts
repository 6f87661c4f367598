// Garbage is collected inside a synchronous run (wasm/spillPointers.mjs keeps every live value
// on the shadow stack; src/runner/collector.ts marks it), so what one run throws away does not
// count against the memory cap: only what it keeps alive does.
import { expect, test } from "vitest";
import { run, sandbox } from "./sandboxHarness.ts";

const MB = 1 << 20;

test("one synchronous exec throws away 1,000 MB in 1 MB bytearrays under a 64 MB cap", async () => {
  const box = await sandbox({ timeoutMs: 20_000 });
  expect(run(box.py, `
n = 0
for i in range(1000):
    b = bytearray(1 << 20)
    n += 1
print(n)`)).toBe(null);
  expect(box.output()).toBe("1000\n");
  expect(box.py.memoryCap.refused).toBe(false);
  // The heap stays near what is alive at once, far below the cap.
  expect(box.py.memoryCap.bytes).toBeLessThanOrEqual(32 * MB);
  console.log(`garbage: 1000 MB thrown away in one exec; linear memory ${(box.py.memoryCap.bytes / MB).toFixed(1)} MB, ${box.py.collector?.collections} collections`);
});

test("what a run keeps alive still meets the cap: MemoryError, and the next entry works", async () => {
  const box = await sandbox({ timeoutMs: 20_000 });
  expect(run(box.py, `
kept = []
try:
    while True:
        kept.append(bytearray(1 << 20))
except MemoryError:
    n = len(kept)
    kept = None
print(n)`)).toBe(null);
  const kept = Number(box.output().trim());
  console.log(`garbage: ${kept} x 1 MB kept alive under a 64 MB cap`);
  // memoryMb is about live memory now: most of the cap holds live data.
  expect(kept).toBeGreaterThan(48);
  expect(box.py.memoryCap.bytes).toBeLessThanOrEqual(64 * MB);
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

// asyncio's _run_iter keeps running tasks that are ready at once, so a task that only awaits
// sleep(0) never returns to JS: all its iterations are one slice, collected inside it.
test("garbage across await asyncio.sleep_ms(0) is collected", async () => {
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

test("building a 1 MB string with s += 'x' * 1000 1k times in one exec works under 64 MB", async () => {
  // About 500 MB of garbage (each step copies the string so far), collected as it goes. Each
  // step also hashes the whole new string (MicroPython hashes every string it makes), so s +=
  // stays quadratic in time: 10k steps of 100 bytes take seconds.
  const box = await sandbox({ timeoutMs: 20_000 });
  expect(run(box.py, `s = ""\nfor i in range(1000):\n    s += "x" * 1000\nprint(len(s))`)).toBe(null);
  expect(box.output()).toBe("1000000\n");
});

test("data that only grows is marked at few heap sizes: the heap grows to 4x what is live", async () => {
  // A dict of 100,000 keys keeps nearly all it allocates, so each collection on its way finds
  // the heap almost all live. Growing to 4x the live data leaves room for 3x of it before the
  // next collection; doubling the heap had it collected (and everything marked) at 1, 2 and 4 MB.
  const box = await sandbox({ timeoutMs: 10_000 });
  const before = box.py.collector?.collections ?? 0;
  expect(run(box.py, `d = {}\nfor i in range(100000):\n    d["key-%d" % i] = i\nprint(len(d))`)).toBe(null);
  expect(box.output()).toBe("100000\n");
  const collections = (box.py.collector?.collections ?? 0) - before;
  console.log(`garbage: a 100,000-key dict built with ${collections} collections`);
  expect(collections).toBeGreaterThan(0);
  expect(collections).toBeLessThanOrEqual(2);
});
