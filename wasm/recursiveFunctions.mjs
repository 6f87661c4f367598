// Which functions of a module (as binaryen prints it) can be part of a recursion.
//
// A run that never ends must either iterate a loop or recurse, so fuel checks are needed at
// every loop header and at the entry of every function that lies on a cycle of the call
// graph, and nowhere else. Function entries are the hot spot of an interpreter (small helpers
// called all the time), and most of them are not recursive: checking only the cyclic ones
// keeps the overhead low without leaving a gap.
//
// The graph is conservative: `call_indirect` of type T may reach every function of the table
// with T's signature, and a call of an emscripten `invoke_*` import (which calls back into the
// table from JS, for setjmp/longjmp) may reach every table function.

/** @param {string[]} lines binaryen's text of the module */
export function recursiveFunctions(lines) {
  const typeSig = new Map();
  const funcSig = new Map();
  const directCalls = new Map();
  const indirectSigs = new Map();
  const callsInvoke = new Set();
  const invokeImports = new Set();
  let table = [];
  let current;

  for (const line of lines) {
    let m;
    if ((m = line.match(/^ \(type (\$\S+) \(func(.*)\)\)$/))) {
      typeSig.set(m[1], signature(m[2]));
    } else if ((m = line.match(/^ \(import "env" "(invoke_\w+)" \(func (\$\S+)/))) {
      invokeImports.add(m[2]);
    } else if ((m = line.match(/^ \(elem \$\S+ \(i32\.const \d+\) (.*)\)$/))) {
      table = m[1].split(" ").filter((name) => name.startsWith("$"));
    } else if ((m = line.match(/^ \(func (\$\S+)(.*)$/))) {
      current = m[1];
      funcSig.set(current, signature(m[2]));
      directCalls.set(current, new Set());
      indirectSigs.set(current, new Set());
    } else if (current && line.startsWith("  ")) {
      for (const call of line.matchAll(/\(call (\$\S+)/g)) {
        if (invokeImports.has(call[1])) callsInvoke.add(current);
        else directCalls.get(current).add(call[1]);
      }
      for (const call of line.matchAll(/\(call_indirect \$\S+ \(type (\$\S+)\)/g)) indirectSigs.get(current).add(typeSig.get(call[1]));
    } else if (!line.startsWith("  ")) {
      current = undefined;
    }
  }

  const tableBySig = new Map();
  for (const name of table) {
    const sig = funcSig.get(name);
    if (sig === undefined) continue;
    if (!tableBySig.has(sig)) tableBySig.set(sig, []);
    tableBySig.get(sig).push(name);
  }
  const edges = new Map();
  for (const [name, calls] of directCalls) {
    const targets = new Set([...calls].filter((callee) => directCalls.has(callee)));
    for (const sig of indirectSigs.get(name)) for (const t of tableBySig.get(sig) ?? []) targets.add(t);
    if (callsInvoke.has(name)) for (const t of table) if (directCalls.has(t)) targets.add(t);
    edges.set(name, targets);
  }
  return cyclic(edges);
}

/** "(param $0 i32) (param $1 i32) (result i32)" or "(param i32 i32) (result i32)" → "i32,i32>i32" */
function signature(text) {
  const params = [...text.matchAll(/\(param (?:\$\S+ )?([^)]*)\)/g)].flatMap((m) => m[1].trim().split(/\s+/));
  const results = [...text.matchAll(/\(result ([^)]*)\)/g)].flatMap((m) => m[1].trim().split(/\s+/));
  return `${params.join(",")}>${results.join(",")}`;
}

/** Nodes on a cycle: members of a strongly connected component of size > 1, or with a self edge. */
function cyclic(edges) {
  // Tarjan's algorithm, iterative: the call graph is deep enough to overflow JS recursion.
  const index = new Map();
  const low = new Map();
  const onStack = new Set();
  const stack = [];
  const result = new Set();
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
        const component = [];
        let member;
        do {
          member = stack.pop();
          onStack.delete(member);
          component.push(member);
        } while (member !== node);
        if (component.length > 1 || edges.get(node)?.has(node)) for (const c of component) result.add(c);
      }
    }
  }
  return result;
}
