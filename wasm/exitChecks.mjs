// Fuel checks before a function's calls back into its cycle, instead of at its entry.
//
// A recursive function needs fuel on every trip round a cycle of the call graph. Checking at
// its entry does that, but the hottest recursive functions of an interpreter (binary ops,
// truth tests) are entered millions of times and recurse only on slow paths. Any cycle through
// f leaves f by one of its calls whose targets include a function of f's strongly connected
// component ("cycle calls"), so a check just before each of those calls serves as well. Calls
// inside a loop need none: the loop header's check runs before them in every iteration. (Scan
// loops, wasm/boundedLoops.mjs, have no header check, but call only functions outside all
// cycles, so they hold no cycle calls.)
//
// Which placement a function gets is decided from `cycleCallsOnPaths` (wasm/instrumentFuel.mjs).

import { children } from "./sexpr.mjs";

/**
 * The fewest and the most cycle calls (outside loops) on a path from the function's start to its
 * end. Branches back to a loop header are ignored: inside loops nothing is counted, so going
 * round again changes nothing.
 * @param {import("./sexpr.mjs").Node[]} body the function's instructions
 * @param {(node: import("./sexpr.mjs").Node) => boolean} isCycleCall
 * @returns {{ min: number, max: number }}
 */
export function cycleCallsOnPaths(body, isCycleCall) {
  // A range [min, max] of counts reaching a point; null when no path reaches it.
  const join = (a, b) => (a === null ? b : b === null ? a : { min: Math.min(a.min, b.min), max: Math.max(a.max, b.max) });
  const labels = new Map();
  let returned = null;
  let loopDepth = 0;
  const reach = (label, at) => {
    if (labels.has(label)) labels.set(label, join(labels.get(label), at));
  };
  const sequence = (nodes, at) => {
    for (const node of nodes) at = walk(node, at);
    return at;
  };
  const labelled = (label, inner) => {
    if (!label) return inner();
    labels.set(label, null);
    const after = join(inner(), labels.get(label));
    labels.delete(label);
    return after;
  };
  const walk = (node, at) => {
    const head = node[0];
    const label = typeof node[1] === "string" && node[1].startsWith("$") ? node[1] : undefined;
    const parts = children(node).filter((c) => c[0] !== "result");
    if (head === "block") return labelled(label, () => sequence(parts, at));
    if (head === "loop") {
      // A branch to the loop's label goes back to its header: ignored (see above).
      loopDepth++;
      const after = sequence(parts, at);
      loopDepth--;
      return after;
    }
    if (head === "if") {
      return labelled(label, () => {
        const start = sequence(parts.filter((c) => c[0] !== "then" && c[0] !== "else"), at);
        const arm = (name) => {
          const found = parts.find((c) => c[0] === name);
          return found ? sequence(children(found), start) : start;
        };
        return join(arm("then"), arm("else"));
      });
    }
    // Operands run first, left to right.
    at = sequence(parts, at);
    switch (head) {
      case "br":
        reach(node[1], at);
        return null;
      case "br_if":
        reach(node[1], at);
        return at;
      case "br_table":
        for (const target of node.slice(1).filter((a) => typeof a === "string" && a.startsWith("$"))) reach(target, at);
        return null;
      case "return":
        returned = join(returned, at);
        return null;
      case "unreachable":
        return null;
      case "try":
      case "try_table":
      case "throw":
      case "rethrow":
      case "throw_ref":
      case "delegate":
        throw new Error(`exitChecks: ${head} is not supported`);
      default:
        if (typeof head === "string" && head.startsWith("br_on")) throw new Error(`exitChecks: ${head} is not supported`);
        if (at === null || loopDepth > 0 || !isCycleCall(node)) return at;
        return { min: at.min + 1, max: at.max + 1 };
    }
  };
  return join(sequence(body, { min: 0, max: 0 }), returned) ?? { min: 0, max: 0 };
}

/**
 * Puts `check` (an instruction sequence, as text) right before every cycle call outside loops.
 * A call is an expression: `(call ...)` becomes `(block (result T) check (call ...))`.
 * @param {import("./sexpr.mjs").Node[]} body
 * @param {(node: import("./sexpr.mjs").Node) => string | null} cycleCallResult  the result type
 *   ("" for none) of a cycle call, null for any other node
 * @returns {{ body: import("./sexpr.mjs").Node[], checks: number }}
 */
export function checkBeforeCycleCalls(body, cycleCallResult, check) {
  let checks = 0;
  let loopDepth = 0;
  const rewrite = (node) => {
    if (!Array.isArray(node)) return node;
    if (node[0] === "loop") loopDepth++;
    const done = node.map(rewrite);
    if (node[0] === "loop") loopDepth--;
    const result = loopDepth === 0 ? cycleCallResult(node) : null;
    if (result === null) return done;
    checks++;
    return result ? ["block", ["result", ...result.split(" ")], { raw: check }, done] : ["block", { raw: check }, done];
  };
  return { body: body.map(rewrite), checks };
}
