// Every known way out of the MicroPython sandbox, each its own test. None may obtain a real JS
// value: the probes try to run `globalThis.__pwned = 1` and read `process.env` through whatever
// they get, and `expectContained` checks that neither happened, that no JS exception other than
// HardStop/InterpreterDead left `exec`, and that Python still runs afterwards.
import { describe, expect, test } from "vitest";
import { PyError } from "../../../src/runner/ffi/convert.ts";
import { ffiImports } from "../../../src/runner/ffi/ffiImports.ts";
import { HostFunction, JsRecord, Namespace, PyBigInt, PyFloat, PyHandle } from "../../../src/runner/ffi/records.ts";
import { Interpreter, InterpreterDead } from "../../../src/runner/interpreter.ts";
import { loadRuntimeNode } from "../../../src/runner/loadRuntimeNode.ts";
import { CANARY, expectContained, pyErrorType, run, type Sandbox, sandbox, settle } from "./sandboxHarness.ts";

/**
 * Python helpers every attack starts with. `escalate(label, v)` tries each way from a JS value
 * to a function that runs CODE (constructor chains, call/apply/bind, `new`, subscripts, kwargs,
 * stores) and prints "GOT" for anything that returned more than undefined; it follows JsProxy
 * results one level deeper.
 */
const PRELUDE = String.raw`
import js, jsffi, sys, gc
CODE = "globalThis.__pwned = 1; return globalThis.process && globalThis.process.env.SWASGI_ESCAPE_CANARY"
UNDEFINED = repr(js.clearTimeout(0))

def attempts(v):
    return (
        ("constructor", lambda: v.constructor(CODE)()),
        ("constructor.constructor", lambda: v.constructor.constructor(CODE)()),
        ("__proto__", lambda: v.__proto__.constructor(CODE)()),
        ("prototype", lambda: v.prototype.constructor(CODE)()),
        ("call", lambda: v(CODE)),
        ("call()", lambda: v(CODE)()),
        ("call kw", lambda: v(CODE, body=CODE)),
        ("new", lambda: v.new(CODE)),
        ("new()", lambda: v.new(CODE)()),
        ("subscript", lambda: v["constructor"](CODE)()),
        ("getattr", lambda: getattr(v, "constructor")(CODE)()),
        ("Function.call", lambda: v.call(None, CODE)),
        ("Function.apply", lambda: v.apply(None, [CODE])),
        ("Function.bind", lambda: v.bind(None, CODE)()),
        ("globalThis", lambda: v.globalThis.process.env.SWASGI_ESCAPE_CANARY),
        ("process", lambda: v.process.env.SWASGI_ESCAPE_CANARY),
        ("Module", lambda: v.Module.HEAPU8),
        ("eval", lambda: v.eval(CODE)),
        # A thenable iterates to itself (that is how await works): not a new value.
        ("iterate", lambda: [x for x in v if repr(x) != repr(v)]),
        ("store", lambda: setattr(v, "__pwned", 1)),
        ("subscript store", lambda: v.__setitem__("__pwned", 1)),
        ("deep store", lambda: setattr(v.globalThis, "__pwned", 1)),
    )

def escalate(label, v, depth=0):
    got = []
    if type(v).__name__ != "JsProxy":
        return got  # a str, int, None...: a Python value, nothing to climb
    for name, attempt in attempts(v):
        try:
            r = attempt()
        except Exception:
            continue
        if r is None or r == [] or repr(r) == UNDEFINED:
            continue
        print("GOT", label, name, repr(r))
        got.append(name)
        if depth < 1 and type(r).__name__ == "JsProxy":
            escalate(label + "." + name, r, depth + 1)
    return got

def denied(what, fn):
    try:
        r = fn()
    except (AttributeError, TypeError, ImportError, KeyError) as e:
        print("denied", what, type(e).__name__)
        return
    print("reached", what, repr(r))
`;

async function attack(code: string, box?: Sandbox): Promise<{ box: Sandbox; output: string }> {
  const target = box ?? (await sandbox());
  const outcome = run(target.py, PRELUDE + code);
  if (outcome instanceof PyError) throw new Error(`attack code failed:\n${outcome.traceback}`);
  await expectContained(target);
  expect(target.hostErrors).toEqual([]);
  expect(target.output()).not.toMatch(/^reached /m);
  return { box: target, output: target.output() };
}

