// Makes long strings built at run time (concatenation, join, formatting: anything made from a
// vstr) skip the two passes over their bytes that MicroPython makes when it creates them.
//
// mp_obj_new_str_type_from_vstr (py/objstr.c) first looks the bytes up among the interned
// strings (qstr_find_strn: a hash of all the bytes, then a search) and then stores their hash
// in the new object. Neither is needed for a string longer than 255 bytes: no interned string
// is that long (their length is one byte in this build), and a hash of 0 means "not computed
// yet" to the rest of MicroPython (mp_unary_op computes it when a dict or hash() needs it;
// str equality skips a comparison of hashes that are 0; exception messages use the same).
// `s += piece` in a loop then costs one copy of the string per step instead of three passes.
import { print } from "./sexpr.mjs";

/** The longest interned string (MICROPY_QSTR_BYTES_IN_LEN = 1: qstr_find_strn compares one length byte). */
const LONGEST_QSTR = 255;

/** Rewrites mp_obj_new_str_type_from_vstr; throws unless exactly one function matches. */
export function lazyStrHash(module) {
  // qstr_compute_hash: the call-free function that starts from djb2's 5381.
  const isHash = (name) => {
    const fn = module.functions.get(name);
    if (!fn || fn.sig !== "i32,i32>i32") return false;
    const text = fn.body.map(print).join(" ");
    return text.includes("(i32.const 5381)") && !text.includes("(call ");
  };
  const sites = [];
  for (const [name, fn] of module.functions) {
    if (fn.sig !== "i32,i32>i32") continue;
    const finds = [];
    const hashes = [];
    visit(fn.body, (node, parent, index) => {
      if (node[0] !== "call") return;
      // qstr_find_strn(vstr->buf, vstr->len) with the vstr in $1.
      if (print(node) === `(call ${node[1]} (i32.load offset=8 (local.get $1)) (i32.load offset=4 (local.get $1)))` && module.functions.get(node[1])?.sig === "i32,i32>i32") finds.push([parent, index]);
      if (isHash(node[1]) && Array.isArray(node[3]) && node[3][0] === "local.get") hashes.push([parent, index]);
    });
    if (finds.length === 1 && hashes.length === 1) sites.push({ name, find: finds[0], hash: hashes[0] });
  }
  if (sites.length !== 1) throw new Error(`wasm/lazyStrHash: expected one mp_obj_new_str_type_from_vstr, found ${sites.length}`);
  const [{ find, hash }] = sites;
  const guard = (length, call) => ["if", ["result", "i32"], ["i32.gt_u", length, ["i32.const", String(LONGEST_QSTR)]], ["then", ["i32.const", "0"]], ["else", call]];
  const [findParent, findAt] = find;
  findParent[findAt] = guard(["i32.load", "offset=4", ["local.get", "$1"]], findParent[findAt]);
  const [hashParent, hashAt] = hash;
  hashParent[hashAt] = guard(hashParent[hashAt][3], hashParent[hashAt]);
}

function visit(nodes, fn) {
  nodes.forEach((node, index) => {
    if (!Array.isArray(node)) return;
    visit(node, fn);
    fn(node, nodes, index);
  });
}
