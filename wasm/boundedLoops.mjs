// Scan loops: innermost loops whose iteration count is bounded by the size of linear memory, so
// fuel can be charged once per run of the loop instead of being checked in every iteration.
//
// A loop qualifies when some i32 local $i is written in its body only by `$i = $i + c` (c a
// constant ≠ 0), and every iteration that goes round again has first done that write and a load
// or store at an address that steps with $i: `$i`, `$i + base`, `($i << k) + base` or `$i * m
// + base`, base a constant or a local the loop never writes (plus the access's constant offset).
// The address then moves by the same nonzero stride d (|d| ≤ 2^16) each iteration, and an
// access outside linear memory traps. The module's memory is at most 2 GiB (the caller checks
// its declared maximum), so the addresses cannot wrap round past the out-of-bounds gap either:
// a run does at most 2^31 / |d| + 1 iterations, whatever memory holds (hostile code can forge
// any pointer, not the memory size).
//
// Bounded is not enough: an outer loop could run such a scan 20000 times per fuel quantum. So
// each run still pays for its iterations, on every way out of the loop: fuel -= |$i − $i at
// entry| >> shift, then the usual refuel check. With |c| ≤ 2^16 and at most 2^31 / |d| + 1
// iterations the difference is exact, shift ≥ 1 keeps it below 2^31 (fuel is ≥ 0 before, so
// the i32 arithmetic cannot wrap), and shift = max(1, ⌊log2 |c|⌋) charges at least one unit per
// two iterations. The worst case past the deadline is one uncharged run of a scan over memory.
//
// Inside, only plain instructions and calls of "bounded" functions (cheap, outside all cycles:
// `callCost`; their own loops pay for themselves) are allowed, up to `maxCost` instructions per
// iteration and `maxCostPerByte` per byte of stride, so that one run over all of memory stays
// short; anything else (nested loops, calls that may recurse, memory.grow, bulk memory,
// br_table, exits carrying values) keeps the per-iteration check.

import { children } from "./sexpr.mjs";

const PLAIN = /^(?:(?:i32|i64|f32|f64)\.(?!atomic)[a-z0-9_]+|local\.(?:get|set|tee)|global\.get|block|if|then|else|result|br|br_if|return|select|drop|nop|unreachable)$/;
const MAX_STEP = 1 << 16;

/**
 * @param {import("./sexpr.mjs").Node} loop a `(loop $label ...)` node without nested loops
 * @param {{ scan: string, charge: (delta: string, shift: number) => string,
 *   callCost: (call: import("./sexpr.mjs").Node) => number | null, maxCost: number,
 *   maxCostPerByte: number }} options
 *   scan: a free i32 local to keep $i at entry; charge: instructions (text) taking `delta >> shift`
 *   units of fuel; callCost: the most instructions a call may run uncharged, null if not allowed;
 *   maxCost: instructions per iteration; maxCostPerByte: the same per byte of the access stride
 * @returns {import("./sexpr.mjs").Node | null} the replacement, or null if not a scan loop
 */
export function chargeScanLoop(loop, { scan, charge, callCost, maxCost, maxCostPerByte }) {
  const label = loop[1];
  if (loop[0] !== "loop" || typeof label !== "string" || !label.startsWith("$")) return null;
  const body = loop.slice(2);
  if (!body.every(Array.isArray) || body.some((s) => s[0] === "result")) return null;

  const writes = new Map();
  const cost = survey(body, writes, callCost);
  if (cost === null || cost > maxCost) return null;

  for (const [i, list] of writes) {
    if (list.length !== 1) continue;
    const step = stepOf(list[0], i);
    if (step === null) continue;
    const invariant = (n) =>
      Array.isArray(n) && n.length === 2 && ((n[0] === "i32.const" && /^-?\d+$/.test(n[1])) || (n[0] === "local.get" && !writes.has(n[1])));
    const stride = advancesBeforeContinuing(body, label, (n) => accessStride(n, i, list[0], step, invariant), list[0]);
    // A run covers at most memory / |stride| iterations: cap the work per byte it steps over.
    if (stride === null || cost > maxCostPerByte * Math.abs(stride)) continue;
    const shift = Math.max(1, Math.floor(Math.log2(Math.abs(step))));
    const delta = step > 0 ? `(i32.sub (local.get ${i}) (local.get ${scan}))` : `(i32.sub (local.get ${scan}) (local.get ${i}))`;
    const fee = charge(delta, shift);
    const rewritten = chargeExits(loop, new Set(), fee);
    if (rewritten === null) return null;
    return ["block", ["local.set", scan, ["local.get", i]], rewritten, { raw: fee }];
  }
  return null;
}

