// The frozen modules the shipped wasm leaves out (wasm/lazyFrozen.mjs) and the patch that puts
// them back (src/runner/frozenPatch.ts): the patched memory is the published wasm's, byte for
// byte; without the patch those modules cannot be imported, never read as zeros.
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { expect, test } from "vitest";
import frozen from "../../../build/runtime/frozen.json";
import { FROZEN_LIBRARY_MODULES } from "../../../src/python/libraryModules.ts";
import { PyError } from "../../../src/runner/ffi/convert.ts";
import { applyFrozenPatch, readFrozenPatch } from "../../../src/runner/frozenPatch.ts";
import { Interpreter } from "../../../src/runner/interpreter.ts";
import { loadRuntimeNode } from "../../../src/runner/loadRuntimeNode.ts";
import { dataSegments } from "../../../wasm/lazyFrozen.mjs";

const require = createRequire(import.meta.url);
const packageWasm = path.join(path.dirname(require.resolve("@micropython/micropython-webassembly-pyscript/package.json")), "micropython.wasm");
const builtWasm = new URL("../../../build/runtime/micropython.wasm", import.meta.url);
const patch = () => readFrozenPatch(Buffer.from(frozen.patch, "base64"));

/** The initial linear memory a wasm file's data segments lay out. */
function dataImage(wasm: Uint8Array): Uint8Array {
  const segments = dataSegments(wasm);
  const image = new Uint8Array(Math.max(...segments.map((s) => s.address + s.size)));
  for (const s of segments) image.set(wasm.subarray(s.offset, s.offset + s.size), s.address);
  return image;
}

test("the patch turns the shipped wasm's data into the published wasm's, byte for byte", async () => {
  const shipped = dataImage(new Uint8Array(await readFile(builtWasm)));
  const published = dataImage(new Uint8Array(await readFile(packageWasm)));
  expect(shipped.length).toBe(published.length);
  const differing = shipped.reduce((n, byte, i) => n + (byte !== published[i] ? 1 : 0), 0);
  // Tens of kilobytes of bytecode are out of the shipped file (zeros there cost nothing in gzip).
  expect(differing).toBeGreaterThan(30_000);
  const zeroed = patch().entries.filter((e) => e.before.every((b) => b === 0)).reduce((n, e) => n + e.after.length, 0);
  expect(zeroed).toBeGreaterThan(30_000);
  applyFrozenPatch(shipped, patch());
  expect(Buffer.from(shipped).equals(Buffer.from(published))).toBe(true);
  // Applying it again changes nothing.
  applyFrozenPatch(shipped, patch());
  expect(Buffer.from(shipped).equals(Buffer.from(published))).toBe(true);
});

test("the patch names its modules: the library's list of them, and time (a boot file stands in front of it)", () => {
  expect(patch().modules).toEqual(frozen.modules);
  expect([...patch().modules].sort()).toEqual([...FROZEN_LIBRARY_MODULES, "time"].sort());
  // What the boot imports stays in the wasm.
  for (const kept of ["asyncio", "io"]) expect(patch().modules).not.toContain(kept);
});

async function interpreter() {
  const out: Uint8Array[] = [];
  const py = await Interpreter.create(await loadRuntimeNode(), {
    timeoutMs: 5000,
    graceMs: 500,
    memoryBytes: 64 << 20,
    onOutput: (_stream, bytes) => out.push(bytes.slice()),
  });
  const run = (code: string) => {
    out.length = 0;
    const result = py.exec(code);
    return result instanceof PyError ? result.traceback.trim().split("\n").pop() : Buffer.concat(out).toString();
  };
  return { py, run };
}

test("without the patch a left-out module is not found; with it, it imports and runs", async () => {
  const { py, run } = await interpreter();
  expect(run("import asyncio, io, asyncio.core\nprint('kept')")).toBe("kept\n");
  for (const name of ["base64", "datetime", "unittest", "collections.defaultdict", "os.path", "inspect"]) {
    expect(run(`import ${name}`)).toBe(`ImportError: no module named '${name}'`);
  }
  py.restoreFrozen(patch());
  expect(
    run(`
import base64, datetime, copy, inspect, string, unittest, fnmatch, html, stat, types
from collections import defaultdict
d = defaultdict(list)
d['k'].append(1)
print(base64.b64encode(b'swasgi'), datetime.date(2024, 2, 29) + datetime.timedelta(days=1), copy.deepcopy([{'a': (1, [2])}]))
print(inspect.isgeneratorfunction(lambda: (yield)), string.hexdigits, fnmatch.fnmatch('app.py', '*.py'), html.escape('<&>'), d['k'])
class T(unittest.TestCase):
    def test_ok(self):
        self.assertEqual(1 + 1, 2)
T().test_ok()
print(unittest.TestCase.__name__)
`),
  ).toBe(
    "b'c3dhc2dp' 2024-03-01 [{'a': (1, [2])}]\n" +
      "True 0123456789abcdefABCDEF True &lt;&amp;&gt; [1]\n" +
      "TestCase\n",
  );
  py.dispose();
});

test("a patch for another build is refused whole: memory is left as it was", async () => {
  const { py, run } = await interpreter();
  const wrong = patch();
  const last = wrong.entries[wrong.entries.length - 1];
  wrong.entries[wrong.entries.length - 1] = { ...last, before: last.before.map((b) => b ^ 0xff) };
  expect(() => py.restoreFrozen(wrong)).toThrow(/frozen module patch: memory at \d+ is not what this runtime's wasm holds there/);
  expect(run("import base64")).toBe("ImportError: no module named 'base64'");
  py.dispose();
});

test("a left-out run that holds neither zeros nor the module's bytes is refused", async () => {
  const shipped = dataImage(new Uint8Array(await readFile(builtWasm)));
  const run = patch().entries.find((e) => e.before.every((b) => b === 0))!;
  shipped[run.at + 10] = run.after[10] ^ 0xff || 1;
  const before = shipped.slice();
  expect(() => applyFrozenPatch(shipped, patch())).toThrow(new RegExp(`memory at ${run.at} is not what`));
  expect(Buffer.from(shipped).equals(Buffer.from(before))).toBe(true);
});

test("a malformed patch is refused by what is wrong", () => {
  const bytes = Buffer.from(frozen.patch, "base64");
  expect(() => readFrozenPatch(new Uint8Array(bytes.subarray(0, 100)))).toThrow(/frozen module patch: truncated/);
  expect(() => readFrozenPatch(new Uint8Array([...bytes, 0]))).toThrow(/frozen module patch: 1 bytes after the last entry/);
  expect(() => readFrozenPatch(new TextEncoder().encode("PK\x03\x04 not a patch"))).toThrow(/no SWFZ header/);
});
