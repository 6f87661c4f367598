// Python programs that keep values alive in every way the C interpreter can while it
// allocates: run under a collection at every allocation (Runtime.gcStress), each must print
// exactly what it prints without. Small, because a collection per allocation is slow.
import { Interpreter, InterpreterDead, type Runtime } from "../../../src/runner/interpreter.ts";
import { PyError } from "../../../src/runner/ffi/convert.ts";
import { GC } from "../../../src/runner/gcLayout.ts";

export const GC_PROGRAMS: Record<string, string> = {
  "dicts of fresh strings with garbage in between (shared/DESIGN.md's repro)": `
keep = []
for i in range(150):
    keep.append({"a": str(i), "b": str(i), "c": str(i), "d": str(i), "e": str(i)})
    junk = ["y" * 200 for _ in range(5)]
print([i for i, d in enumerate(keep) if not isinstance(d, dict) or d["c"] != str(i) or len(d) != 5])
print(keep[7], keep[-1]["e"])`,
  "nested containers": `
data = {"k%d" % i: [i, (str(i), {"n": [i] * 3}), {i, i + 1}] for i in range(40)}
data["self"] = [data["k1"], data["k2"]]
print(sorted(data)[:5], data["k39"], data["self"][1][1][1]["n"])
print(sum(len(v) for v in data.values()), repr(data["k3"]))`,
  "closures and default arguments": `
def make(n):
    acc = [str(n)]
    def add(x, sep="-" * 3):
        acc.append(sep + str(x))
        return "".join(acc)
    return add
fs = [make(i) for i in range(30)]
print([f(i * i) for i, f in enumerate(fs)][-3:], fs[4](7))`,
  "generators and yield from": `
def gen(n):
    for i in range(n):
        yield "g%d" % i
def outer():
    yield from gen(20)
    yield from (str(i) * 3 for i in range(20))
print(list(outer())[15:25], sum(len(x) for x in outer()))`,
  "exceptions with tracebacks": `
import io, sys
def fail(n):
    if n == 0:
        raise ValueError("bottom " + "x" * 50)
    return fail(n - 1)
out = []
for i in range(15):
    try:
        fail(i % 5)
    except ValueError as e:
        s = io.StringIO()
        sys.print_exception(e, s)
        out.append(s.getvalue().count("line"))
        out.append(str(e)[:10])
print(out)`,
  "C builtins calling back into Python": `
import re, json
words = ["w%03d" % ((i * 37) % 100) for i in range(60)]
print(sorted(words, key=lambda w: (w[2:] + w[:2], len(w)))[:4])
print(list(map(lambda w: w.upper() + "!", words))[:3], list(filter(lambda w: "1" in w, words))[:4])
print(min(words, key=lambda w: w[2:] + w), max(words, key=lambda w: str(len(w)) + w))
print("-".join(w[1:] for w in words if w.endswith("7")))
print([[c * 2 for c in w] for w in words[:3]], {w: w * 2 for w in words[:3]}, {w[:2] for w in words})
print(re.sub(r"\\d+", lambda m: "<" + m.group(0) * 2 + ">", " ".join(words[:8])))
print(json.dumps({"a": [{"b": w, "c": [1, 2.5, None, True]} for w in words[:5]], "d": {"e": "f" * 20}}))`,
  "bytes, bytearray and slicing": `
b = bytes(range(256)) * 4
ba = bytearray(b)
parts = [b[i:i + 7] for i in range(0, 300, 13)]
ba[10:20] = b"z" * 30
print(len(ba), ba[5:40], parts[3], bytes(reversed(parts[-1])), b[-17:][:5])
print(b"".join(parts)[:40].hex(), bytes(memoryview(ba)[100:110]))`,
  "string building": `
s = ""
for i in range(120):
    s += "<tr><td>%d</td><td>%s</td></tr>" % (i, "row" * (i % 4))
t = "".join("<p>" + str(i) + "</p>" for i in range(80))
print(len(s), s[-40:], len(t), t[100:140], ("%s|%r|{}" % (s[:5], t[:6])).format(len(s)))
print("x".join(str(i) for i in range(50)).split("x")[20:25], f"{s[9:20]!r:>20}")`,
  "asyncio tasks": `
import asyncio
async def worker(name, n):
    out = []
    for i in range(n):
        await asyncio.sleep(0)
        out.append(name + str(i) * 2)
    return out
async def main():
    results = await asyncio.gather(*(worker("t%d-" % k, 8) for k in range(5)))
    print([r[-1] for r in results], sum(len(r) for r in results))
    print("done")
asyncio.create_task(main())`,
  "classes, properties and dunder methods": `
class P:
    def __init__(self, x):
        self.x = [x, str(x)]
    @property
    def name(self):
        return "p" + self.x[1]
    def __repr__(self):
        return "P(%s)" % self.name
    def __eq__(self, o):
        return self.x == o.x
    def __hash__(self):
        return hash(self.x[1])
ps = [P(i) for i in range(40)]
print(ps[:3], len(set(ps + [P(1), P(2)])), P(3) in ps, {p: p.name for p in ps[:2]})`,
  "class-level operations through a classmethod __prepare__ (wasm/classOperations.mjs)": `
class Ops:
    def __init__(self, cls):
        self.names = [cls.__name__ + str(i) for i in range(cls.n)]
    def __getitem__(self, k):
        return self.names[int(k)] + "!" * 3
    def __iter__(self):
        return iter([n + "?" for n in self.names])
    def __len__(self):
        return len([n for n in self.names])
    def __contains__(self, x):
        return str(x) + "" in self.names
    def __reversed__(self):
        return iter(self.names[::-1])
class K:
    n = 30
    @classmethod
    def __prepare__(cls):
        return Ops(cls)
class L(K):
    n = 7
out = []
for i in range(20):
    out.append(K[str(i)])
    out.append(len(L))
    out.append(list(L)[-1])
    out.append(("K%d" % i) in K)
    out.append(list(reversed(L))[0] + str(i))
print(out[:10], len(out), sum(1 for x in out if x is True), sorted(K)[:3])`,
  "a dict grown past 1,024 slots, its keys moved without comparisons (wasm/spreadMapHash.mjs)": `
d = {}
for i in range(1000):
    d["k%d" % i] = [i]
    d[i] = str(i)
print(len(d), d["k999"], d[998], sum(v[0] for k, v in d.items() if isinstance(k, str)), all(d[i] == str(i) for i in range(1000)))`,
  "dict() and update() of dict subclass instances (wasm/dictSubclassUpdate.mjs)": `
from collections import OrderedDict
class D(dict):
    pass
class OD(OrderedDict):
    pass
out = []
for i in range(40):
    d = D(("k%d" % j, str(j) * 3) for j in range(i % 7 + 1))
    copy = dict(d)
    copy.update(OD(extra=str(i) + "!"))
    out.append(sorted(copy.items())[-1])
    out.append(len({} | d) + len(dict(OD(d))))
print(out[:6], len(out), sum(x for x in out if isinstance(x, int)))`,
  "a bare raise that finds the exception a caller handles (wasm/handledException.mjs)": `
def info():
    try:
        raise
    except BaseException as e:
        return e
def deep(n):
    return info() if n == 0 else deep(n - 1)
def gen(i):
    try:
        raise IndexError("g" + str(i))
    except IndexError:
        yield info().args[0]
        yield [str(j) for j in range(5)] and info().args[0]
out = []
for i in range(30):
    try:
        raise ValueError("v" * (i % 5) + str(i))
    except ValueError:
        junk = ["x" * 50 for _ in range(3)]
        out.append(deep(i % 4).args[0])
        try:
            {}[str(i)]
        except KeyError:
            out.append(deep(1).args[0])
        out.append(list(gen(i)))
        out.append(info().args[0][-2:])
print(out[:8], len(out), info().args)`,
};

