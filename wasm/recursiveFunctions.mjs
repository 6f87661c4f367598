// The call graph of a module (as binaryen prints it) and which of its calls can recurse.
//
// A run that never ends must either iterate a loop or recurse, so fuel is needed on every trip
// round a cycle of the call graph (wasm/instrumentFuel.mjs and wasm/exitChecks.mjs place it).
// The graph is conservative:
// - `call_indirect` of type T may reach every function of the table with T's signature (the
//   table holds its element segments: nothing in the module writes it, nor does the host);
// - an emscripten `invoke_*` import (setjmp/longjmp) calls back into the table from JS;
// - any other import is JS that may call back into the module: every export and, the table
//   being exported, every table function. Only `swasgi.refuel`, added by the instrumentation,
//   is known not to recurse (it calls at most `mp_sched_keyboard_interrupt`, a leaf).
// A strongly connected component of more than one function, or a function calling itself, is a
// cycle; its member functions are "recursive", and a call whose targets include a function of
// the caller's own component is a "cycle call".

const JS = "<js>"; // the host: where calls to imports may lead

/**
 * @param {{ types: Map<string, string>, imports: Map<string, string>, exports: Set<string>,
 *   table: string[], functions: Map<string, { sig: string, body: import("./sexpr.mjs").Node[] }> }} module
 *   types and imports map names to signatures ("i32,i32>i32"); exports and table name functions
 */
export function callGraph(module) {
  const tableBySig = new Map();
  for (const name of module.table) {
    const sig = module.functions.get(name)?.sig ?? module.imports.get(name);
    if (sig === undefined) throw new Error(`recursiveFunctions: table entry ${name} is not a known function`);
    if (!tableBySig.has(sig)) tableBySig.set(sig, []);
    tableBySig.get(sig).push(name);
  }
  const reentry = [...new Set([...module.exports, ...module.table])].filter((n) => module.functions.has(n));

  /** Functions a call node may enter (JS for imports), or null when the node is not a call. */
  const targetsOf = (node) => {
    if (node[0] === "call" || node[0] === "return_call") {
      if (node[1] === "$swasgi_refuel") return [];
      return module.functions.has(node[1]) ? [node[1]] : [JS];
    }
    if (node[0] === "call_indirect" || node[0] === "return_call_indirect") {
      const type = node.find((c) => Array.isArray(c) && c[0] === "type");
      const sig = type && module.types.get(type[1]);
      if (sig === undefined) throw new Error("recursiveFunctions: call_indirect of an unknown type");
      // An imported function in the table is JS too.
      return (tableBySig.get(sig) ?? []).map((n) => (module.functions.has(n) ? n : JS));
    }
    if (typeof node[0] === "string" && /^(?:call_ref|return_call_ref)$/.test(node[0])) {
      throw new Error(`recursiveFunctions: ${node[0]} is not supported`);
    }
    return null;
  };

  const edges = new Map([[JS, new Set(reentry)]]);
  for (const [name, fn] of module.functions) {
    const out = new Set();
    visit(fn.body, (node) => {
      // The table is modelled as its element segments: code that changes it is not understood.
      if (typeof node[0] === "string" && /^(?:table\.(?:set|grow|fill|copy|init)|ref\.func)$/.test(node[0])) {
        throw new Error(`recursiveFunctions: ${node[0]} is not supported`);
      }
      for (const t of targetsOf(node) ?? []) out.add(t);
    });
    edges.set(name, out);
  }
  const component = components(edges);
  const size = new Map();
  for (const c of component.values()) size.set(c, (size.get(c) ?? 0) + 1);
  const recursive = new Set(
    [...module.functions.keys()].filter((n) => size.get(component.get(n)) > 1 || edges.get(n).has(n)),
  );
  return {
    recursive,
    /** Whether `node`, a call inside `caller`, may lead back into caller's own cycle. */
    isCycleCall(caller, node) {
      const targets = targetsOf(node);
      if (!targets || !recursive.has(caller)) return false;
      const own = component.get(caller);
      return targets.some((t) => component.get(t) === own);
    },
    targetsOf,
    /** Functions (and JS) that `name` may call. */
    callees: (name) => edges.get(name),
    JS,
  };
}

/** Calls `fn` on every node below `nodes`, parents after children. */
function visit(nodes, fn) {
  for (const node of nodes) {
    if (!Array.isArray(node)) continue;
    visit(node, fn);
    fn(node);
  }
}

/** "(param $0 i32) (param $1 i32) (result i32)" or "(param i32 i32) (result i32)" → "i32,i32>i32" */
export function signature(text) {
  const params = [...text.matchAll(/\(param (?:\$\S+ )?([^)]*)\)/g)].flatMap((m) => m[1].trim().split(/\s+/));
  const results = [...text.matchAll(/\(result ([^)]*)\)/g)].flatMap((m) => m[1].trim().split(/\s+/));
  return `${params.join(",")}>${results.join(",")}`;
}

/** Strongly connected components (Tarjan, iterative: the call graph is too deep for JS recursion). */
function components(edges) {
  const index = new Map();
  const low = new Map();
  const onStack = new Set();
  const stack = [];
  const component = new Map();
  let counter = 0;
  for (const root of edges.keys()) {
    if (index.has(root)) continue;
    const work = [[root, [...edges.get(root)], 0]];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length) {
      const frame = work[work.length - 1];
      const [node, targets] = frame;
      if (frame[2] < targets.length) {
        const next = targets[frame[2]++];
        if (!index.has(next)) {
          index.set(next, counter);
          low.set(next, counter++);
          stack.push(next);
          onStack.add(next);
          work.push([next, [...(edges.get(next) ?? [])], 0]);
        } else if (onStack.has(next)) {
          low.set(node, Math.min(low.get(node), index.get(next)));
        }
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1][0];
        low.set(parent, Math.min(low.get(parent), low.get(node)));
      }
      if (low.get(node) === index.get(node)) {
        let member;
        do {
          member = stack.pop();
          onStack.delete(member);
          component.set(member, node);
        } while (member !== node);
      }
    }
  }
  return component;
}

