// Which locals hold a value across each call of a function: a backward liveness analysis over
// binaryen's IR, children in evaluation order. Values the call's ancestors keep on the operand
// stack are not locals: wasm/stackValues.mjs turns them into locals first (binaryen's flat IR,
// `--flatten`, has none).
//
// Control flow is structured: a `br` to a block continues after the block, a `br` to a loop
// re-enters it, so the live set at a branch is the live set at its target; loops are iterated
// until their entry set stops growing. Nothing here trusts the code to be sensible: a local
// read on any path after the call counts, whether or not that path is ever taken.

/** A set of local indices. */
class Locals {
  constructor(words) {
    this.bits = new Uint32Array(words);
  }
  copy() {
    const out = new Locals(0);
    out.bits = this.bits.slice();
    return out;
  }
  add(i) {
    this.bits[i >>> 5] |= 1 << (i & 31);
  }
  delete(i) {
    this.bits[i >>> 5] &= ~(1 << (i & 31));
  }
  addAll(other) {
    for (let w = 0; w < this.bits.length; w++) this.bits[w] |= other.bits[w];
    return this;
  }
  equals(other) {
    for (let w = 0; w < this.bits.length; w++) if (this.bits[w] !== other.bits[w]) return false;
    return true;
  }
  /** @returns {number[]} */
  members() {
    const out = [];
    for (let w = 0; w < this.bits.length; w++) {
      let word = this.bits[w];
      while (word) {
        const bit = 31 - Math.clz32(word & -word);
        out.push(w * 32 + bit);
        word &= word - 1;
      }
    }
    return out;
  }
}

const UNSUPPORTED = /^(?:try|try_table|throw|throw_ref|rethrow|delegate|return_call|return_call_indirect|call_ref|return_call_ref)$/;

/**
 * @param {import("./sexpr.mjs").Node[]} body the function body
 * @param {Map<string, number>} localIndex local (and param) name → index
 * @param {(node: import("./sexpr.mjs").Node) => boolean} tracked the calls to report
 * @returns {Map<import("./sexpr.mjs").Node, number[]>} each tracked call → indices of the locals
 *   live just after it, other than the one its result is stored in
 */
export function liveAcrossCalls(body, localIndex, tracked) {
  const words = (localIndex.size + 31) >>> 5;
  const empty = () => new Locals(words);
  const result = new Map();
  /** Live sets at branch targets, innermost last: { name, live }. */
  const labels = [];
  const target = (name) => {
    for (let i = labels.length - 1; i >= 0; i--) if (labels[i].name === name) return labels[i].live;
    throw new Error(`liveAcrossCalls: branch to unknown label ${name}`);
  };
  const indexOf = (name) => {
    const index = localIndex.get(name);
    if (index === undefined) throw new Error(`liveAcrossCalls: unknown local ${name}`);
    return index;
  };

  /** Live before `nodes`, given live after them (which it may modify). */
  const sequence = (nodes, live) => {
    for (let i = nodes.length - 1; i >= 0; i--) live = step(nodes[i], live);
    return live;
  };
  /** Child expressions, evaluated left to right before the node itself acts. */
  const operands = (node) => node.slice(1).filter(Array.isArray);
  const labelOf = (node) => (typeof node[1] === "string" && node[1].startsWith("$") ? node[1] : undefined);
  const contents = (node) => node.slice(1).filter((c) => Array.isArray(c) && c[0] !== "result" && c[0] !== "type");

  /** Live before `node`, given live after it (which it may modify). */
  function step(node, live) {
    if (!Array.isArray(node)) return live;
    const op = node[0];
    if (typeof op === "string" && UNSUPPORTED.test(op)) throw new Error(`liveAcrossCalls: ${op} is not supported`);
    switch (op) {
      case "block": {
        labels.push({ name: labelOf(node), live: live.copy() });
        const before = sequence(contents(node), live);
        labels.pop();
        return before;
      }
      case "loop": {
        let entry = empty();
        for (;;) {
          labels.push({ name: labelOf(node), live: entry });
          const before = sequence(contents(node), live.copy());
          labels.pop();
          if (before.equals(entry)) return before;
          entry = before.addAll(entry);
        }
      }
      case "if": {
        const arms = node.slice(1).filter((c) => Array.isArray(c) && (c[0] === "then" || c[0] === "else"));
        const condition = node.slice(1).filter((c) => Array.isArray(c) && c[0] !== "then" && c[0] !== "else" && c[0] !== "result" && c[0] !== "type");
        const then = arms.find((a) => a[0] === "then");
        const otherwise = arms.find((a) => a[0] === "else");
        const afterThen = sequence(then ? then.slice(1) : [], live.copy());
        const afterElse = sequence(otherwise ? otherwise.slice(1) : [], live.copy());
        return sequence(condition, afterThen.addAll(afterElse));
      }
      case "br":
        return sequence(operands(node), target(node[1]).copy());
      case "br_if":
        return sequence(operands(node), live.addAll(target(node[1])));
      case "br_table": {
        const out = empty();
        for (const name of node.slice(1).filter((c) => typeof c === "string" && c.startsWith("$"))) out.addAll(target(name));
        return sequence(operands(node), out);
      }
      case "return":
        return sequence(operands(node), empty());
      case "unreachable":
        return empty();
      case "local.get":
        live.add(indexOf(node[1]));
        return live;
      case "local.set":
      case "local.tee":
        live.delete(indexOf(node[1]));
        return sequence(operands(node), live);
      case "call":
      case "call_indirect":
        if (tracked(node)) result.set(node, live.members());
        return sequence(operands(node), live);
      default:
        return sequence(operands(node), live);
    }
  }

  sequence(body, empty());
  return result;
}
