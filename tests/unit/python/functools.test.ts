import { beforeAll, describe, expect, test } from "vitest";
import { type PySession, startPython } from "./loadLib.ts";

// swasgi's functools in the real runtime. Every expected value is CPython 3.11's output for the
// same snippet; where this runtime must differ, a separate test says why.

let python: PySession;
beforeAll(async () => {
  python = await startPython();
});

describe("functools", () => {
  test("lru_cache and cache, with and without arguments", () => {
    expect(python.run("from functools import lru_cache, cache\ncalls = []\n@lru_cache\ndef fib(n):\n    calls.append(n)\n    return n if n < 2 else fib(n - 1) + fib(n - 2)\nprint(fib(20), len(calls), fib.cache_info())\n@lru_cache(maxsize=2)\ndef sq(x):\n    calls.append(x)\n    return x * x\ncalls.clear(); sq(1); sq(2); sq(1); sq(3); sq(2)\nprint(calls, sq.cache_info().hits, sq.cache_info().currsize)\nsq.cache_clear(); print(sq.cache_info())\n@cache\ndef f(a, b=1):\n    calls.append((a, b))\n    return a + b\ncalls.clear(); f(1); f(1); f(1, b=2); print(calls, f.cache_info().hits)\nclass C:\n    @lru_cache(maxsize=None)\n    def m(self, x):\n        return x * 3\nprint(C().m(2))\n")).toBe("6765 21 CacheInfo(hits=18, misses=21, maxsize=128, currsize=21)\n[1, 2, 3, 2] 1 2\nCacheInfo(hits=0, misses=0, maxsize=2, currsize=0)\n[(1, 1), (1, 2)] 1\n6\n");
  });
  test("partial, reduce, wraps, cmp_to_key, total_ordering", () => {
    expect(python.run("from functools import partial, reduce, wraps, cmp_to_key, total_ordering\ndef power(base, exp=2, *, mod=None):\n    return base ** exp if mod is None else pow(base, exp, mod)\np = partial(power, exp=3); q = partial(p, mod=5)\nprint(p(2), p(2, exp=4), q(3), p.func is power, p.args, p.keywords)\nprint(reduce(lambda a, b: a * b, [1, 2, 3, 4]), reduce(lambda a, b: a + b, [], 10))\ndef deco(fn):\n    @wraps(fn)\n    def inner(*a):\n        return fn(*a) + 1\n    return inner\n@deco\ndef one():\n    return 1\nprint(one())\nprint(sorted([3, 1, 2], key=cmp_to_key(lambda a, b: b - a)))\n@total_ordering\nclass V:\n    def __init__(self, v):\n        self.v = v\n    def __eq__(self, o):\n        return self.v == o.v\n    def __lt__(self, o):\n        return self.v < o.v\nprint(V(1) <= V(2), V(3) >= V(2), V(2) > V(2), V(2) >= V(2))\n")).toBe("8 16 2 True () {'exp': 3}\n24 10\n2\n[3, 2, 1]\nTrue True False True\n");
  });
});
