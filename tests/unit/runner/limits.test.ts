// CPU, memory, stack and output limits of one interpreter, against the real runtime. Every
// runaway must end as a Python error, HardStop or InterpreterDead (nothing else may leave
// exec), and afterwards a fresh interpreter on the same runtime must work.
import { afterEach, describe, expect, test } from "vitest";
import { PyError } from "../../../src/runner/ffi/convert.ts";
import { InterpreterDead } from "../../../src/runner/interpreter.ts";
import { HardStop } from "../../../src/runner/sliceClock.ts";
import { DEFAULTS, type Outcome, pyErrorType, run, type Sandbox, sandbox, settle } from "./sandboxHarness.ts";

const CAP = DEFAULTS.memoryBytes;

/** Runs `code` in a fresh sandbox and reports how it ended and how long it took. */
async function runaway(code: string, options = {}): Promise<{ box: Sandbox; outcome: Outcome; ms: number }> {
  const box = await sandbox(options);
  const t0 = performance.now();
  const outcome = run(box.py, code);
  return { box, outcome, ms: performance.now() - t0 };
}

const kind = (outcome: Outcome): string =>
  outcome instanceof HardStop ? "HardStop" : outcome instanceof InterpreterDead ? "InterpreterDead" : (pyErrorType(outcome) ?? "value");

afterEach(async () => {
  // Whatever the case did, the runtime still makes working interpreters, quickly.
  const t0 = performance.now();
  const box = await sandbox();
  const ms = performance.now() - t0;
  expect(run(box.py, "print(sum(range(10)))")).toBe(null);
  expect(box.output()).toBe("45\n");
  console.log(`fresh interpreter after the case: ${ms.toFixed(1)} ms to create`);
});

describe("CPU time", () => {
  test("an infinite loop gets KeyboardInterrupt at the deadline and the interpreter lives on", async () => {
    const { box, outcome, ms } = await runaway("while True:\n    pass");
    expect(pyErrorType(outcome)).toBe("KeyboardInterrupt");
    expect(ms).toBeGreaterThanOrEqual(DEFAULTS.timeoutMs * 0.9);
    expect(ms).toBeLessThan(5000);
    expect(box.py.dead).toBeUndefined();
    expect(run(box.py, "print('next slice')")).toBe(null);
    expect(box.output()).toContain("next slice");
  });

  test("a loop that swallows KeyboardInterrupt is stopped hard and the interpreter is dead", async () => {
    const { box, outcome } = await runaway("while True:\n    try:\n        while True: pass\n    except KeyboardInterrupt:\n        pass");
    expect(outcome).toBeInstanceOf(HardStop);
    expect(box.py.dead).toMatch(/stopped/);
    expect(() => box.py.exec("print(1)")).toThrow(InterpreterDead);
  });

  test("a finally block that loops forever is stopped hard too", async () => {
    const { outcome } = await runaway("try:\n    while True: pass\nfinally:\n    while True: pass");
    expect(outcome).toBeInstanceOf(HardStop);
  });

  test("time.sleep(100) (a busy-wait in this port) is stopped", async () => {
    const { outcome, ms } = await runaway("import time\ntime.sleep(100)");
    expect(["KeyboardInterrupt", "HardStop"]).toContain(kind(outcome));
    expect(ms).toBeLessThan(5000);
  });

  test("exponential regex backtracking in C is stopped by the clock", async () => {
    const { outcome, ms } = await runaway(`import re\nre.match("(a|a)*b", "a" * 40)`);
    expect(["KeyboardInterrupt", "HardStop"]).toContain(kind(outcome));
    expect(ms).toBeLessThan(5000);
  });

  test("re's unbounded recursion on (a*)*b overflows the native stack: only that interpreter dies", async () => {
    // re1.5 recurses without end on a starred empty match; the JS engine's stack runs out before
    // MicroPython's own C stack check, so this is a crash (InterpreterDead), not RecursionError.
    const { box, outcome } = await runaway(`import re\nre.match("(a*)*b", "a" * 40)`);
    expect(["RuntimeError", "KeyboardInterrupt", "HardStop", "InterpreterDead"]).toContain(kind(outcome));
    if (outcome instanceof InterpreterDead) {
      expect(String(outcome.cause)).toMatch(/call stack/);
      expect(box.py.dead).toMatch(/^crashed/);
    }
  });

  test.each([
    ["2 ** (10 ** 8)", "x = 2 ** (10 ** 8)"],
    ["pow(3, 10 ** 7) repeated", "for i in range(100):\n    x = pow(3, 10 ** 7)"],
    ["a huge bigint printed", "print(7 ** 1000000)"],
  ])("bigint maths (%s) is stopped or runs out of memory", async (_name, code) => {
    const { outcome, ms } = await runaway(code);
    expect(["KeyboardInterrupt", "HardStop", "MemoryError"]).toContain(kind(outcome));
    expect(ms).toBeLessThan(5000);
  });

  test("a runaway timer callback is stopped and reported, never thrown into the event loop", async () => {
    const box = await sandbox();
    const outcome = run(box.py, `
import js
def spin():
    while True:
        try:
            while True: pass
        except KeyboardInterrupt:
            pass
js.setTimeout(spin, 5)
print("scheduled")`);
    expect(outcome).toBe(null);
    await settle(DEFAULTS.timeoutMs + DEFAULTS.graceMs + 200);
    expect(box.backgroundErrors).toHaveLength(1);
    expect(box.backgroundErrors[0]).toBeInstanceOf(HardStop);
    expect(box.py.dead).toMatch(/stopped/);
  });
});

