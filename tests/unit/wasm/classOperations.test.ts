// wasm/classOperations.mjs on the published wasm: where it patches, that the result is a valid
// module, and that it refuses a wasm whose code does not look as expected; and the static data
// it reads (wasm/staticData.mjs). What the patch does for Python is tested in the real runtime
// (tests/unit/python/enum.test.ts) and under a collection at every allocation
// (tests/unit/runner/gcSoundness.test.ts).
import { beforeAll, describe, expect, test } from "vitest";
import { classOperations } from "../../../wasm/classOperations.mjs";
import { readModule } from "../../../wasm/readModule.mjs";
import { print } from "../../../wasm/sexpr.mjs";
import { dataImage, staticQstrs, stringAddress, typeObject } from "../../../wasm/staticData.mjs";
import { functionText, publishedText, validates } from "./publishedText.ts";

let published = "";
beforeAll(async () => {
  published = await publishedText();
});

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
    // Two built-in types are named tuple (tuple, and the attrtuple of sys.implementation and the like).
    expect(() => typeObject(image, qstrs, "tuple")).toThrow(/expected one type object named 'tuple', found 2/);
    expect(image.bytes[stringAddress(image, "dict update sequence has wrong length") - 1]).toBe(0);
    expect(() => stringAddress(image, "no such message")).toThrow(/found 0/);
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
    expect(validates(module)).toBe(true);
  });

  test("refuses a wasm where a site is missing or found twice", () => {
    const qstrs = staticQstrs(dataImage(readModule(published)));
    // No lookup of __reversed__ (another qstr in its place).
    const reversed = new RegExp(`\\(i32\\.const ${qstrs.get("__reversed__")}\\)\\n`, "g");
    expect(published.match(reversed)).toHaveLength(1);
    expect(() => classOperations(readModule(published.replace(reversed, `(i32.const ${qstrs.get("__iter__")})\n`)))).toThrow(/expected one mp_load_method_maybe\(x, __reversed__, dest\), found 0/);

    // mp_obj_len twice: its message is then used by two functions.
    const module = readModule(published);
    const message = stringAddress(dataImage(module), "object of type '%s' has no len()");
    const [name] = [...module.functions].find(([, fn]) => print(fn.body).includes(`(i32.const ${message})`))!;
    const copy = module.functions.get(name)!;
    module.functions.set("$copy", { ...copy, head: [copy.head[0], "$copy", ...copy.head.slice(2)] });
    module.parts.push({ name: "$copy" });
    expect(() => classOperations(module)).toThrow(/expected one function using "object of type '%s' has no len\(\)", found 2/);
  });
});
