// Adds a fuel counter to a wasm module so that a synchronous run can be stopped without
// Worker.terminate() (see shared/DESIGN.md). The counter is a private global; a check takes one
// unit and, when it drops below zero, calls the imported `swasgi.refuel`, which decides (by the
// clock) whether to hand out more fuel, interrupt Python, or throw to unwind.
//
// Safety: a run that never ends must iterate a loop or recurse, and everything that does uses
// fuel in proportion to the work done:
// - every loop header has a check, except scan loops (wasm/boundedLoops.mjs), which are bounded
//   by the memory size and pay for their iterations at every exit;
// - every trip round a cycle of the call graph (wasm/recursiveFunctions.mjs) passes a check:
//   the functions that keep one form a feedback vertex set (wasm/feedbackSet.mjs), and each of
//   them takes fuel at its entry or before each of its calls back into its cycle
//   (wasm/exitChecks.mjs).
// Between two checks a run executes straight-line code, an acyclic call tree of unchecked
// functions (at most MAX_UNCHECKED_WORK instructions) and at most one uncharged run of a scan,
// so the clock is consulted at least every FUEL_QUANTUM (src/runner/sliceClock.ts) units of
// bounded work. Nothing relies on the contents of linear memory, which hostile code can forge.
//
// binaryen.js has no generic expression walker, so the edit is a text round trip: print the
// module, rewrite each function as an S-expression (wasm/sexpr.mjs), parse it back.
import binaryen from "binaryen";
import { boundedCallCosts, chargeScanLoop } from "./boundedLoops.mjs";
import { checkBeforeCycleCalls, cycleCallsOnPaths } from "./exitChecks.mjs";
import { droppableChecks } from "./feedbackSet.mjs";
import { callGraph } from "./recursiveFunctions.mjs";
import { readModule, resultOf } from "./readModule.mjs";
import { print } from "./sexpr.mjs";

const FUEL = "$swasgi_fuel";
const REFUEL = "$swasgi_refuel";
const TICK = "$swasgi_tick";
const SCAN = "$swasgi_scan";
// The refuel branch is marked unlikely (branch hinting: V8 lays the call out of line and keeps
// its spills there). Engines without the proposal ignore the custom section.
const UNLIKELY = `(@metadata.code.branch_hint "\\00")`;
/** Takes `units` (an i32 expression ≥ 0) of fuel; fuel is ≥ 0 before, so no wrap for units < 2^31. */
const take = (units) =>
  `(global.set ${FUEL} (local.tee ${TICK} (i32.sub (global.get ${FUEL}) ${units})))` +
  `${UNLIKELY} (if (i32.lt_s (local.get ${TICK}) (i32.const 0)) (then (global.set ${FUEL} (call ${REFUEL}))))`;
const CHECK = take("(i32.const 1)");
const charge = (delta, shift) => take(`(i32.shr_u ${delta} (i32.const ${shift}))`);
// Scan loops are bounded by the memory size only if addresses cannot wrap round: at most 2 GiB.
const MAX_SCAN_PAGES = 32768;
// Instructions one scan iteration may run, calls included, in all and per byte of its stride:
// this bounds an uncharged run of a scan (2^31 / stride iterations at most, far fewer under the
// runtime's memory cap: the hash of a 40 MB string takes tens of ms).
const MAX_SCAN_COST = 256;
const MAX_SCAN_COST_PER_BYTE = 64;
// Checks before cycle calls replace the entry check of a recursive function when some path
// through it makes no cycle call (a fast path: no check at all) and none makes more than this
// many (at most that many checks where the entry check costs one).
const MAX_CHECKS_PER_CALL = 2;
// Instructions a function may run, calls included, between two checks when checks of recursive
// functions are left out (wasm/feedbackSet.mjs); about what the module needs without leaving any.
const MAX_UNCHECKED_WORK = 20000;

/**
 * @param {Uint8Array} original wasm bytes
 * @param {{ features?: number }} [options] the wasm features in use, when the bytes do not say
 *   (binaryen writes no target_features section: pass those of the module it was made from)
 * @returns {Promise<{wasm: Uint8Array, loops: number, scans: number, functions: number, calls: number}>}
 *   loops: loop headers checked; scans: loops charged per run; functions: recursive functions
 *   checked at entry; calls: checks before cycle calls
 */
