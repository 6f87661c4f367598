// Which spill stores are needed: a local whose slot already holds its current value (stored
// before an earlier call, not assigned since on any path) need not be stored again. A forward
// analysis over binaryen's IR: the set of "clean" locals is cut by every assignment, grows
// at every spill, and where paths meet only what is clean on all of them stays clean.
//
// Most spilled locals are assigned once (flat IR gives every value its own local) and live
// across several calls, so this removes most of the stores wasm/spillPointers.mjs would add.

/** Clean-local sets; `null` is the state of unreachable code (everything clean: the identity of `meet`). */
const meet = (a, b) => (a === null ? b && new Set(b) : b === null ? new Set(a) : new Set([...a].filter((x) => b.has(x))));
const same = (a, b) => (a === null || b === null ? a === b : a.size === b.size && [...a].every((x) => b.has(x)));

/**
 * @param {import("./sexpr.mjs").Node[]} body the function body
 * @param {Map<import("./sexpr.mjs").Node, number[]>} spills each call → the locals live across it
 * @param {Map<string, number>} localIndex local (and param) name → index
 * @returns {Map<import("./sexpr.mjs").Node, number[]>} each call → the locals to store before it
 */
export function neededStores(body, spills, localIndex) {
  const needed = new Map();
  /** States reaching each label, innermost last: { name, states: (Set | null)[] }. */
  const labels = [];
  const labelOf = (node) => (typeof node[1] === "string" && node[1].startsWith("$") ? node[1] : undefined);
  const contents = (node) => node.slice(1).filter((c) => Array.isArray(c) && c[0] !== "result" && c[0] !== "type");
  const branchTo = (name, state) => {
    for (let i = labels.length - 1; i >= 0; i--) {
      if (labels[i].name === name) {
        labels[i].states.push(state === null ? null : new Set(state));
        return;
      }
    }
    throw new Error(`neededStores: branch to unknown label ${name}`);
  };

  const sequence = (nodes, state) => {
    for (const node of nodes) state = step(node, state);
    return state;
  };
  const operands = (node, state) => sequence(node.slice(1).filter(Array.isArray), state);

  /** The clean set after `node`, given the one before it (which it may modify). */
  function step(node, state) {
    if (!Array.isArray(node) || state === null) return state;
    switch (node[0]) {
      case "block": {
        labels.push({ name: labelOf(node), states: [] });
        const end = sequence(contents(node), state);
        const { states } = labels.pop();
        return states.reduce(meet, end);
      }
      case "loop": {
        let header = new Set(state);
        for (;;) {
          labels.push({ name: labelOf(node), states: [] });
          const end = sequence(contents(node), new Set(header));
          const { states } = labels.pop();
          const next = states.reduce(meet, state);
          if (same(next, header)) return end;
          header = next;
        }
      }
      case "if": {
        const parts = node.slice(1).filter((c) => Array.isArray(c) && c[0] !== "result" && c[0] !== "type");
        const condition = parts.filter((c) => c[0] !== "then" && c[0] !== "else");
        const then = parts.find((c) => c[0] === "then");
        const otherwise = parts.find((c) => c[0] === "else");
        const start = sequence(condition, state);
        const a = sequence(then ? then.slice(1) : [], start === null ? null : new Set(start));
        const b = sequence(otherwise ? otherwise.slice(1) : [], start === null ? null : new Set(start));
        return meet(a, b);
      }
      case "br":
        state = operands(node, state);
        branchTo(node[1], state);
        return null;
      case "br_if":
        state = operands(node, state);
        branchTo(node[1], state);
        return state;
      case "br_table":
        state = operands(node, state);
        for (const name of node.slice(1).filter((c) => typeof c === "string" && c.startsWith("$"))) branchTo(name, state);
        return null;
      case "return":
        operands(node, state);
        return null;
      case "unreachable":
        return null;
      case "local.set":
      case "local.tee":
        state = operands(node, state);
        state?.delete(localIndex.get(node[1]));
        return state;
      case "call":
      case "call_indirect": {
        // The stores go after the operands (which may assign locals), right before the call.
        state = operands(node, state);
        const live = spills.get(node);
        if (live && state) {
          needed.set(node, live.filter((i) => !state.has(i)));
          for (const i of live) state.add(i);
        }
        return state;
      }
      default:
        return operands(node, state);
    }
  }

  sequence(body, new Set());
  // Calls in code this analysis found unreachable keep all their stores (they never run).
  for (const [call, live] of spills) if (!needed.has(call)) needed.set(call, live);
  return needed;
}
