// The interned-string filter (wasm/qstrFilter.mjs, src/runner/qstrFilter.ts) must never make a
// lookup miss a string that is interned: that would intern it twice, and names would stop
// matching (an attribute set through setattr would not be found by `o.name`, a keyword built at
// run time would not reach its parameter). Checked on a booted interpreter and on one restored
// from a boot image, whose filter comes from the image.
import { expect, test } from "vitest";
import { BootImageSlot } from "../../../src/runner/bootImage.ts";
import { loadRuntimeNode } from "../../../src/runner/loadRuntimeNode.ts";
import { appFrom } from "../bridge/appFrom.ts";

const APP = `
import json
class C:
    pass
def names():
    o = C()
    for i in range(400):
        setattr(o, "attr_%d" % i, i)
    total = sum(getattr(o, "attr_" + str(i)) for i in range(400))
    def g(alpha, beta):
        return alpha - beta
    def f(**kw):
        return sorted(kw)
    return [total, o.attr_7, o.attr_399, hasattr(o, "attr_" + "12"), g(**{"al" + "pha": 5, "be" + "ta": 2}),
            f(**{"k" + str(i): i for i in range(3)}), json.loads('{"attr_7": 1}')["attr_7"],
            getattr(json, "du" + "mps")({"x": 1}), "".join(["app", "_name"]) == "app_name"]
async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": json.dumps(names()).encode()})
`;
const EXPECTED = [79800, 7, 399, true, 3, ["k0", "k1", "k2"], 1, '{"x": 1}', true];

test("names built at run time meet the same names compiled from source, booted and restored", async () => {
  const runtime = { ...(await loadRuntimeNode()), bootImages: new BootImageSlot(`qstr-${Math.random()}`) };
  const booted = await appFrom(APP, {}, { runtime });
  expect(JSON.parse((await booted.fetch("/")).text)).toEqual(EXPECTED);
  expect(runtime.bootImages.image).toBeDefined();
  const restored = await appFrom(APP, {}, { runtime });
  expect(JSON.parse((await restored.fetch("/")).text)).toEqual(EXPECTED);
  expect(restored.logs.filter((l) => l.kind === "event").map((l) => l.message).join("\n")).toContain("from the boot image");
  await Promise.all([booted.close(), restored.close()]);
});