/** Instructions per iteration (calls at their cost), or null if something is not allowed. */
function survey(nodes, writes, callCost) {
  let cost = 0;
  for (const node of nodes) {
    if (typeof node === "string") continue;
    if (!Array.isArray(node)) return null; // text spliced in by another pass
    const head = node[0];
    if (head === "call") {
      const c = callCost(node);
      if (c === null) return null;
      cost += c;
    } else if (typeof head !== "string" || !PLAIN.test(head)) return null;
    if (head === "local.set" || head === "local.tee") {
      if (!writes.has(node[1])) writes.set(node[1], []);
      writes.get(node[1]).push(node);
    }
    const inner = survey(node.slice(1), writes, callCost);
    if (inner === null) return null;
    cost += 1 + inner;
  }
  return cost;
}

/** c when `write` is `$i = $i + c` or `$i = $i - c` (0 < |c| ≤ 2^16), else null. */
function stepOf(write, i) {
  const value = write[2];
  if (write.length !== 3 || !Array.isArray(value) || value.length !== 3) return null;
  const [op, a, b] = value;
  if (op !== "i32.add" && op !== "i32.sub") return null;
  let c = null;
  if (isGet(a, i)) c = constant(b);
  else if (op === "i32.add" && isGet(b, i)) c = constant(a);
  if (c === null || c === 0 || Math.abs(c) > MAX_STEP) return null;
  return op === "i32.sub" ? -c : c;
}

const isGet = (n, i) => Array.isArray(n) && n.length === 2 && n[0] === "local.get" && n[1] === i;
const constant = (n) => (Array.isArray(n) && n.length === 2 && n[0] === "i32.const" && /^-?\d+$/.test(n[1]) ? Number(n[1]) : null);

/**
 * The stride of a load or store whose address steps with $i, else null. The address is $i (or
 * the write itself: the new $i), or that plus an invariant, $i shifted left by k, or $i times m.
 */
function accessStride(node, i, write, step, invariant) {
  if (typeof node[0] !== "string" || !/^(?:i32|i64|f32|f64)\.(?:load|store)/.test(node[0])) return null;
  const address = children(node)[0];
  if (address === undefined) return null;
  const scaled = (n) => {
    if (isGet(n, i) || n === write) return step;
    if (!Array.isArray(n) || n.length !== 3) return null;
    const [op, a, b] = n;
    if (!(isGet(a, i) || a === write)) return null;
    const k = constant(b);
    if (k === null) return null;
    if (op === "i32.shl" && k >= 0 && k <= 16) return step * 2 ** k;
    if (op === "i32.mul" && k !== 0 && Math.abs(k) <= MAX_STEP) return step * k;
    return null;
  };
  let d = scaled(address);
  if (d === null && Array.isArray(address) && address[0] === "i32.add" && address.length === 3) {
    const [, a, b] = address;
    if (invariant(b)) d = scaled(a);
    if (d === null && invariant(a)) d = scaled(b);
  }
  // The stride counts mod 2^32: it must be nonzero and no larger than the out-of-bounds gap.
  return d !== null && d !== 0 && Math.abs(d) <= MAX_STEP ? d : null;
}

/**
 * The stride of an access done, together with the write to $i, on every path from the loop
 * header to a branch back to it; null if there is none. The body is a sequence; control only reaches statement k+1
 * by finishing statement k, and finishing a statement means finishing every node on its "spine"
 * (operands of plain instructions and calls, the condition of an `if`). So: the write and the
 * access sit on the spines of statements w and a, and no branch back occurs in statements up to
 * max(w, a), except as the root of statement max(w, a) itself (`br_if` evaluates its operands
 * before it branches).
 */
