// Small helpers to edit JavaScript source through its syntax tree (oxc's ESTree, via Vite):
// parse, walk with parents, and splice replacements into the text by node offsets.
import { parseAst } from "vite";

/**
 * @param {string} text
 * @param {"js" | "dts"} [lang]
 */
export function parse(text, lang = "js") {
  return parseAst(text, { lang });
}

/**
 * Calls `visit(node, parent)` on every node, parents first; children are skipped when it
 * returns false.
 * @param {any} node
 * @param {(node: any, parent: any) => boolean | void} visit
 */
export function walk(node, visit, parent = null) {
  if (visit(node, parent) === false) return;
  for (const key of Object.keys(node)) {
    if (key === "type" || key === "start" || key === "end") continue;
    const value = node[key];
    if (Array.isArray(value)) {
      for (const child of value) if (child && typeof child.type === "string") walk(child, visit, node);
    } else if (value && typeof value.type === "string") walk(value, visit, node);
  }
}

/**
 * Applies replacements `{ start, end, text }`; they must not overlap.
 * @param {string} source
 * @param {{ start: number, end: number, text: string }[]} edits
 */
export function splice(source, edits) {
  const sorted = [...edits].sort((a, b) => a.start - b.start);
  let out = "";
  let at = 0;
  for (const edit of sorted) {
    if (edit.start < at) throw new Error(`wasm/jsAst: overlapping edits at ${edit.start}`);
    out += source.slice(at, edit.start) + edit.text;
    at = edit.end;
  }
  return out + source.slice(at);
}

/** The identifier name or string/number literal value of a property key, if static. */
export function keyName(property) {
  if (property.computed) return property.key.type === "Literal" ? String(property.key.value) : undefined;
  return property.key.type === "Identifier" ? property.key.name : String(property.key.value);
}

/** `a.b` (or `a["b"]`) with a static name: the name; otherwise undefined. */
export function memberName(node) {
  if (node.type !== "MemberExpression") return undefined;
  if (!node.computed) return node.property.name;
  return node.property.type === "Literal" ? String(node.property.value) : undefined;
}
