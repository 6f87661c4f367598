// S-expressions as binaryen prints a module: a node is an array [head, ...atoms and child nodes];
// `raw` objects carry text spliced in verbatim when printed.

/** @typedef {(string | Node | { raw: string })[]} Node */

/** @param {string} text one complete S-expression */
export function parse(text) {
  // Atoms: strings, names (quoted ones, `$"a b"`, may hold any character), everything else.
  const tokens = text.match(/\$?"(?:[^"\\]|\\.)*"|[()]|[^\s()"]+/g) ?? [];
  const stack = [[]];
  for (const token of tokens) {
    if (token === "(") stack.push([]);
    else if (token === ")") {
      const done = stack.pop();
      if (stack.length === 0) throw new Error("sexpr: unbalanced parenthesis");
      stack[stack.length - 1].push(done);
    } else stack[stack.length - 1].push(token);
  }
  if (stack.length !== 1 || stack[0].length !== 1) throw new Error(`sexpr: not one expression: ${text.slice(0, 80)}`);
  return stack[0][0];
}

/** @param {Node | string | { raw: string }} node */
export function print(node) {
  if (typeof node === "string") return node;
  if (!Array.isArray(node)) return node.raw;
  return `(${node.map(print).join(" ")})`;
}

/** Child nodes (not atoms). */
export const children = (node) => node.filter(Array.isArray);

/** Every node below `nodes` that passes `test`, in document order, with its parent and index there. */
export function findNodes(nodes, test) {
  const found = [];
  const walk = (list) =>
    list.forEach((node, index) => {
      if (!Array.isArray(node)) return;
      if (test(node)) found.push({ node, parent: list, index });
      walk(node);
    });
  walk(nodes);
  return found;
}

/** Calls `fn(node, parent, index)` for every node below `nodes`, children before their parent. */
export function visit(nodes, fn) {
  nodes.forEach((node, index) => {
    if (!Array.isArray(node)) return;
    visit(node, fn);
    fn(node, nodes, index);
  });
}
