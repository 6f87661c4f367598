// The runtime build (wasm/build.mjs): the spilled and fuel-instrumented wasm is valid,
// reproducible, wired to `swasgi.refuel`, `swasgi.collect` and `swasgi.heap_room`, and runs
// Python exactly like the published original.
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";
import { Interpreter, type Runtime } from "../../../src/runner/interpreter.ts";
import { loadRuntimeNode } from "../../../src/runner/loadRuntimeNode.ts";
import { instrumentFuel } from "../../../wasm/instrumentFuel.mjs";
import { GC_EXPORTS, spillPointers } from "../../../wasm/spillPointers.mjs";
import { SET_MARK_STACK } from "../../../wasm/bigMarkStack.mjs";
import { SET_QSTR_FILTER } from "../../../wasm/qstrFilter.mjs";
import { lazyFrozen } from "../../../wasm/lazyFrozen.mjs";
import { nativeLongjmp } from "../../../wasm/nativeLongjmp.mjs";
import { hintPolicy, trimBranchHints } from "../../../wasm/trimBranchHints.mjs";

const require = createRequire(import.meta.url);
const packageWasm = path.join(path.dirname(require.resolve("@micropython/micropython-webassembly-pyscript/package.json")), "micropython.wasm");
const builtWasm = new URL("../../../build/runtime/micropython.wasm", import.meta.url);


test("the instrumented wasm in build/runtime validates", async () => {
  const bytes = await readFile(builtWasm);
  expect(WebAssembly.validate(bytes)).toBe(true);
});

/** What wasm/build.mjs does to the published wasm. */
async function build(original: Uint8Array) {
  const spilled = await spillPointers(original);
  const fueled = await instrumentFuel(spilled.wasm, { features: spilled.features });
  const native = nativeLongjmp(fueled.wasm, spilled.features);
  const lazy = lazyFrozen(native.wasm, spilled.features);
  const hot = fileURLToPath(new URL("../../../wasm/hotFunctions.json", import.meta.url));
  return { spilled, ...fueled, ...native, ...lazy, wasm: trimBranchHints(lazy.wasm, hintPolicy(lazy.wasm, hot).keep).wasm };
}

test("instrumenting is deterministic and build/runtime holds its current output", { timeout: 120_000 }, async () => {
  const original = new Uint8Array(await readFile(packageWasm));
  const first = await build(original);
  const second = await build(original);
  expect(Buffer.from(first.wasm).equals(Buffer.from(second.wasm))).toBe(true);
  // Spills are in place: hundreds of functions keep their live values on the shadow stack.
  expect(first.spilled.functions).toBeGreaterThan(500);
  expect(first.spilled.stores).toBeGreaterThan(1000);
  expect(first.loops).toBe(second.loops);
  // Every kind of fuel site is in use: loop headers, scans, entries, checks before cycle calls.
  for (const sites of [first.loops, first.scans, first.functions, first.calls]) expect(sites).toBeGreaterThan(0);
  // A stale build/runtime (instrumentFuel.mjs changed, `npm run build:wasm` not run) fails here.
  expect(Buffer.from(first.wasm).equals(await readFile(builtWasm))).toBe(true);
});

test("the instrumented wasm imports swasgi.refuel, .collect and .heap_room and only adds the collector's exports; the original imports none", async () => {
  const instrumented = await loadRuntimeNode("instrumented");
  const original = await loadRuntimeNode("original");
  const refuel = (runtime: Runtime) =>
    WebAssembly.Module.imports(runtime.wasm).filter((i) => i.module === "swasgi").map((i) => `${i.name}:${i.kind}`);
  expect(refuel(instrumented)).toEqual(["collect:function", "heap_room:function", "refuel:function"]);
  expect(refuel(original)).toEqual([]);
  // Everything else the original imports and exports is unchanged.
  const names = (list: { module?: string; name: string; kind: string }[]) => list.map((i) => `${i.module ?? ""}.${i.name}:${i.kind}`);
  expect(names(WebAssembly.Module.imports(instrumented.wasm)).filter((n) => !n.startsWith("swasgi."))).toEqual(
    names(WebAssembly.Module.imports(original.wasm)),
  );
  const added = [...GC_EXPORTS, SET_MARK_STACK, SET_QSTR_FILTER];
  expect(names(WebAssembly.Module.exports(instrumented.wasm)).filter((n) => !added.some((e) => n.startsWith(`.${e}:`)))).toEqual(
    names(WebAssembly.Module.exports(original.wasm)),
  );
  expect(added.every((e) => WebAssembly.Module.exports(instrumented.wasm).some((x) => x.name === e))).toBe(true);
});

const WORKLOAD = `
squares = sum(i * i for i in range(100000))
print("squares", squares)
words = " ".join("w%d" % i for i in range(50)).upper().split()
print("words", len(words), words[7], "-".join(reversed(words[:5])))
table = {k: k ** 3 % 97 for k in range(300)}
print("dict", len(table), sum(table.values()), max(table, key=table.get))
text = "The quick brown fox " * 20
print("str", text.count("o"), text.replace("quick", "slow")[:30], text.find("fox", 100))
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)
print("fib", fib(20), 2 ** 200 % 1000003, 1.5 ** 10, round(3.14159, 3))
try:
    {}["missing"]
except KeyError as e:
    print("error", repr(e))
import json
print("json", json.dumps({"a": [1, 2, {"b": None}]}))
l = [1, 2]
l *= 3
print("repeat", "ab" * 7, [1, 2] * 5, (3,) * 4, b"xy" * 3, "x" * 0, [] * 9, l, len("z" * 100001), ("q" * 1000).count("q"))
d = {"k%d" % i: i for i in range(70000)}
del d["k5"]
print("order", list({i * 7 % 13: i for i in range(13)}), list({"k%d" % i: i for i in range(600)})[:20], list(set("abcdefghij")))
print("dict", len(d), d["k69999"], "k5" in d, sum(d.values()) % 1000003, len({i: i for i in range(100)}))
big = "k" * 300 + "x"
literal = "kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkx"
print("lazy hash", {big: 1}[literal], {literal: 2}[big], hash(big) == hash(literal), big == literal, big in {literal}, ("y" * 256 + "z") in {"y" * 256 + "z": 0}, big != literal + "!", len({big, literal}))
def raises(i):
    try:
        return sorted([3, 1, 2], key=lambda x: 1 // (x - i))[0]
    except ZeroDivisionError:
        try:
            int("x%d" % i)
        except ValueError as e:
            return str(e)[-4:]
    finally:
        pass
print("longjmp", [raises(i) for i in range(5)], sum(1 for i in range(3000) if isinstance(raises(i % 4), str)))
print("vstr", len(json.dumps([{"i": i} for i in range(5000)])), len("".join(str(i) for i in range(20000))), "%s-%d" % ("a" * 300, 7) [-5:])
`;

test("a Python workload prints the same on the original and the instrumented runtime", async () => {
  const outputs: string[] = [];
  for (const variant of ["original", "instrumented"] as const) {
    const decoder = new TextDecoder();
    let text = "";
    const py = await Interpreter.create(await loadRuntimeNode(variant), {
      timeoutMs: 10_000,
      graceMs: 500,
      memoryBytes: 64 << 20,
      onOutput: (_stream, bytes) => (text += decoder.decode(bytes)),
    });
    expect(py.exec(WORKLOAD)).toBe(null);
    outputs.push(text);
  }
  expect(outputs[0]).toContain("squares 333328333350000");
  expect(outputs[0].trimEnd().split("\n")).toHaveLength(13);
  expect(outputs[1]).toBe(outputs[0]);
});
