// Values a call leaves on the wasm operand stack while it runs, made visible to the spills.
//
// In code as the compiler left it (not flattened), an expression such as
// `(i32.store offset=12 (local.get $0) (call $m_realloc ...))` evaluates `(local.get $0)` before
// the call and keeps it on the operand stack, where no scan of memory sees it, until the call
// returns. For each call that can collect, every value its ancestors computed before it (their
// earlier operands) is one of:
// - a constant or a float: not a pointer;
// - `local.get $x` of a local nothing in that ancestor writes: the local holds the same value,
//   so $x is reported as live across the call (spilled like any other live local);
// - anything else: wrapped in `local.tee` of a fresh local, reported as live across the call.
// Operands of block, loop, if arms, and an if's condition are not held (statements leave
// nothing on the stack; the condition is consumed before an arm runs).
//
// The call's own operands are the callee's to keep; wasm/spillPointers.mjs stores the spills
// after they are evaluated.

const NUMERIC = /^(i32|i64|f32|f64)\./;
const COMPARISON = /\.(?:eqz?|ne|[lg][te](?:_[su])?)$/;
const NOT_HELD = new Set(["block", "loop", "if", "then", "else"]);

/**
 * @param {import("./sexpr.mjs").Node[]} body a function body (mutated: tees are added)
 * @param {(node: import("./sexpr.mjs").Node) => boolean} collects calls that can collect
 * @param {(node: import("./sexpr.mjs").Node) => string} typeOf the value type of an expression ("" for none)
 * @param {(type: string) => string} newLocal declares a fresh local, returns its name
 * @returns {Map<import("./sexpr.mjs").Node, string[]>} each call → locals that hold what is on the stack across it
 */
export function exposeStackValues(body, collects, typeOf, newLocal) {
  const held = new Map();
  /** @type {{ node: import("./sexpr.mjs").Node, at: number }[]} */
  const path = [];
  const visit = (node) => {
    for (let i = 1; i < node.length; i++) {
      if (!Array.isArray(node[i])) continue;
      path.push({ node, at: i });
      visit(node[i]);
      path.pop();
    }
    if ((node[0] === "call" || node[0] === "call_indirect") && collects(node)) held.set(node, heldAcross(node));
  };
  const heldAcross = () => {
    const locals = [];
    for (let level = path.length - 1; level >= 0; level--) {
      const { node: parent, at } = path[level];
      if (NOT_HELD.has(parent[0])) continue;
      for (let j = 1; j < at; j++) {
        const value = parent[j];
        if (!Array.isArray(value)) continue;
        const type = typeOf(value);
        if (type !== "i32" && type !== "i64") continue;
        if (/\.const$/.test(value[0])) continue;
        if ((value[0] === "local.get" || value[0] === "local.tee") && !writes(parent, value[1], value)) locals.push(value[1]);
        else {
          const name = newLocal(type);
          parent[j] = ["local.tee", name, value];
          locals.push(name);
        }
      }
    }
    return locals;
  };
  for (const node of body) if (Array.isArray(node)) visit(node);
  return held;
}

/** Whether anything in `tree` other than `except` itself writes local `name`. */
function writes(tree, name, except) {
  if (!Array.isArray(tree)) return false;
  if (tree !== except && (tree[0] === "local.set" || tree[0] === "local.tee") && tree[1] === name) return true;
  return tree.some((child) => writes(child, name, except));
}

/**
 * The value type of an expression as binaryen prints it, from its opcode and names.
 * @param {(node: import("./sexpr.mjs").Node) => string} resultOfCall
 * @param {Map<string, string>} locals local name → type
 * @param {Map<string, string>} globals global name → type
 */
export function typeOfExpression(resultOfCall, locals, globals) {
  const typeOf = (node) => {
    const op = node[0];
    if (op === "local.get" || op === "local.tee") return locals.get(node[1]) ?? "";
    if (op === "global.get") return globals.get(node[1]) ?? "";
    if (op === "call" || op === "call_indirect") return resultOfCall(node);
    if (op === "block" || op === "loop" || op === "if" || op === "select") {
      const result = node.find((c) => Array.isArray(c) && c[0] === "result");
      if (result) return result.slice(1).join(" ");
      if (op === "select") return typeOf(node.find((c) => Array.isArray(c)));
      return "";
    }
    if (op === "memory.size" || op === "memory.grow") return "i32";
    const numeric = NUMERIC.exec(op);
    if (!numeric) return "";
    if (/\.store\d*$/.test(op)) return "";
    if (COMPARISON.test(op)) return "i32";
    return numeric[1];
  };
  return typeOf;
}
