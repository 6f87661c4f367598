// wasm/classOperations.mjs on the published wasm: where it patches, that the result is a valid
// module, and that it refuses a wasm whose code does not look as expected; and the static data
// it reads (wasm/staticData.mjs). What the patch does for Python is tested in the real runtime
// (tests/unit/python/enum.test.ts) and under a collection at every allocation
// (tests/unit/runner/gcSoundness.test.ts).
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import binaryen from "binaryen";
import { beforeAll, describe, expect, test } from "vitest";
import { classOperations } from "../../../wasm/classOperations.mjs";
import { readModule, type ModuleText } from "../../../wasm/readModule.mjs";
import { print } from "../../../wasm/sexpr.mjs";
import { dataImage, staticQstrs, typeObject } from "../../../wasm/staticData.mjs";

const require = createRequire(import.meta.url);
const packageWasm = path.join(path.dirname(require.resolve("@micropython/micropython-webassembly-pyscript/package.json")), "micropython.wasm");

let published = "";
beforeAll(async () => {
  const read = binaryen.readBinary(new Uint8Array(await readFile(packageWasm)));
  published = read.emitText();
  read.dispose();
});

/** The module's text again, functions as they are now. */
function printModule(module: ModuleText): string {
  return module.parts
    .map((part) => {
      if (typeof part === "string") return part;
      const fn = module.functions.get(part.name)!;
      return " " + print([...fn.head, ...fn.body]);
    })
    .join("\n");
}

const functionText = (module: ModuleText, name: string) => {
  const fn = module.functions.get(name)!;
  return print([...fn.head, ...fn.body]);
};

describe("staticData", () => {
  test("qstr ids as MicroPython numbers them, type objects by name", () => {
    const image = dataImage(readModule(published));
    const qstrs = staticQstrs(image);
    expect(qstrs.size).toBeGreaterThan(1000);
    // The first ids are fixed by the .mpy format (static_qstr_list in py/makeqstrdata.py).
    expect([qstrs.get("__dir__"), qstrs.get("__call__"), qstrs.get("__getitem__")]).toEqual([2, 9, 15]);
    // Frozen modules' strings come last, in a pool of their own.
    expect(qstrs.get("__prepare__")).toBeGreaterThan(qstrs.get("zip")!);
    const type = typeObject(image, qstrs, "type");
    const dict = typeObject(image, qstrs, "dict");
    expect(image.view.getUint32(type, true)).toBe(type);
    expect(image.view.getUint32(dict, true)).toBe(type);
    expect(typeObject(image, qstrs, "OrderedDict")).not.toBe(dict);
    expect(() => typeObject(image, qstrs, "no such type")).toThrow(/no qstr/);
  });
});

describe("classOperations", () => {
  test("asks the class's stand-in at five places, and the module validates", () => {
    const module = readModule(published);
    const before = module.functions.size;
    classOperations(module);
    expect(module.functions.size).toBe(before + 1);
    const helper = functionText(module, "$swasgi_class_ops");
    const prepare = staticQstrs(dataImage(module)).get("__prepare__");
    expect(helper).toContain(`(i32.const ${prepare})`);
    const callers = [...module.functions.keys()].filter((name) => functionText(module, name).includes("(call $swasgi_class_ops "));
    // mp_getiter, mp_obj_len, mp_obj_subscr, mp_binary_op, reversed().
    expect(callers).toHaveLength(5);
    for (const name of callers) {
      const text = functionText(module, name);
      expect(text.match(/\(call \$swasgi_class_ops /g)).toHaveLength(1);
      // A retry gives back the C stack frame before it returns; reversed() only swaps the object.
      if (text.includes("(return (call ")) expect(text).toMatch(/\(then \(global\.set \$global\$0 \(i32\.add \(local\.get \$\d+\) \(i32\.const \d+\)\)\) \(return \(call /);
    }
    expect(callers.filter((name) => functionText(module, name).includes(`(return (call ${name} `))).toHaveLength(4);
    const patched = binaryen.parseText(printModule(module));
    patched.setFeatures(binaryen.Features.All);
    expect(patched.validate()).toBe(1);
    patched.dispose();
  });

  test("refuses a wasm where a site is missing or found twice", () => {
    const qstrs = staticQstrs(dataImage(readModule(published)));
    // No lookup of __reversed__ (another qstr in its place).
    const reversed = new RegExp(`\\(i32\\.const ${qstrs.get("__reversed__")}\\)\\n`, "g");
    expect(published.match(reversed)).toHaveLength(1);
    expect(() => classOperations(readModule(published.replace(reversed, `(i32.const ${qstrs.get("__iter__")})\n`)))).toThrow(/expected one mp_load_method_maybe\(x, __reversed__, dest\), found 0/);

    // mp_obj_len twice: its message is then used by two functions.
    const module = readModule(published);
    const { bytes } = dataImage(module);
    const message = Buffer.from(bytes).indexOf("\0object of type '%s' has no len()\0") + 1;
    const [name] = [...module.functions].find(([, fn]) => print(fn.body).includes(`(i32.const ${message})`))!;
    const copy = module.functions.get(name)!;
    module.functions.set("$copy", { ...copy, head: [copy.head[0], "$copy", ...copy.head.slice(2)] });
    module.parts.push({ name: "$copy" });
    expect(() => classOperations(module)).toThrow(/expected one function using "object of type '%s' has no len\(\)", found 2/);
  });
});
