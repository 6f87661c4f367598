#!/usr/bin/env node
// Builds the sandbox runtime from the published MicroPython package (never committed):
//   build/runtime/micropython.wasm       pointers spilled for a collector that runs mid-run
//                                        (wasm/spillPointers.mjs), then instrumented with a fuel
//                                        counter (time limit), then setjmp/longjmp moved from JS
//                                        into wasm exception handling (wasm/nativeLongjmp.mjs)
//                                        and the frozen modules no app needs at boot taken out
//                                        (wasm/lazyFrozen.mjs); branch hints kept where they
//                                        pay for their bytes (wasm/trimBranchHints.mjs)
//   build/runtime/frozen.json            those modules, as the patch that puts them back
//                                        ({ modules, patch: base64 }), shipped with the library
//   build/runtime/micropython.orig.wasm  the untouched original (benchmark baseline)
//   build/runtime/glue.mjs               the emscripten glue, cut to its module factory
// Run by `npm install` (postinstall) and `npm run build:wasm`; skipped when the outputs are
// newer than their inputs.
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { instrumentFuel } from "./instrumentFuel.mjs";
import { lazyFrozen } from "./lazyFrozen.mjs";
import { nativeLongjmp } from "./nativeLongjmp.mjs";
import { patchGlue } from "./patchGlue.mjs";
import { spillPointers } from "./spillPointers.mjs";
import { hintPolicy, trimBranchHints } from "./trimBranchHints.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
const pkgDir = path.dirname(require.resolve("@micropython/micropython-webassembly-pyscript/package.json"));
const outDir = path.join(root, "build", "runtime");

const inputs = [
  path.join(pkgDir, "micropython.wasm"),
  path.join(pkgDir, "micropython.mjs"),
  path.join(root, "wasm", "build.mjs"),
  path.join(root, "wasm", "instrumentFuel.mjs"),
  path.join(root, "wasm", "spillPointers.mjs"),
  path.join(root, "wasm", "liveAcrossCalls.mjs"),
  path.join(root, "wasm", "neededStores.mjs"),
  path.join(root, "wasm", "bumpAllocation.mjs"),
  path.join(root, "wasm", "spreadMapHash.mjs"),
  path.join(root, "wasm", "growVstr.mjs"),
  path.join(root, "wasm", "fastRepeat.mjs"),
  path.join(root, "wasm", "lazyStrHash.mjs"),
  path.join(root, "wasm", "appendInPlace.mjs"),
  path.join(root, "wasm", "moduleParts.mjs"),
  path.join(root, "wasm", "fastCharCount.mjs"),
  path.join(root, "wasm", "fastSweep.mjs"),
  path.join(root, "wasm", "bigMarkStack.mjs"),
  path.join(root, "wasm", "qstrFilter.mjs"),
  path.join(root, "wasm", "bigIntFlag.mjs"),
  path.join(root, "wasm", "mapKeyReject.mjs"),
  path.join(root, "wasm", "nativeLongjmp.mjs"),
  path.join(root, "wasm", "lazyFrozen.mjs"),
  path.join(root, "wasm", "trimBranchHints.mjs"),
  path.join(root, "wasm", "wasmBytes.mjs"),
  path.join(root, "wasm", "hotFunctions.json"),
  path.join(root, "wasm", "classOperations.mjs"),
  path.join(root, "wasm", "dictSubclassUpdate.mjs"),
  path.join(root, "wasm", "handledException.mjs"),
  path.join(root, "wasm", "staticData.mjs"),
  path.join(root, "wasm", "stackValues.mjs"),
  path.join(root, "wasm", "readModule.mjs"),
  path.join(root, "wasm", "recursiveFunctions.mjs"),
  path.join(root, "wasm", "boundedLoops.mjs"),
  path.join(root, "wasm", "exitChecks.mjs"),
  path.join(root, "wasm", "feedbackSet.mjs"),
  path.join(root, "wasm", "sexpr.mjs"),
  path.join(root, "wasm", "patchGlue.mjs"),
  path.join(root, "wasm", "shrinkGlue.mjs"),
  path.join(root, "wasm", "jsAst.mjs"),
  path.join(root, "wasm", "glue.d.mts"),
];
const outputs = ["micropython.wasm", "micropython.orig.wasm", "glue.mjs", "runtime.json", "glue.d.mts", "frozen.json"].map((f) =>
  path.join(outDir, f),
);

function upToDate() {
  if (process.argv.includes("--force")) return false;
  if (!outputs.every((f) => fs.existsSync(f))) return false;
  const newestInput = Math.max(...inputs.map((f) => fs.statSync(f).mtimeMs));
  return outputs.every((f) => fs.statSync(f).mtimeMs >= newestInput);
}

if (upToDate()) {
  console.log("swasgi: runtime build is up to date (build/runtime)");
} else {
  const t0 = performance.now();
  fs.mkdirSync(outDir, { recursive: true });
  const original = fs.readFileSync(inputs[0]);
  // Spills first: the fuel checks then count the spill code's loops and calls like any other.
  const spilled = await spillPointers(original);
  const fueled = await instrumentFuel(spilled.wasm, { features: spilled.features });
  const { loops, functions, scans, calls } = fueled;
  // Last: the fuel pass counts the JS setjmp wrappers' calls as calls out of the module, as they were.
  const { wasm: native, sites: longjmpSites } = nativeLongjmp(fueled.wasm, spilled.features);
  const { wasm: unfrozen, patch, modules: lazyModules, zeroed } = lazyFrozen(native, spilled.features);
  const hints = hintPolicy(unfrozen, path.join(root, "wasm", "hotFunctions.json"));
  if (!hints.measured) console.warn("swasgi: wasm/hotFunctions.json was measured on other code; branch hints kept by count (run node wasm/profileHints.mjs)");
  const { wasm, kept: hintedFunctions } = trimBranchHints(unfrozen, hints.keep);
  fs.writeFileSync(outputs[0], wasm);
  fs.writeFileSync(outputs[5], JSON.stringify({ modules: lazyModules, patch: Buffer.from(patch).toString("base64") }) + "\n");
  fs.writeFileSync(outputs[1], original);
  fs.writeFileSync(outputs[2], patchGlue(fs.readFileSync(inputs[1], "utf8")));
  fs.writeFileSync(outputs[4], fs.readFileSync(path.join(root, "wasm", "glue.d.mts")));
  const version = JSON.parse(fs.readFileSync(path.join(pkgDir, "package.json"), "utf8")).version;
  fs.writeFileSync(
    outputs[3],
    JSON.stringify(
      {
        micropython: version,
        spills: { functions: spilled.functions, calls: spilled.calls, slots: spilled.slots, stores: spilled.stores },
        fuelSites: { loops, functions, scans, calls },
        longjmpSites,
        lazyFrozen: { modules: lazyModules, bytes: zeroed },
        branchHints: { functions: hintedFunctions, measured: hints.measured },
      },
      null,
      2,
    ) + "\n",
  );
  const ms = Math.round(performance.now() - t0);
  console.log(
    `swasgi: built build/runtime from MicroPython ${version}: spills before ${spilled.calls} calls in ${spilled.functions} functions; fuel checks at ${loops} loops, ${functions} function entries and ${calls} recursive calls, ${scans} scan loops charged per run; ${lazyModules.length} frozen modules (${zeroed} bytes) loaded with the library (${ms} ms)`,
  );
}
