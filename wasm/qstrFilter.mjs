// Lets qstr_find_strn skip the interned strings made at run time when none has the hash it
// looks for, instead of comparing the hash of every one of them.
//
// MicroPython interns identifiers and short strings (qstrs) in pools. Every short string made
// at run time (formatting, slicing, joining, str methods, mp_obj_new_str) is first looked up
// there (py/qstr.c qstr_find_strn): the built-in pools are sorted and searched by bisection,
// but the pools added at run time (every identifier of every module an app imports: thousands)
// are searched one entry at a time. A dict of 100,000 fresh keys spent more time there than
// anywhere else. A filter of one bit per 16-bit qstr hash (8 KB, from the host: export
// swasgi_set_qstr_filter) records the hashes of the unsorted pools' entries: qstr_add sets the
// bit of each qstr it adds once the filter is on; the host turns it on after mp_js_init, having
// set the bits of every unsorted pool then (a built-in pool need not be sorted); a lookup whose
// bit is clear skips the unsorted pools. A set bit
// means "search as before", so a lookup finds exactly what it found before. With no filter
// (global 0) nothing changes.
import { addFunction, addGlobals } from "./moduleParts.mjs";
import { parse, print, visit } from "./sexpr.mjs";

const FILTER = "$swasgi_qstr_filter";
export const SET_QSTR_FILTER = "swasgi_set_qstr_filter";

const bit = (hash) => `(i32.shl (i32.const 1) (i32.and ${hash} (i32.const 7)))`;
const byteAt = (hash) => `(i32.add (global.get ${FILTER}) (i32.shr_u (i32.and ${hash} (i32.const 65535)) (i32.const 3)))`;

/** Rewrites qstr_find_strn and qstr_add; throws unless each site is found exactly once. */
export function qstrFilter(module) {
  // qstr_find_strn: djb2 from 5381, then per pool: is_sorted (the top bit of word 1) → bisect;
  // then the sequential scan compares load16_u hashes with $6.
  const finds = [...module.functions].filter(([, fn]) => {
    if (fn.sig !== "i32,i32>i32") return false;
    const text = fn.body.map(print).join(" ");
    return text.includes("(local.set $3 (i32.const 5381))") && text.includes("(i32.ne (local.get $6) (i32.load16_u");
  });
  if (finds.length !== 1) throw new Error(`wasm/qstrFilter: expected one qstr_find_strn, found ${finds.length}`);
  const [findName, find] = finds[0];
  const sorted = [];
  visit(find.body, (node, parent, index) => {
    // (block $blockN (br_if $blockN (i32.gt_s (local.tee $7 (i32.load offset=4 (local.get $5))) (i32.const -1))) ...bisect...)
    if (node[0] === "block" && print(node[2] ?? "").startsWith(`(br_if ${node[1]} (i32.gt_s (local.tee $7 (i32.load offset=4 (local.get $5))) (i32.const -1)))`)) sorted.push([parent, index]);
  });
  if (sorted.length !== 1) throw new Error(`wasm/qstrFilter: expected one sorted-pool test in qstr_find_strn, found ${sorted.length}`);
  const [parent, index] = sorted[0];
  // After it, for an unsorted pool ($7 >= 0: scan 0..$3) whose filter bit for $6 is clear: scan nothing.
  parent.splice(
    index + 1,
    0,
    parse(`(if (i32.and (i32.ne (global.get ${FILTER}) (i32.const 0)) (i32.gt_s (local.get $7) (i32.const -1)))
      (then (if (i32.eqz (i32.and (i32.load8_u ${byteAt("(local.get $6)")}) ${bit("(local.get $6)")}))
        (then (local.set $3 (i32.const 0))))))`),
  );

  // qstr_add (inlined in qstr_from_strn): pool->hashes[at] = hash, then pool->lengths[at] = len.
  const adds = [];
  for (const [name, fn] of module.functions) {
    if (!fn.body.map(print).join(" ").includes(`(call ${findName} `)) continue;
    visit(fn.body, (node, parent, index) => {
      const m = print(node).match(/^\(i32\.store16 \(i32\.add \(local\.get \$\d+\) \(i32\.shl (\(local\.get \$\d+\)) \(i32\.const 1\)\)\) (\(local\.get \$\d+\))\)$/);
      if (!m) return;
      const next = print(parent[index + 1] ?? "");
      if (!next.startsWith(`(i32.store8 (i32.add (local.get `) || !next.includes(`) ${m[1]}) `)) return;
      adds.push({ name, parent, index, hash: m[2] });
    });
  }
  if (adds.length !== 1) throw new Error(`wasm/qstrFilter: expected one qstr_add, found ${adds.length}`);
  const add = adds[0];
  add.parent.splice(
    add.index + 1,
    0,
    parse(`(if (global.get ${FILTER}) (then (i32.store8 ${byteAt(add.hash)} (i32.or (i32.load8_u ${byteAt(add.hash)}) ${bit(add.hash)}))))`),
  );

  addGlobals(module, ` (global ${FILTER} (mut i32) (i32.const 0))`);
  addFunction(module, parse(`(func $swasgi_set_qstr_filter (export "${SET_QSTR_FILTER}") (param $0 i32) (global.set ${FILTER} (local.get $0)))`), "i32>");
}