test("control: the probes would notice a leaked JS function", async () => {
  // A deliberately broken grant: a host function that compiles what Python sends. If this
  // test passes, a real leak elsewhere could not go unnoticed by escalate() and the canary.
  const leak = new HostFunction("leak", (code) => (typeof code === "string" ? (new Function(code)() as string) : undefined));
  const box = await sandbox({ modules: { cap: new Namespace("cap", { leak }) } });
  try {
    expect(run(box.py, PRELUDE + "import cap\nescalate('leak', cap.leak)")).toBe(null);
    expect((globalThis as Record<string, unknown>).__pwned).toBe(1);
    expect(box.output()).toContain(CANARY);
  } finally {
    delete (globalThis as Record<string, unknown>).__pwned;
  }
});

describe("the js module offers timers and nothing else", () => {
  test("js.Object.constructor('return globalThis')() fails: js has no Object", async () => {
    const { output } = await attack(`denied("Object", lambda: js.Object.constructor("return globalThis")())`);
    expect(output).toContain("denied Object AttributeError");
  });

  test.each(["globalThis", "Module", "process", "eval", "fetch", "Function", "Object", "self", "window", "document",
    "proxy_js_ref", "constructor", "__proto__", "toString", "hasOwnProperty", "valueOf", "indexedDB", "caches"])(
    "js.%s is an AttributeError",
    async (name) => {
      const { output } = await attack(`denied("${name}", lambda: getattr(js, "${name}"))\nprint("has", hasattr(js, "${name}"))`);
      expect(output).toContain(`denied ${name} AttributeError`);
      expect(output).toContain("has False");
    },
  );

  test("dir(js) lists only the timers", async () => {
    const { output } = await attack(`print(sorted(n for n in dir(js) if not n.startswith("__")))\nprint(js.__dict__)`);
    expect(output).toContain("['clearTimeout', 'setTimeout']");
  });

  test("js.setTimeout.constructor and every other path from the timer functions lead nowhere", async () => {
    const { output } = await attack(`
denied("setTimeout.constructor", lambda: js.setTimeout.constructor)
denied("clearTimeout.constructor", lambda: js.clearTimeout.constructor)
print("got", escalate("setTimeout", js.setTimeout), escalate("clearTimeout", js.clearTimeout))
`);
    expect(output).toContain("denied setTimeout.constructor AttributeError");
    expect(output).toContain("got [] []");
  });

  test("dir() of JS proxies shows only the C side's own methods", async () => {
    const { output } = await attack(`
for v in (js.setTimeout, jsffi.create_proxy(lambda: 1), jsffi.to_js([1, 2])):
    print("dir", sorted(dir(v)))
`);
    for (const line of output.split("\n").filter((l) => l.startsWith("dir"))) {
      expect(line).toBe("dir ['__class__', '__del__', 'new']");
    }
  });

  test("subscripts: js['Object'] is a TypeError, proxies' items are undefined", async () => {
    const { output } = await attack(`
denied("js[Object]", lambda: js["Object"])
print("item", repr(js.setTimeout["constructor"]), repr(js.setTimeout[0]))
js.setTimeout["__pwned"] = 1
print("escalate", escalate("item", js.setTimeout["constructor"]))
`);
    expect(output).toContain("denied js[Object] TypeError");
    expect(output).toContain("item <undefined> <undefined>");
    expect(output).toContain("escalate []");
  });

  test("iterating js is a TypeError, iterating a proxy yields nothing", async () => {
    const { output } = await attack(`
denied("iter(js)", lambda: list(js))
print("items", list(js.setTimeout), list(jsffi.to_js([1, 2, 3])), list(jsffi.create_proxy({"a": 1})))
it = iter(js.setTimeout)
print("escalate", escalate("iterator", it))
`);
    expect(output).toContain("denied iter(js) TypeError");
    expect(output).toContain("items [] [] []");
    expect(output).toContain("escalate []");
  });

  test(".new(...) constructs nothing", async () => {
    const { output } = await attack(`
print("new", repr(js.setTimeout.new()), repr(js.setTimeout.new(CODE)), repr(jsffi.create_proxy(lambda: 1).new(1, 2)))
print("escalate", escalate("new", js.setTimeout.new(CODE)))
`);
    expect(output).toContain("new <undefined> <undefined> <undefined>");
    expect(output).toContain("escalate []");
  });

  test("js.setTimeout's return value is a plain number and probing it gives nothing", async () => {
    const { output } = await attack(`
ids = [js.setTimeout(lambda: None, 0), js.setTimeout(lambda: None, 10)]
print("ids", [type(i).__name__ for i in ids])
odd = [js.setTimeout(CODE), js.setTimeout(None, None), js.setTimeout({"a": 1}, 0), js.setTimeout(lambda: None, float("nan")),
       js.setTimeout(lambda: None, -1), js.setTimeout(lambda: None, 2**40), js.setTimeout(lambda: None, "1000")]
print("odd", [repr(v) for v in odd])
for v in ids + odd + [js.clearTimeout(ids[1]), js.clearTimeout("x"), js.clearTimeout(2**40)]:
    escalate("ret", v)
print("done")
`);
    expect(output).toContain("ids ['int', 'int']");
    expect(output).toContain("odd ['<undefined>', '<undefined>', '<undefined>', ");
    expect(output).toContain("done");
    expect(output).not.toContain("GOT");
  });
});