/**
 * What running `code` printed, or how it failed; `collections` counts the collections it took.
 * `stress` turns on a collection at every allocation once the interpreter is up (a runtime
 * with Runtime.gcStress has it from its boot on).
 */
export async function runProgram(runtime: Runtime, code: string, options: { timeoutMs?: number; stress?: boolean; collections?: { count: number } } = {}): Promise<string> {
  const { timeoutMs = 60_000, collections = { count: 0 } } = options;
  let text = "";
  const decoder = new TextDecoder();
  let py: Interpreter;
  try {
    py = await Interpreter.create(runtime, { timeoutMs, graceMs: 500, memoryBytes: 64 << 20, onOutput: (_s, b) => (text += decoder.decode(b)) });
  } catch (error) {
    // Only a broken runtime fails to boot (a trap while MicroPython starts).
    return `[crashed at boot] ${String(error)}`;
  }
  if (options.stress) py.memory.setI32(GC.STATE + GC.ALLOC_THRESHOLD, 0);
  const before = py.collector?.collections ?? 0;
  try {
    const result = py.exec(code);
    if (result instanceof PyError) return `${text}\n[${result.type}] ${result.traceback}`;
    // Tasks run on the runtime's timers: wait for the program to say it is done.
    for (let i = 0; code.includes("create_task") && !text.includes("done") && i < 600; i++) await new Promise((r) => setTimeout(r, 50));
    collections.count = (py.collector?.collections ?? 0) - before;
    return text;
  } catch (error) {
    if (error instanceof InterpreterDead) return `${text}\n[crashed] ${String(error.cause)}`;
    throw error;
  }
}
