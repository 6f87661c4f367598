// Adds a fuel counter to a wasm module: every loop header and the entry of every function that
// can recurse (wasm/recursiveFunctions.mjs) takes one unit; when the counter drops below zero the module calls the imported `swasgi.refuel`, which
// decides (by the clock) whether to hand out more fuel, interrupt Python, or throw to unwind.
// This is how a synchronous run is stopped without Worker.terminate() (see shared/DESIGN.md).
//
// binaryen.js has no generic expression walker, so the edit is a text round trip: print the
// module, insert the check after each `(loop` and each function's locals, parse it back.
import binaryen from "binaryen";
import { recursiveFunctions } from "./recursiveFunctions.mjs";

const FUEL = "$swasgi_fuel";
const REFUEL = "$swasgi_refuel";
const TICK = "$swasgi_tick";
// The decremented value is kept in a local (one global read per check, not two).
const CHECK =
  `(global.set ${FUEL} (local.tee ${TICK} (i32.sub (global.get ${FUEL}) (i32.const 1))))` +
  `(if (i32.lt_s (local.get ${TICK}) (i32.const 0)) (then (global.set ${FUEL} (call ${REFUEL}))))`;

/**
 * @param {Uint8Array} original wasm bytes
 * @returns {Promise<{wasm: Uint8Array, loops: number, functions: number}>}
 */
export async function instrumentFuel(original) {
  const source = binaryen.readBinary(original);
  // Keep exactly the original's features: re-emitting with Features.All yields a module that
  // Node 20 rejects (DESIGN.md).
  const features = source.getFeatures();
  const lines = source.emitText().split("\n");
  source.dispose();
  const recursive = recursiveFunctions(lines);

  const out = [];
  let loops = 0;
  let functions = 0;
  let lastImport = -1;
  let firstFunc = -1;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    out.push(line);
    if (line.startsWith(" (import ")) lastImport = out.length - 1;
    if (line.startsWith(" (func ")) {
      if (firstFunc < 0) firstFunc = out.length - 1;
      // Function entry: after the local declarations, which must stay first.
      while (i + 1 < lines.length && /^ {2}\(local /.test(lines[i + 1])) out.push(lines[++i]);
      out.push(`  (local ${TICK} i32)`);
      if (recursive.has(line.split(" ")[2])) {
        out.push("  " + CHECK);
        functions++;
      }
    } else if (/\(loop\b/.test(line)) {
      if (!/^\s*\(loop \$[\w$.]+( \(result [a-z0-9 ]+\))?$/.test(line)) {
        throw new Error(`wasm/instrumentFuel: unexpected loop layout at text line ${i + 1}: ${line.trim()}`);
      }
      out.push(line.replace(/\(loop.*/, "") + " " + CHECK);
      loops++;
    }
  }
  if (lastImport < 0 || firstFunc < 0) throw new Error("wasm/instrumentFuel: no imports or functions found");
  // Insert from the bottom up so the earlier index stays valid. The counter is not exported:
  // V8 reaches an exported mutable global through an indirection, on the hottest path there is.
  out.splice(firstFunc, 0, ` (global ${FUEL} (mut i32) (i32.const 0))`);
  out.splice(lastImport + 1, 0, ` (import "swasgi" "refuel" (func ${REFUEL} (result i32)))`);

  const module = binaryen.parseText(out.join("\n"));
  module.setFeatures(features);
  if (!module.validate()) throw new Error("wasm/instrumentFuel: the instrumented module does not validate");
  const wasm = module.emitBinary();
  module.dispose();
  return { wasm, loops, functions };
}