describe("jsffi gives opaque stand-ins, never JS objects", () => {
  test("jsffi.create_proxy(lambda: 1).constructor('return globalThis')() fails", async () => {
    const { output } = await attack(`
p = jsffi.create_proxy(lambda: 1)
denied("create_proxy.constructor", lambda: p.constructor("return globalThis")())
print("escalate", escalate("proxy", p))
`);
    expect(output).toContain("denied create_proxy.constructor AttributeError");
    expect(output).toContain("escalate []");
  });

  test("jsffi.to_js([1,2]).constructor and jsffi.to_js({}).__proto__ fail", async () => {
    const { output } = await attack(`
denied("to_js(list).constructor", lambda: jsffi.to_js([1, 2]).constructor)
denied("to_js(dict).__proto__", lambda: jsffi.to_js({}).__proto__)
for v in (jsffi.to_js([1, 2]), jsffi.to_js({}), jsffi.to_js("s"), jsffi.to_js(3), jsffi.to_js(None), jsffi.to_js(js.setTimeout)):
    print("escalate", repr(v), escalate("to_js", v))
`);
    expect(output).toContain("denied to_js(list).constructor AttributeError");
    expect(output).toContain("denied to_js(dict).__proto__ AttributeError");
    expect(output).not.toContain("GOT");
  });

  test("Python callables and dicts round-tripped through create_proxy and setTimeout come back opaque", async () => {
    const { output } = await attack(`
seen = []
def callback(*args, **kwargs):
    seen.append((args, kwargs))
    print("callback args", args, kwargs)
d = {"constructor": 1}
pf = jsffi.create_proxy(callback)
pd = jsffi.create_proxy(d)
for v in (pf, pd):
    print("attrs", [hasattr(v, n) for n in ("constructor", "__proto__", "call", "apply", "keys")])
    print("call", repr(v()), repr(v(CODE)), repr(v["constructor"]))
    escalate("roundtrip", v)
print("timers", type(js.setTimeout(callback, 0)).__name__, type(js.setTimeout(pf, 0)).__name__, repr(js.setTimeout(pd, 0)))
`);
    expect(output).toContain("attrs [False, False, False, False, False]");
    expect(output).toContain("call <undefined> <undefined> <undefined>");
    expect(output).toContain("timers int int <undefined>");
    // Both timers ran the Python callback, with nothing from the JS side in its arguments.
    expect(output.match(/callback args \(\) \{\}/g)).toHaveLength(2);
    expect(output).not.toContain("GOT");
  });
});

describe("other ways to reach the js module", () => {
  test("removing js from sys.modules and importing again gives the same locked module", async () => {
    const { output } = await attack(`
try:
    del sys.modules["js"]
except KeyError:
    pass
sys.modules.pop("js", None)
import js as again
print("same", again is js, sorted(n for n in dir(again) if not n.startswith("__")))
denied("reimport.Object", lambda: again.Object)
denied("reimport.globalThis", lambda: again.globalThis)
escalate("reimport", again.setTimeout)
`);
    expect(output).toContain("['clearTimeout', 'setTimeout']");
    expect(output).toContain("denied reimport.Object AttributeError");
    expect(output).toContain("denied reimport.globalThis AttributeError");
  });

  test("__import__('js'), exec and eval reach the same module", async () => {
    const { output } = await attack(`
denied("__import__", lambda: __import__("js").Object)
try:
    exec("import js\\nprint('exec', js.Object)")
except AttributeError:
    print("denied exec AttributeError")
denied("eval", lambda: eval("js.globalThis"))
g = {}
exec("import js as j", g)
denied("exec globals", lambda: g["j"].fetch)
`);
    expect(output).toContain("denied __import__ AttributeError");
    expect(output).toContain("denied exec AttributeError");
    expect(output).toContain("denied eval AttributeError");
    expect(output).toContain("denied exec globals AttributeError");
  });

  test("the js reference held by asyncio.core is the same locked module", async () => {
    const { output } = await attack(`
import asyncio.core as c
print("same", c.js is js)
denied("asyncio.core.js.Object", lambda: c.js.Object)
print("escalate", escalate("core.js.setTimeout", c.js.setTimeout), escalate("core.jsffi", c.jsffi.create_proxy(lambda: 1)))
`);
    expect(output).toContain("same True");
    expect(output).toContain("denied asyncio.core.js.Object AttributeError");
    expect(output).toContain("escalate [] []");
  });

  test("JsProxy cannot be instantiated directly", async () => {
    const { output } = await attack(`denied("JsProxy(0)", lambda: jsffi.JsProxy(0))`);
    expect(output).toContain("denied JsProxy(0) TypeError");
  });
});

