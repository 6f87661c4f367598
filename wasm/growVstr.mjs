// Makes MicroPython's growable strings (vstr: json.dumps, str.join, "%" formatting, print
// buffers) grow by half their size instead of by 16 bytes.
//
// vstr_ensure_extra asks for ROUND_ALLOC(len + size + 16) bytes (py/vstr.c): each append that
// does not fit reallocates, and gc_realloc first walks every block of the buffer to see whether
// it can grow in place, so building a 400 KB string 40 bytes at a time walks the buffer ten
// thousand times (json.dumps of 10,000 small dicts took 0.6 s). Asking for 1.5 times what is
// needed makes appends amortized constant; the slack is given back when the vstr becomes a str
// (mp_obj_new_str_from_vstr shrinks the buffer to its length).
import { print } from "./sexpr.mjs";

/** Rewrites vstr_ensure_extra's new size; throws unless exactly one site matches. */
export function growVstr(module) {
  const found = [];
  for (const fn of module.functions.values()) {
    visit(fn.body, (node) => {
      // ((len + size) & ~7) + 24, the compiler's form of ROUND_ALLOC(len + size + 16).
      if (node[0] !== "i32.add" || !Array.isArray(node[1]) || node[1][0] !== "i32.and") return;
      const needed = node[1][1];
      if (Array.isArray(needed) && needed[0] === "local.get" && print(node) === `(i32.add (i32.and ${print(needed)} (i32.const -8)) (i32.const 24))`) found.push(node);
    });
  }
  if (found.length !== 1) throw new Error(`wasm/growVstr: expected one ROUND_ALLOC(len + size + 16) in vstr_ensure_extra, found ${found.length}`);
  const needed = found[0][1][1];
  found[0][1][1] = ["i32.add", needed, ["i32.shr_u", needed, ["i32.const", "1"]]];
}

function visit(nodes, fn) {
  for (const node of nodes) {
    if (!Array.isArray(node)) continue;
    visit(node, fn);
    fn(node);
  }
}
