// wasm/dictSubclassUpdate.mjs on the published wasm: dict_update reads its argument through the
// helper once and copies from what that gave; a wasm that does not look as expected is refused.
// What it does for Python: tests/unit/python/collections.test.ts, and under a collection at
// every allocation, tests/unit/runner/gcSoundness.test.ts.
import { beforeAll, describe, expect, test } from "vitest";
import { dictSubclassUpdate } from "../../../wasm/dictSubclassUpdate.mjs";
import { readModule } from "../../../wasm/readModule.mjs";
import { dataImage, staticQstrs, stringAddress, typeObject } from "../../../wasm/staticData.mjs";
import { functionText, publishedText, validates } from "./publishedText.ts";

let published = "";
beforeAll(async () => {
  published = await publishedText();
});

/** The function that raises "dict update sequence has wrong length". */
function dictUpdate(module: ReturnType<typeof readModule>): string {
  const message = `(i32.const ${stringAddress(dataImage(module), "dict update sequence has wrong length")})`;
  const found = [...module.functions.keys()].filter((name) => functionText(module, name).includes(message));
  expect(found).toHaveLength(1);
  return found[0];
}

describe("dictSubclassUpdate", () => {
  test("dict_update takes args[1] through the helper, and copies from that", () => {
    const module = readModule(published);
    const update = dictUpdate(module);
    const image = dataImage(module);
    const dict = typeObject(image, staticQstrs(image), "dict");
    dictSubclassUpdate(module);
    const text = functionText(module, update);
    expect(text.match(/\(call \$swasgi_dict_of /g)).toHaveLength(1);
    expect(text).toContain("(local.tee $swasgi_source (call $swasgi_dict_of (i32.load offset=4 (local.get $1))))");
    // The copy loop reads the same dict again, not args[1].
    expect(text.match(/\(local\.get \$swasgi_source\)/g)).toHaveLength(1);
    expect(text.match(/\(i32\.load offset=4 \(local\.get \$1\)\)/g)).toHaveLength(1);
    // Only an instance (flag 0x200) of a subclass of dict gives its native dict (subobj[0]).
    const helper = functionText(module, "$swasgi_dict_of");
    expect(helper).toContain("(i32.const 512)");
    expect(helper).toContain(`(i32.const ${dict}))`);
    expect(helper).toContain("(return (i32.load offset=16 (local.get $0)))");
    expect(validates(module)).toBe(true);
  });

  test("refuses a dict_update that reads args[1] other than twice", () => {
    const module = readModule(published);
    const fn = module.functions.get(dictUpdate(module))!;
    // A third read of args[1].
    fn.body.unshift(["drop", ["i32.load", "offset=4", ["local.get", "$1"]]]);
    expect(() => dictSubclassUpdate(module)).toThrow(/expected dict_update to read args\[1\] twice, first into a local, found 3/);
  });
});
