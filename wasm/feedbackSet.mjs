// Recursive functions that need no fuel check of their own.
//
// Fuel must be taken on every trip round a cycle of the call graph, and one checked function
// per cycle is enough: the checked functions only have to form a feedback vertex set, i.e. the
// functions left unchecked (with JS, which cannot be instrumented) must not call each other in
// a cycle. Small recursive functions (wrappers, helpers on fast paths) are entered most, so
// their checks are dropped first, smallest first, each only if the unchecked ones stay acyclic.
//
// Fewer checks mean longer stretches between two of them, so a drop is also refused when it
// would let some function run more than `maxWork` instructions without a check: the work of a
// function after its own check, counting the bodies of the functions it calls unless those are
// checked at entry; a loop body counts once (its header is checked) and calls in it not at all,
// nor do calls preceded by their own check. Those counted calls form a DAG (a cycle of them
// would be a cycle of unchecked functions), so the work is finite.

/**
 * @param {Map<string, { body: import("./sexpr.mjs").Node[] }>} functions
 * @param {ReturnType<typeof import("./recursiveFunctions.mjs").callGraph>} graph
 * @param {Map<string, "entry" | "calls">} modes how each recursive function is checked: at its
 *   entry, or before its cycle calls (wasm/exitChecks.mjs)
 * @param {number} maxWork
 * @returns {Set<string>} recursive functions whose checks can go
 */
export function droppableChecks(functions, graph, modes, maxWork) {
  const dropped = new Set();
  const mode = (name) => (dropped.has(name) ? "none" : (modes.get(name) ?? "none"));

  /** Instructions of `name`'s own body, and the callees whose work adds to it (the most of each call's). */
  const shape = (name) => {
    const sites = [];
    let size = 0;
    let loops = 0;
    const walk = (nodes) => {
      for (const node of nodes) {
        if (!Array.isArray(node)) continue;
        size += 1;
        const targets = graph.targetsOf(node);
        if (targets && loops === 0 && !(mode(name) === "calls" && graph.isCycleCall(name, node))) {
          const counted = targets.filter((t) => t !== graph.JS && mode(t) !== "entry");
          if (counted.length) sites.push(counted);
        }
        if (node[0] === "loop") loops++;
        walk(node.slice(1));
        if (node[0] === "loop") loops--;
      }
    };
    walk(functions.get(name).body);
    return { size, sites };
  };
  const work = new Map();
  const workOf = (name) => {
    const { size, sites } = shape(name);
    return sites.reduce((sum, targets) => sum + Math.max(...targets.map((t) => work.get(t))), size);
  };
  const settle = (name, path) => {
    if (work.has(name)) return;
    if (path.has(name)) throw new Error(`feedbackSet: calls counted in a cycle through ${name}`);
    path.add(name);
    for (const targets of shape(name).sites) for (const t of targets) settle(t, path);
    path.delete(name);
    work.set(name, workOf(name));
  };
  for (const name of functions.keys()) settle(name, new Set());

  const callers = new Map([...functions.keys()].map((n) => [n, new Set()]));
  for (const name of functions.keys()) for (const callee of graph.callees(name)) callers.get(callee)?.add(name);
  const unchecked = new Set([graph.JS, ...[...functions.keys()].filter((n) => !graph.recursive.has(n))]);
  const reachesItself = (start) => {
    const seen = new Set();
    const stack = [...graph.callees(start)];
    while (stack.length) {
      const n = stack.pop();
      if (n === start) return true;
      if (seen.has(n) || !unchecked.has(n)) continue;
      seen.add(n);
      stack.push(...graph.callees(n));
    }
    return false;
  };

  const sizes = new Map([...modes.keys()].map((n) => [n, shape(n).size]));
  const candidates = [...modes.keys()].sort((a, b) => sizes.get(a) - sizes.get(b) || (a < b ? -1 : 1));
  for (const name of candidates) {
    if (reachesItself(name)) continue;
    dropped.add(name);
    // The work of `name` and of the callers that count it changes: recompute while it does.
    const before = new Map();
    const queue = [name];
    let fits = true;
    while (queue.length && fits) {
      const n = queue.shift();
      const value = workOf(n);
      if (n !== name && value === work.get(n)) continue;
      if (!before.has(n)) before.set(n, work.get(n));
      work.set(n, value);
      fits = value <= maxWork;
      for (const c of callers.get(n)) queue.push(c);
    }
    if (fits) unchecked.add(name);
    else {
      dropped.delete(name);
      for (const [n, value] of before) work.set(n, value);
    }
  }
  return dropped;
}
