import { beforeAll, describe, expect, test } from "vitest";
import { type PySession, startPython } from "./loadLib.ts";

// swasgi's collections in the real runtime. Every expected value is CPython 3.11's output for the
// same snippet; where this runtime must differ, a separate test says why.

let python: PySession;
beforeAll(async () => {
  python = await startPython();
});

describe("collections", () => {
  test("defaultdict, Counter, OrderedDict.move_to_end, deque, namedtuple", () => {
    expect(python.run("import json\nfrom collections import defaultdict, Counter, OrderedDict, deque, namedtuple\nd = defaultdict(list); d[\"a\"].append(1); d[\"b\"].append(2); d[\"c\"]\nprint(list(d.items()), dict(d.items()) == {\"a\": [1], \"b\": [2], \"c\": []}, len(d), \"a\" in d, json.dumps(d), isinstance(d, dict), d.get(\"zz\"), \"zz\" in d)\nc = Counter(\"abracadabra\"); print(c.most_common(3), c[\"z\"], list(c.items()), json.dumps(c), c.total())\nc.update(\"aaz\"); c.subtract({\"b\": 1}); print(c.most_common(), (Counter(\"aab\") + Counter(\"bc\")).most_common(), (Counter(\"aab\") - Counter(\"ab\")).most_common())\nod = OrderedDict([(\"a\", 1), (\"b\", 2), (\"c\", 3)]); od.move_to_end(\"a\"); print(list(od)); od.move_to_end(\"c\", last=False); print(list(od), dict(od) == {\"a\": 1, \"b\": 2, \"c\": 3}, json.dumps(od))\nq = deque([1, 2, 3], maxlen=3); q.append(4); print(list(q), q.popleft(), list(q), len(q), q.maxlen)\nq = deque(\"abc\"); q.appendleft(\"z\"); q.rotate(1); print(list(q), q.pop(), q[0], \"a\" in q, list(deque()), bool(deque()))\nP = namedtuple(\"P\", \"x, y\"); p = P(1, y=2); print(p, json.dumps(p._asdict()), p._replace(y=5), P._fields, isinstance(p, tuple), P._make([3, 4]), p.x + p[1])\n")).toBe("[('a', [1]), ('b', [2]), ('c', [])] True 3 True {\"a\": [1], \"b\": [2], \"c\": []} True None False\n[('a', 5), ('b', 2), ('r', 2)] 0 [('a', 5), ('b', 2), ('r', 2), ('c', 1), ('d', 1)] {\"a\": 5, \"b\": 2, \"r\": 2, \"c\": 1, \"d\": 1} 11\n[('a', 7), ('r', 2), ('b', 1), ('c', 1), ('d', 1), ('z', 1)] [('a', 2), ('b', 2), ('c', 1)] [('a', 1)]\n['b', 'c', 'a']\n['c', 'b', 'a'] True {\"c\": 3, \"b\": 2, \"a\": 1}\n[2, 3, 4] 2 [3, 4] 2 3\n['c', 'z', 'a', 'b'] b c True [] False\nP(x=1, y=2) {\"x\": 1, \"y\": 2} P(x=1, y=5) ('x', 'y') True P(x=3, y=4) 3\n");
  });

  test("dict(), update() and | copy a defaultdict, a Counter and any dict or OrderedDict subclass", () => {
    // The runtime copies the subclass instance's stored items (wasm/dictSubclassUpdate.mjs), as
    // CPython does: D's own __getitem__ and keys() are not asked.
    expect(python.run(`
from collections import defaultdict, Counter, OrderedDict
dd = defaultdict(int, {'ab': 1, 'cd': 2})
dd['ef'] += 3
c = Counter('hello')
class D(dict):
    def __getitem__(self, k):
        return 'overridden'
    def keys(self):
        return ['zz']
class OD(OrderedDict):
    pass
d = D(ab=1, cd=2)
od = OD([('x', 1), ('y', 2)])
print(sorted(dict(dd).items()), sorted(dict(c).items()), sorted(dict(d).items()), sorted(dict(od).items()), type(dict(dd)) is dict)
e = {'k': 0}
e.update(dd)
e.update(d, extra=9)
print(sorted(e.items()))
print(sorted(({} | dd).items()), sorted(OrderedDict(dd).items()), dict(dd, ab=7)['ab'], dict(defaultdict(list)), dict(D()), dict(od) == {'x': 1, 'y': 2})
x = {}
x |= od
dd.update(d)
print(sorted(x.items()), sorted(dd.items()))
`)).toBe(
      "[('ab', 1), ('cd', 2), ('ef', 3)] [('e', 1), ('h', 1), ('l', 2), ('o', 1)] [('ab', 1), ('cd', 2)] [('x', 1), ('y', 2)] True\n" +
        "[('ab', 1), ('cd', 2), ('ef', 3), ('extra', 9), ('k', 0)]\n" +
        "[('ab', 1), ('cd', 2), ('ef', 3)] [('ab', 1), ('cd', 2), ('ef', 3)] 7 {} {} True\n" +
        "[('x', 1), ('y', 2)] [('ab', 1), ('cd', 2), ('ef', 3)]\n",
    );
  });

  test("other iterables of pairs are still read as pairs", () => {
    expect(python.run(`
class Pairs:
    def __iter__(self):
        return iter([('a', 1), ('b', 2)])
class L(list):
    pass
print(sorted(dict(Pairs()).items()), sorted(dict(L([('x', 1)])).items()), dict([('k', 'v')]), dict(zip('ab', 'cd')) == {'a': 'c', 'b': 'd'})
try:
    dict(['abc'])
except ValueError as e:
    print('ValueError')
`)).toBe("[('a', 1), ('b', 2)] [('x', 1)] {'k': 'v'} True\nValueError\n");
  });
});