describe("stack", () => {
  test("deep Python recursion is a RecursionError/RuntimeError, not a crash", async () => {
    const { box, outcome } = await runaway("def f(n):\n    return f(n + 1)\nf(0)");
    expect(["RecursionError", "RuntimeError"]).toContain(kind(outcome));
    expect((outcome as PyError).traceback).toMatch(/recursion/);
    expect(box.py.dead).toBeUndefined();
  });

  test.each([
    ["repr of a deeply nested list", "l = []\nfor i in range(200000): l = [l]\nrepr(l)"],
    ["json.dumps of a deeply nested list", "import json\nl = []\nfor i in range(200000): l = [l]\njson.dumps(l)"],
    ["str of deeply nested dicts", "d = {}\nfor i in range(200000): d = {1: d}\nstr(d)"],
    ["== of two deeply nested lists", "a = []\nb = []\nfor i in range(200000):\n    a = [a]\n    b = [b]\na == b"],
    ["hash of deeply nested tuples", "t = ()\nfor i in range(200000): t = (t,)\nhash(t)"],
    ["parsing deeply nested brackets", `eval("[" * 100000 + "]" * 100000)`],
  ])("deep C recursion (%s) ends as an error or a dead interpreter", async (_name, code) => {
    // Some C paths check MicroPython's stack limit (RuntimeError); others (==, hash) overflow
    // the engine's stack first: InterpreterDead, with the RangeError as its cause.
    const { outcome } = await runaway(code);
    expect(["RuntimeError", "MemoryError", "KeyboardInterrupt", "HardStop", "InterpreterDead"]).toContain(kind(outcome));
    console.log(`deep C recursion, ${_name}: ${kind(outcome)}`);
  });
});

describe("memory", () => {
  test("bytearray(200_000_000) under a 64 MB cap is a MemoryError", async () => {
    const { box, outcome } = await runaway("x = bytearray(200_000_000)");
    expect(pyErrorType(outcome)).toBe("MemoryError");
    expect(box.py.memoryCap.bytes).toBeLessThanOrEqual(CAP);
    expect(box.py.dead).toBeUndefined();
  });

  test("keeping 1 MB bytearrays alive hits the cap: MemoryError, growth refused, memory within the cap", async () => {
    // Collections mark what is kept (conservatively, every word of it): give them time.
    const { box, outcome } = await runaway("kept = []\nwhile True:\n    kept.append(bytearray(1 << 20))", { timeoutMs: 5000 });
    expect(pyErrorType(outcome)).toBe("MemoryError");
    expect(box.py.memoryCap.refused).toBe(true);
    expect(box.py.memoryCap.bytes).toBeLessThanOrEqual(CAP);
    // How much Python could keep: the heap's last growth is cut to what the cap leaves.
    expect(run(box.py, "print('kept MB', len(kept))")).toBe(null);
    console.log(`memory cap ${CAP >> 20} MB: Python kept ${/kept MB (\d+)/.exec(box.output())?.[1]} x 1 MB alive, linear memory ${(box.py.memoryCap.bytes / 2 ** 20).toFixed(1)} MB`);
  });

  test.each([
    ['"x" * 10**9', 's = "x" * 10**9'],
    ["a doubling string", 's = "x"\nwhile True:\n    s = s + s'],
    ["a doubling list", "l = [0]\nwhile True:\n    l = l + l"],
    ["bytes(10**9)", "b = bytes(10**9)"],
  ])("string and container bombs (%s) are a MemoryError within the cap", async (_name, code) => {
    const { box, outcome } = await runaway(code);
    expect(pyErrorType(outcome)).toBe("MemoryError");
    expect(box.py.memoryCap.bytes).toBeLessThanOrEqual(CAP);
  });

  test("a smaller cap holds too", async () => {
    const cap = 24 << 20;
    const { box, outcome } = await runaway("kept = []\nwhile True:\n    kept.append(bytearray(1 << 18))", { memoryBytes: cap, timeoutMs: 5000 });
    expect(pyErrorType(outcome)).toBe("MemoryError");
    expect(box.py.memoryCap.bytes).toBeLessThanOrEqual(cap);
  });
});

describe("output", () => {
  test("a print flood of 100k 1 KB lines reaches onOutput without crashing the host", async () => {
    const { box, outcome, ms } = await runaway(`line = "y" * 1023\nfor i in range(100000):\n    print(line)`, { timeoutMs: 10_000 });
    expect(outcome).toBe(null);
    expect(box.outputBytes()).toBe(100_000 * 1024);
    console.log(`print flood: ${(box.outputBytes() / 2 ** 20).toFixed(0)} MB delivered in ${ms.toFixed(0)} ms`);
  });

  test("a print flood that never ends is cut by the clock", async () => {
    const { box, outcome } = await runaway(`line = "z" * 4096\nwhile True:\n    print(line)`);
    expect(["KeyboardInterrupt", "HardStop"]).toContain(kind(outcome));
    expect(box.outputBytes()).toBeGreaterThan(0);
  });
});