describe("exception objects carry no JS values", () => {
  test("JsException built around proxies, and the args of denied lookups, hold only opaque proxies and text", async () => {
    const { output } = await attack(`
for make in (lambda: jsffi.JsException(js.setTimeout), lambda: jsffi.JsException(js.setTimeout, CODE), lambda: jsffi.JsException()):
    try:
        raise make()
    except Exception as e:
        print("exc", type(e).__name__, [type(a).__name__ for a in e.args])
        for a in e.args:
            escalate("exc.arg", a)
        for n in ("value", "errno", "args"):
            v = getattr(e, n, None)
            if type(v).__name__ == "JsProxy":
                escalate("exc." + n, v)
try:
    js.fetch
except AttributeError as e:
    print("args", e.args)
`);
    expect(output).toContain("exc JsException ['JsProxy']");
    expect(output).toContain("args (\"module 'js' has no attribute 'fetch'\",)");
    expect(output).not.toContain("GOT");
  });

  test("an uncaught JsException becomes a PyError, not a JS exception", async () => {
    const box = await sandbox();
    const outcome = run(box.py, "import js, jsffi\nraise jsffi.JsException(js.setTimeout, 'x')");
    expect(pyErrorType(outcome)).toBe("JsException");
    await expectContained(box);
  });
});

// A host module like the runner's bridge: a function, a promise and an echo of values.
const grant = () => {
  const calls: unknown[][] = [];
  const module = new Namespace("cap", {
    later: new HostFunction("later", () => Interpreter.promise(new Promise((resolve) => setTimeout(() => resolve(5), 5)))),
    echo: new HostFunction("echo", (...args) => {
      calls.push(args);
      const [value] = args;
      // (echo never asks for PyFloat or PyBigInt: numbers arrive as numbers)
      return value instanceof PyHandle || value instanceof PyFloat || value instanceof PyBigInt ? undefined : value;
    }),
    version: "1",
  });
  return { modules: { cap: module }, calls };
};

describe("capabilities the host grants stay within their records", () => {
  test("a host promise exposes only then, which takes only Python callables", async () => {
    const { modules } = grant();
    const box = await sandbox({ modules });
    const { output } = await attack(`
import cap, asyncio
p = cap.later()
denied("promise.constructor", lambda: p.constructor)
denied("promise.catch", lambda: getattr(p, "catch"))
print("then", hasattr(p, "then"), repr(p.then(CODE)), repr(p.then(None)))
escalate("promise", p)
escalate("then", p.then)
async def main():
    print("awaited", await cap.later())
asyncio.create_task(main())
`, box);
    await settle(50);
    expect(output).toContain("denied promise.constructor AttributeError");
    expect(box.output()).toContain("awaited 5");
    expect(box.output()).not.toContain("GOT");
  });

  test("values echoed back by a host function are the same records, still opaque", async () => {
    const { modules, calls } = grant();
    const box = await sandbox({ modules });
    const { output } = await attack(`
import cap
for v in (js.setTimeout, jsffi.create_proxy(lambda: 1), jsffi.to_js({}), cap.later(), cap, lambda: 1, {"a": 1}):
    back = cap.echo(v, v, v)
    print("echo", type(back).__name__)
    escalate("echo", back)
print("version", cap.version)
`, box);
    expect(output).toContain("version 1");
    expect(output).not.toContain("GOT");
    // The host function only ever saw primitives, records and handles: never a raw JS object of Python's making.
    for (const value of calls.flat()) {
      expect(value === undefined || value === null || ["number", "string", "boolean"].includes(typeof value) ||
        value instanceof JsRecord || value instanceof PyHandle).toBe(true);
    }
  });
});