export async function instrumentFuel(original, options = {}) {
  const source = binaryen.readBinary(original);
  // Keep exactly the original's features: re-emitting with Features.All yields a module that
  // Node 20 rejects (DESIGN.md).
  const features = options.features ?? source.getFeatures();
  const text = source.emitText();
  source.dispose();

  const module = readModule(text);
  const graph = callGraph(module);
  const costs = boundedCallCosts(module.functions, graph.targetsOf, MAX_SCAN_COST);
  const memory = text.match(/^ \(memory \$\S+ \d+(?: (\d+))?\)$/m) ?? text.match(/^ \(import "[^"]*" "[^"]*" \(memory \$\S+ \d+(?: (\d+))?\)\)$/m);
  const scansAllowed = memory !== null && memory[1] !== undefined && Number(memory[1]) <= MAX_SCAN_PAGES;
  const callCost = (node) => (node[0] === "call" ? (costs.get(node[1]) ?? null) : null);

  // How each recursive function takes fuel: at its entry, before its cycle calls, or not at all
  // where its cycles are all checked elsewhere.
  const modes = new Map();
  for (const name of graph.recursive) {
    const paths = cycleCallsOnPaths(module.functions.get(name).body, (node) => graph.isCycleCall(name, node));
    modes.set(name, paths.min === 0 && paths.max <= MAX_CHECKS_PER_CALL ? "calls" : "entry");
  }
  const unchecked = droppableChecks(module.functions, graph, modes, MAX_UNCHECKED_WORK);

  const stats = { loops: 0, scans: 0, functions: 0, calls: 0 };
  const rewritten = new Map();
  for (const [name, fn] of module.functions) {
    let body = fn.body;
    let usesScan = false;
    const sitesBefore = stats.loops + stats.scans + stats.functions + stats.calls;
    const mode = unchecked.has(name) ? undefined : modes.get(name);
    const isCycleCall = (node) => graph.isCycleCall(name, node);
    const atCalls = mode === "calls";
    if (atCalls) {
      const done = checkBeforeCycleCalls(body, (node) => (isCycleCall(node) ? resultOf(module, node) : null), CHECK);
      body = done.body;
      stats.calls += done.checks;
    }
    body = mapLoops(body, (loop) => {
      const scan = scansAllowed && !containsLoop(loop.slice(2)) ? chargeScanLoop(loop, { scan: SCAN, charge, callCost, maxCost: MAX_SCAN_COST, maxCostPerByte: MAX_SCAN_COST_PER_BYTE }) : null;
      if (scan) {
        stats.scans++;
        usesScan = true;
        return scan;
      }
      stats.loops++;
      const at = Array.isArray(loop[2]) && loop[2][0] === "result" ? 3 : 2;
      return [...loop.slice(0, at), { raw: CHECK }, ...loop.slice(at)];
    });
    if (mode === "entry") {
      body = [{ raw: CHECK }, ...body];
      stats.functions++;
    }
    // Only functions that take fuel get its local (an unused local is bytes in every function).
    const takesFuel = stats.loops + stats.scans + stats.functions + stats.calls > sitesBefore;
    const locals = [...(takesFuel ? [["local", TICK, "i32"]] : []), ...(usesScan ? [["local", SCAN, "i32"]] : [])];
    rewritten.set(name, print([...fn.head, ...locals, ...body]));
  }

  // Reassemble: functions in their original order, the global before the first function (not
  // exported: V8 reaches an exported mutable global through an indirection, on the hottest path
  // there is), the import after the last import.
  const out = [];
  let insertedGlobal = false;
  for (const [index, part] of module.parts.entries()) {
    if (typeof part === "string") {
      out.push(part);
      if (index === module.lastImport) out.push(` (import "swasgi" "refuel" (func ${REFUEL} (result i32)))`);
    } else {
      if (!insertedGlobal) out.push(` (global ${FUEL} (mut i32) (i32.const 0))`);
      insertedGlobal = true;
      out.push(" " + rewritten.get(part.name));
    }
  }
  if (module.lastImport === undefined || !insertedGlobal) throw new Error("wasm/instrumentFuel: no imports or functions found");

  const result = binaryen.parseText(out.join("\n"));
  result.setFeatures(features);
  if (!result.validate()) throw new Error("wasm/instrumentFuel: the instrumented module does not validate");
  const wasm = result.emitBinary();
  result.dispose();
  return { wasm, ...stats };
}

/** Applies `fn` to every loop, innermost first. */
function mapLoops(nodes, fn) {
  return nodes.map((node) => {
    if (!Array.isArray(node)) return node;
    const done = [node[0], ...mapLoops(node.slice(1), fn)];
    return node[0] === "loop" ? fn(done) : done;
  });
}

const containsLoop = (nodes) => nodes.some((n) => Array.isArray(n) && (n[0] === "loop" || containsLoop(n)));
