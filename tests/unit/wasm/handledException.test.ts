// wasm/handledException.mjs on the published wasm: mp_execute_bytecode links its C stack frame
// to its caller's on entry and unlinks it at its one exit, RAISE_LAST asks the calling frames
// before it gives up, and a wasm that does not look as expected is refused. What it does for
// Python: tests/unit/python/traceback.test.ts, and under a collection at every allocation,
// tests/unit/runner/gcSoundness.test.ts.
import { beforeAll, describe, expect, test } from "vitest";
import { handledException } from "../../../wasm/handledException.mjs";
import { readModule } from "../../../wasm/readModule.mjs";
import { findNodes, print, type Node } from "../../../wasm/sexpr.mjs";
import { dataImage, stringAddress } from "../../../wasm/staticData.mjs";
import { functionText, publishedText, validates } from "./publishedText.ts";

let published = "";
beforeAll(async () => {
  published = await publishedText();
});

/** mp_execute_bytecode: the function that raises "no active exception to reraise". */
function vmName(module: ReturnType<typeof readModule>): string {
  const message = `(i32.const ${stringAddress(dataImage(module), "no active exception to reraise")})`;
  const found = [...module.functions.keys()].filter((name) => functionText(module, name).includes(message));
  expect(found).toHaveLength(1);
  return found[0];
}

describe("handledException", () => {
  test("links the VM's frames, and RAISE_LAST searches them before its RuntimeError", () => {
    const module = readModule(published);
    const vm = vmName(module);
    handledException(module);
    const fn = module.functions.get(vm)!;
    // The frame grows by 16 bytes: the caller's frame, then the code_state.
    expect(fn.body.slice(0, 4).map((s) => print(s))).toEqual([
      "(global.set $global$0 (local.tee $2 (i32.sub (global.get $global$0) (i32.const 208))))",
      "(i32.store offset=192 (local.get $2) (global.get $swasgi_vm_top))",
      "(i32.store offset=196 (local.get $2) (local.get $0))",
      "(global.set $swasgi_vm_top (local.get $2))",
    ]);
    const text = functionText(module, vm);
    expect(text).toContain("(global.set $swasgi_vm_top (i32.load offset=192 (local.get $2))) (global.set $global$0 (i32.add (local.get $2) (i32.const 208)))");
    expect(text.match(/\$swasgi_vm_top/g)).toHaveLength(3);
    // Between the search of this frame's entries and the RuntimeError.
    const message = stringAddress(dataImage(module), "no active exception to reraise");
    const search = text.indexOf("(call $swasgi_handled_exception (local.get $2))");
    expect(search).toBeGreaterThan(text.indexOf("(i32.load offset=8 (local.get $10))"));
    expect(search).toBeLessThan(text.indexOf(`(i32.const ${message})`));
    expect(module.parts).toContain(" (global $swasgi_vm_top (mut i32) (i32.const 0))");
    // The walk reads exc_sp (offset 184), the code_state's n_state (12) and state[] (20).
    const helper = functionText(module, "$swasgi_handled_exception");
    for (const part of ["(i32.load offset=184 (local.get $0))", "(i32.load16_u offset=12 (local.get $2))", "(i32.const 20)", "(i32.load offset=8 (local.get $1))"]) expect(helper).toContain(part);
    expect(validates(module)).toBe(true);
  });

  test("refuses a VM that gives its frame back more than once, or has no RAISE_LAST search", () => {
    const module = readModule(published);
    const fn = module.functions.get(vmName(module))!;
    // A second `sp = frame + size`, as an early return would have it.
    fn.body.splice(1, 0, ["block", ["global.set", "$global$0", ["i32.add", ["local.get", "$2"], ["i32.const", "192"]]]]);
    expect(() => handledException(module)).toThrow(/expected mp_execute_bytecode to give its frame back once, found 2/);

    const other = readModule(published);
    const vm = other.functions.get(vmName(other))!;
    const searches = findNodes(vm.body, (n) => n[0] === "loop" && n.length === 4 && /^\(br_if \$\S+ \(local\.tee \$\S+ \(i32\.load offset=8 /.test(print(n[2])));
    expect(searches).toHaveLength(1);
    const [load] = searches;
    (load.node[2] as Node[])[2] = ["local.tee", "$1", ["i32.load", "offset=4", ["local.get", "$10"]]];
    expect(() => handledException(other)).toThrow(/expected one RAISE_LAST's search of the exception stack, found 0/);
  });
});