describe("forged references", () => {
  // mp_obj_jsproxy_t is {mp_obj_base_t base; int ref}: id(proxy) is its address, word 1 its ref.
  const FORGE = String.raw`
import uctypes, struct
victim = js.setTimeout
keep = [jsffi.create_proxy(lambda: 1), jsffi.to_js({}), iter(js.clearTimeout)] + EXTRA
words = uctypes.bytearray_at(id(victim), 8)
original = struct.unpack_from("<i", words, 4)[0]
found = 0
for ref in list(range(0, 201)) + [-1, -2, 2**31 - 1, -2**31, 2**16, 10**6]:
    struct.pack_into("<i", words, 4, ref)
    found += len(escalate("ref %d" % ref, victim))
    try:
        victim(lambda *a: print("forged timer ran"), 0)
    except Exception:
        pass
struct.pack_into("<i", words, 4, original)
print("forged done", found)
`;

  test("a JsProxy whose ref is overwritten with 0..200 and extremes reaches only records", async () => {
    const { output } = await attack(FORGE.replace("EXTRA", "[]"));
    expect(output).toContain("forged done");
  });

  test("forged refs with granted host records (namespace, promise, then) in the table reach only those records", async () => {
    const box = await sandbox({ modules: grant().modules });
    const { output } = await attack(FORGE.replace("EXTRA", "[__import__('cap'), __import__('cap').later(), __import__('cap').later().then]"), box);
    expect(output).toContain("forged done");
    // Refs that land on `setTimeout` schedule the callback: allowed, it is Python calling Python.
    await settle(50);
    expect(box.backgroundErrors).toEqual([]);
  });

  test("the JsProxy type word pasted onto other objects gives proxies with arbitrary refs, reaching nothing", async () => {
    const { output } = await attack(String.raw`
import uctypes, struct
proxy_type = struct.unpack_from("<I", uctypes.bytearray_at(id(js.setTimeout), 4), 0)[0]
count = 0
for i in range(64):
    victim = bytearray(12)
    words = uctypes.bytearray_at(id(victim), 8)
    struct.pack_into("<Ii", words, 0, proxy_type, i * 37)
    escalate("pasted", victim)
    count += 1
print("pasted", count)
`);
    expect(output).toContain("pasted 64");
  });
});

describe("scribbling over linear memory", () => {
  // Random words over the memory the FFI reads: the proxies themselves, the static data and
  // C globals (type objects, proxy tables, malloc state), and the heap around FFI objects. The
  // interpreter may crash (InterpreterDead) or be stopped (HardStop); nothing may leave the
  // sandbox, and no other JS exception may come out of exec.
  const EXERCISE = String.raw`
def exercise():
    for f in (lambda: js.setTimeout.constructor, lambda: js.setTimeout(CODE), lambda: js.Object,
              lambda: jsffi.create_proxy(lambda: 1).constructor, lambda: list(js.setTimeout),
              lambda: js.setTimeout(lambda: print("timer after scribble"), 0), lambda: jsffi.to_js({"a": [1]}),
              lambda: escalate("scribbled", js.setTimeout), lambda: [escalate("kept", k) for k in keep], lambda: gc.collect()):
        try:
            f()
        except Exception:
            pass
`;
  const scribble = (seed: number, region: string, words: number) => String.raw`
import uctypes, random
keep = [js.setTimeout, jsffi.create_proxy(lambda: 1), jsffi.to_js([1, 2]), iter(js.clearTimeout), js.clearTimeout]
${EXERCISE}
random.seed(${seed})
def target():
    ${region}
for i in range(${words}):
    a = target() & ~3
    m = uctypes.bytearray_at(a, 4)
    kind = random.getrandbits(2)
    value = random.getrandbits(32) if kind == 0 else random.getrandbits(8) if kind == 1 else id(random.choice(keep)) if kind == 2 else 0
    m[0:4] = value.to_bytes(4, "little")
exercise()
`;
  const regions: [string, string, number][] = [
    ["the proxies' own words", "k = random.choice(keep); return id(k) + random.getrandbits(4)", 3],
    ["static data (type objects, method tables)", "return 65536 + random.getrandbits(17)", 40],
    ["C globals (interpreter state, proxy lists, malloc state)", "return 185000 + random.getrandbits(16)", 12],
    ["the heap around FFI objects", "return id(random.choice(keep)) - 32768 + random.getrandbits(16)", 12],
  ];

  test.each(regions)("random words over %s", async (name, region, words) => {
    const tally = new Map<string, number>();
    for (let seed = 1; seed <= 60; seed++) {
      const box = await sandbox({ timeoutMs: 200, graceMs: 50 });
      for (const code of [PRELUDE + scribble(seed, region, words), "print('after', 1 + 1)", "exercise()"]) {
        const outcome = run(box.py, code);
        const kind = outcome instanceof Error ? outcome.name : outcome instanceof PyError ? "PyError" : "ok";
        tally.set(kind, (tally.get(kind) ?? 0) + 1);
        if (box.py.dead) break;
      }
      await settle(0);
      expect((globalThis as Record<string, unknown>).__pwned).toBeUndefined();
      expect(box.output()).not.toContain(CANARY);
      // Host functions must never throw, even on garbage; a crash inside a timer is reported.
      expect(box.hostErrors.filter((e) => e.where !== "callback" && e.where !== "runtime")).toEqual([]);
    }
    console.log(`scribbling over ${name}: outcomes of 60 seeds`, Object.fromEntries(tally));
    await expectContained(await sandbox());
  });
});