function advancesBeforeContinuing(body, label, strideOf, write) {
  let wrote = -1;
  let accessed = -1;
  let stride = null;
  for (let k = 0; k < body.length; k++) {
    const spine = spineOf(body[k]);
    if (wrote < 0 && spine.includes(write)) wrote = k;
    if (accessed < 0) {
      stride = spine.map(strideOf).find((d) => d !== null) ?? null;
      if (stride !== null) accessed = k;
    }
    if (wrote < 0 || accessed < 0) continue;
    const last = Math.max(wrote, accessed);
    for (let s = 0; s <= last; s++) {
      const root = body[s];
      const rootContinues = s === last && (root[0] === "br_if" || root[0] === "br") && root[1] === label;
      if (branchesTo(rootContinues ? root.slice(2) : [root], label)) return null;
    }
    return stride;
  }
  return null;
}

function spineOf(node) {
  const out = [node];
  const head = node[0];
  // A block always runs its first instruction; what follows may be skipped by a branch.
  if (head === "block") {
    const first = children(node).find((c) => c[0] !== "result");
    return first ? [...out, ...spineOf(first)] : out;
  }
  if (head === "then" || head === "else") return out;
  const operands = head === "if" ? children(node).filter((c) => !["result", "then", "else"].includes(c[0])) : children(node);
  for (const child of operands) out.push(...spineOf(child));
  return out;
}

function branchesTo(nodes, label) {
  for (const node of nodes) {
    if (!Array.isArray(node)) continue;
    if ((node[0] === "br" || node[0] === "br_if") && node[1] === label) return true;
    if (branchesTo(node.slice(1), label)) return true;
  }
  return false;
}

/**
 * Puts the charge on every exit but the fall-through (which the caller charges after the loop):
 * `br`/`br_if` to a label outside the loop, and `return`. Null when an exit carries a value.
 */
function chargeExits(node, scope, fee) {
  const head = node[0];
  const labelled = ["block", "if", "loop"].includes(head) && typeof node[1] === "string" && node[1].startsWith("$");
  const inScope = labelled ? new Set([...scope, node[1]]) : scope;
  const rewritten = [head];
  for (const child of node.slice(1)) {
    if (!Array.isArray(child)) {
      rewritten.push(child);
      continue;
    }
    const done = chargeExits(child, inScope, fee);
    if (done === null) return null;
    rewritten.push(done);
  }
  if ((head === "br" || head === "br_if") && !scope.has(node[1])) {
    if (rewritten.length !== (head === "br" ? 2 : 3)) return null;
    if (head === "br") return ["block", { raw: fee }, rewritten];
    return ["if", rewritten[2], ["then", { raw: fee }, ["br", node[1]]]];
  }
  if (head === "return") return ["block", { raw: fee }, rewritten];
  return rewritten;
}


/**
 * The most instructions a call of each function can run without being charged: its own body (a
 * loop counts once: its further iterations are charged) plus that of the functions it calls.
 * Only functions that call nothing but other such functions qualify (no recursion, imports or
 * indirect calls). Functions over `limit` are left out.
 * @param {Map<string, { body: import("./sexpr.mjs").Node[] }>} functions
 * @param {(node: import("./sexpr.mjs").Node) => string[] | null} targetsOf see recursiveFunctions.mjs
 */
export function boundedCallCosts(functions, targetsOf, limit) {
  const costs = new Map();
  const costOf = (name, path) => {
    if (costs.has(name)) return costs.get(name);
    const fn = functions.get(name);
    if (!fn || path.has(name)) return null;
    path.add(name);
    let cost = 0;
    const walk = (nodes) => {
      for (const node of nodes) {
        if (!Array.isArray(node) || cost === null) continue;
        const targets = targetsOf(node);
        if (targets !== null) {
          const callee = node[0] === "call" && targets.length === 1 && targets[0] === node[1] ? costOf(node[1], path) : null;
          if (callee === null) cost = null;
          else cost += callee;
          if (cost === null) return;
        }
        cost += 1;
        walk(node.slice(1));
      }
    };
    walk(fn.body);
    path.delete(name);
    const result = cost !== null && cost <= limit ? cost : null;
    costs.set(name, result);
    return result;
  };
  for (const name of functions.keys()) costOf(name, new Set());
  return costs;
}
