// Reads binaryen's text of a module into what the passes need: signatures, imports, exports, the
// table, each function as an S-expression (wasm/sexpr.mjs), and the top-level lines in order so
// that a pass can reassemble the module with its functions rewritten.
import { signature } from "./recursiveFunctions.mjs";
import { parse, print } from "./sexpr.mjs";

/** The result type of a call ("" for none). */
export function resultOf(module, node) {
  let sig;
  if (node[0] === "call") sig = module.functions.get(node[1])?.sig ?? module.imports.get(node[1]);
  else sig = module.types.get(node.find((c) => Array.isArray(c) && c[0] === "type")[1]);
  if (sig === undefined) throw new Error(`wasm/readModule: no signature for ${print(node).slice(0, 60)}`);
  return sig.split(">")[1].split(",").filter(Boolean).join(" ");
}

/**
 * Splits binaryen's text into top-level lines and parsed functions. Functions span lines from
 * ` (func ` to the next line that is exactly ` )` (or fit on their first line).
 */
export function readModule(text) {
  const lines = text.split("\n");
  const types = new Map();
  const imports = new Map();
  const exports = new Set();
  /** Export name → function name. */
  const exported = new Map();
  /** Imported function → "module.name". */
  const importNames = new Map();
  const functions = new Map();
  const parts = [];
  const table = [];
  let lastImport;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    let m;
    if (line.startsWith(" (func ")) {
      let end = i;
      const oneLine = line.split("(").length === line.split(")").length;
      while (!oneLine && lines[end] !== " )") end++;
      const node = parse(lines.slice(i, end + 1).join("\n"));
      const name = node[1];
      let k = 2;
      while (k < node.length && Array.isArray(node[k]) && ["param", "result", "local", "type", "export"].includes(node[k][0])) k++;
      const head = node.slice(0, k);
      functions.set(name, { sig: signature(head.slice(2).map(print).join(" ")), head, body: node.slice(k) });
      parts.push({ name });
      i = end;
      continue;
    }
    parts.push(line);
    if ((m = line.match(/^ \(type (\$\S+) \(func(.*)\)\)$/))) types.set(m[1], signature(m[2]));
    else if ((m = line.match(/^ \(import "([^"]*)" "([^"]*)" \(func (\$\S+)(.*)\)\)$/))) {
      imports.set(m[3], signature(m[4]));
      importNames.set(m[3], `${m[1]}.${m[2]}`);
      lastImport = parts.length - 1;
    } else if (line.startsWith(" (import ")) lastImport = parts.length - 1;
    else if ((m = line.match(/^ \(export "([^"]*)" \(func (\$\S+)\)\)$/))) {
      exports.add(m[2]);
      exported.set(m[1], m[2]);
    } else if ((m = line.match(/^ \(elem \$\S+ \(i32\.const \d+\) (.*)\)$/))) table.push(...m[1].split(" ").filter((n) => n.startsWith("$")));
    else if (line.startsWith(" (elem ")) throw new Error(`wasm/readModule: unexpected table layout: ${line.slice(0, 80)}`);
  }
  return { types, imports, importNames, exports, exported, table, functions, parts, lastImport };
}