test("a C heap wrecked by Python makes the host's own free() abort: InterpreterDead, not a RuntimeError", async () => {
  // The source buffer the host malloc'd for this very exec starts with the comment below; its
  // dlmalloc header sits just before it. A huge size there makes exec's free(src) abort. That
  // free used to run outside the slice, so the abort left exec as a bare RuntimeError and the
  // interpreter was not marked dead.
  const code = String.raw`# swasgi-wreck-own-source
import uctypes, struct
mem = bytes(uctypes.bytearray_at(0, 4 << 20))
pattern = b"# swasgi-" + b"wreck-own-source"
i = mem.find(pattern)
while i >= 0:
    head = struct.unpack_from("<I", mem, i - 4)[0]
    if LENGTH <= (head & ~7) <= LENGTH + 64 and head & 1:
        struct.pack_into("<I", uctypes.bytearray_at(i - 4, 4), 0, 0xFFFFFFF3)
    i = mem.find(pattern, i + 1)
`;
  const box = await sandbox({ timeoutMs: 1000 });
  const outcome = run(box.py, code.replaceAll("LENGTH", String(code.length)));
  expect(outcome).toBeInstanceOf(InterpreterDead);
  expect(String((outcome as InterpreterDead).cause)).toContain("Aborted");
  expect(box.py.dead).toMatch(/^crashed/);
  expect(() => box.py.exec("print(1)")).toThrow(InterpreterDead);
  await expectContained(box);
});

test("every FFI import of the wasm that touches JS objects is swasgi's, not the glue's", async () => {
  // The glue's own implementations reach any JS object (DESIGN.md); they only remain for imports
  // that never see one. A new runtime version with a new FFI import must fail here.
  const glueOnly = /^(invoke_\w+|__syscall_\w+|_abort_js|_emscripten_throw_longjmp|emscripten_resize_heap|mp_js_random_u32|mp_js_ticks_ms|mp_js_time_ms)$/;
  const ours = Object.keys(
    ffiImports({
      memory: undefined as never, // never called: only the names are read
      table: undefined as never,
      malloc: () => 0,
      free: () => {},
      pending: [],
      releasePython: () => {},
      onHostError: () => {},
      then: () => {},
    }),
  );
  const { wasm } = await loadRuntimeNode();
  const env = WebAssembly.Module.imports(wasm).filter((i) => i.module === "env").map((i) => i.name);
  expect(env.filter((name) => !glueOnly.test(name) && !ours.includes(name))).toEqual([]);
});

test("the file system is the interpreter's own: no host file is visible", async () => {
  const { output } = await attack(`
import os
print("root", sorted(os.listdir("/")))
for f in ("/etc/passwd", "/proc/self/environ", "/work/main/package.json", "../package.json"):
    try:
        open(f, "rb").read(16)
        print("reached", f)
    except OSError:
        print("denied", f)
`);
  expect(output).toContain("root ['app', 'data', 'dev', 'home', 'lib', 'proc', 'tmp']");
  expect(output).toContain("denied /etc/passwd");
  expect(output).toContain("denied /work/main/package.json");
});
