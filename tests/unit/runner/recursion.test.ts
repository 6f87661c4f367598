// Stack room: the interpreter's C stack (src/runner/collector.ts) fits 1,000 Python calls, and
// recursion past MicroPython's limit ends in its RuntimeError in every shape tried, never in the
// engine's RangeError (which would kill the interpreter: InterpreterDead).
import { expect, test } from "vitest";
import { PyError } from "../../../src/runner/ffi/convert.ts";
import { run, sandbox } from "./sandboxHarness.ts";

test("a recursive function 1,000 calls deep returns", async () => {
  const box = await sandbox({ timeoutMs: 5000 });
  expect(run(box.py, "def f(n):\n    return 0 if n == 0 else 1 + f(n - 1)\nprint(f(1000))")).toBe(null);
  expect(box.output()).toBe("1000\n");
});

test("frames unwound by exceptions (longjmp through spilled frames) give the C stack back", async () => {
  const box = await sandbox({ timeoutMs: 5000 });
  expect(box.py.collector?.stackInUse()).toBe(0);
  expect(run(box.py, `
def deep(n):
    if n == 0:
        raise ValueError("x" * 20)
    return [deep(n - 1)]
caught = 0
for i in range(2000):
    try:
        deep(i % 50)
    except ValueError:
        caught += 1
try:
    deep(5000)
except RuntimeError:
    caught += 1
print(caught)`)).toBe(null);
  expect(box.output()).toBe("2001\n");
  expect(box.py.collector?.stackInUse()).toBe(0);
});

test.each([
  ["a plain function", "def f(n):\n    return f(n + 1)\nf(0)"],
  ["a method", "class A:\n    def m(self, n):\n        return self.m(n + 1)\nA().m(0)"],
  ["*args and **kwargs", "def f(n, *a, **k):\n    return f(n + 1, 1, 2, x=3)\nf(0)"],
  ["__init__", "class A:\n    def __init__(self, n):\n        self.c = A(n + 1)\nA(0)"],
  ["__repr__", "class A:\n    def __repr__(self):\n        return repr(A())\nrepr(A())"],
  ["sorted(key=)", "def f(n):\n    return sorted([1, 2], key=lambda x: f(n + 1))\nf(0)"],
  ["map", "def f(n):\n    return list(map(lambda x: f(n + 1), [1]))\nf(0)"],
  ["yield from", "def g(n):\n    yield from g(n + 1)\nlist(g(0))"],
  ["__getattr__", "class A:\n    def __getattr__(self, k):\n        return getattr(self, k)\nA().a"],
  ["try/finally", "def f(n):\n    try:\n        return f(n + 1)\n    finally:\n        pass\nf(0)"],
  ["a lambda", "f = lambda n: f(n + 1)\nf(0)"],
  ["%s of __str__", "class A:\n    def __str__(self):\n        return '%s' % A()\nstr(A())"],
  ["__eq__", "class A:\n    def __eq__(self, o):\n        return A() == A()\nA() == A()"],
  ["a list comprehension", "def f(n):\n    return [f(n + 1) for _ in [1]]\nf(0)"],
  ["str.join over a generator", "def f(n):\n    return ''.join(f(n + 1) for _ in [1])\nf(0)"],
])("unbounded recursion through %s is a RuntimeError (maximum recursion depth exceeded)", async (_shape, code) => {
  const box = await sandbox({ timeoutMs: 5000 });
  const outcome = run(box.py, code);
  expect(outcome).toBeInstanceOf(PyError);
  expect((outcome as PyError).type).toBe("RuntimeError");
  expect(box.py.dead).toBeUndefined();
  // The message (the traceback above it is a thousand lines long).
  const indented = code.split("\n").map((line) => "    " + line).join("\n");
  expect(run(box.py, `try:\n${indented}\nexcept RuntimeError as e:\n    print(e)`)).toBe(null);
  // MicroPython says which stack ran out: its C stack check, or its Python stack (pystack).
  expect(box.output()).toMatch(/^(?:maximum recursion depth exceeded|pystack exhausted)\n$/);
  expect(run(box.py, "print('alive')")).toBe(null);
});
