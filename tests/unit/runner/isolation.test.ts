// Interpreters in one realm share the compiled wasm and nothing else: not Python state, not
// files, not JS globals (the original glue kept its tables on globalThis).
import { expect, test } from "vitest";
import { Namespace } from "../../../src/runner/ffi/records.ts";
import { HardStop } from "../../../src/runner/sliceClock.ts";
import { run, sandbox, settle } from "./sandboxHarness.ts";

test("builtins, module globals and sys.modules set in one interpreter are invisible in another", async () => {
  const a = await sandbox();
  const b = await sandbox();
  expect(run(a.py, `
import builtins, sys
builtins.X = 1
shared = "a"
sys.modules["planted"] = builtins
print("a set")`)).toBe(null);
  expect(run(b.py, `
import builtins, sys
print("X", hasattr(builtins, "X"))
try:
    shared
    print("shared visible")
except NameError:
    print("no shared")
print("planted", "planted" in sys.modules)`)).toBe(null);
  expect(b.output()).toBe("X False\nno shared\nplanted False\n");
  expect(run(a.py, "print(X, shared)")).toBe(null);
  expect(a.output()).toContain("1 a");
});

test("files written to /tmp, /data and the app dir of one interpreter do not exist in another", async () => {
  const a = await sandbox();
  const b = await sandbox();
  expect(run(a.py, `
for path in ("/tmp/t.txt", "/data/d.txt", "/app/mod_a.py", "rel.txt"):
    with open(path, "w") as f:
        f.write("from a")
print("written")`)).toBe(null);
  expect(a.output()).toBe("written\n");
  expect(run(b.py, `
import os
for path in ("/tmp/t.txt", "/data/d.txt", "/app/mod_a.py", "rel.txt"):
    try:
        open(path).read()
        print("visible", path)
    except OSError:
        print("missing", path)
print(os.listdir("/tmp"), os.listdir("/data"), os.listdir("/app"))
try:
    import mod_a
    print("imported")
except ImportError:
    print("no mod_a")`)).toBe(null);
  expect(b.output()).not.toContain("visible");
  expect(b.output()).toContain("[] [] []");
  expect(b.output()).toContain("no mod_a");
  for (const path of ["/tmp/t.txt", "/data/d.txt", "/app/mod_a.py", "/app/rel.txt"]) {
    expect(a.py.fs.analyzePath(path).exists).toBe(true);
    expect(b.py.fs.analyzePath(path).exists).toBe(false);
  }
});

test("interleaved execs and timers keep each interpreter's own state", async () => {
  const a = await sandbox();
  const b = await sandbox();
  run(a.py, "n = 0\nimport js");
  run(b.py, "n = 1000\nimport js");
  for (let i = 0; i < 50; i++) {
    expect(run(a.py, "n += 1")).toBe(null);
    expect(run(b.py, "n -= 1")).toBe(null);
  }
  // asyncio in both at once: each loop runs on its own timers.
  const tasks = `
import asyncio
async def tick(tag):
    global n
    for i in range(5):
        await asyncio.sleep_ms(1)
        n += 1 if tag == "a" else -1
    print(tag, "done", n)
asyncio.create_task(tick(TAG))`;
  run(a.py, tasks.replace("TAG", '"a"'));
  run(b.py, tasks.replace("TAG", '"b"'));
  await settle(100);
  expect(a.output()).toBe("a done 55\n");
  expect(b.output()).toBe("b done 945\n");
});

test("a dead or out-of-memory interpreter leaves its neighbour untouched", async () => {
  // Collections mark what is kept alive: the memory bomb needs more than the default 300 ms.
  const a = await sandbox({ timeoutMs: 2000 });
  const b = await sandbox();
  run(b.py, "kept = [bytearray(1 << 20) for i in range(4)]");
  expect(a.py.exec("x = []\nwhile True: x.append(bytearray(1 << 20))")).toMatchObject({ type: "MemoryError" });
  expect(() => a.py.exec("while True:\n    try:\n        while True: pass\n    except KeyboardInterrupt: pass")).toThrow(HardStop);
  expect(a.py.dead).toBeDefined();
  expect(b.py.memoryCap.refused).toBe(false);
  expect(run(b.py, "kept.append(bytearray(1 << 20))\nprint(len(kept))")).toBe(null);
  expect(b.output()).toBe("5\n");
});

test("granted modules are per interpreter", async () => {
  const a = await sandbox({ modules: { cap: new Namespace("cap", { who: "a" }) } });
  const b = await sandbox();
  run(a.py, "import cap\nprint(cap.who)");
  run(b.py, "try:\n    import cap\n    print('imported', cap.who)\nexcept ImportError:\n    print('no cap')");
  expect(a.output()).toBe("a\n");
  expect(b.output()).toBe("no cap\n");
});

test("creating and using interpreters adds nothing to globalThis", async () => {
  const snapshot = () => new Set<PropertyKey>([...Object.getOwnPropertyNames(globalThis), ...Object.getOwnPropertySymbols(globalThis)]);
  // Load the runtime (and the glue module) before the snapshot: only instances are measured.
  await sandbox();
  const before = snapshot();
  const boxes = await Promise.all([sandbox(), sandbox(), sandbox()]);
  for (const box of boxes) {
    run(box.py, "import js, jsffi, asyncio\np = jsffi.create_proxy(lambda: 1)\njs.setTimeout(lambda: None, 0)\nprint(js.setTimeout)");
  }
  await settle(10);
  const added = [...snapshot()].filter((key) => !before.has(key));
  expect(added).toEqual([]);
  for (const name of ["Module", "proxy_js_ref", "proxy_js_map", "proxy_js_existing", "pyProxyFinalizationRegistry"]) {
    expect(Object.hasOwn(globalThis, name), name).toBe(false);
  }
});
