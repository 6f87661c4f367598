// Makes `s += piece` in a loop linear: a long string made by concatenation keeps room after its
// bytes, and the next concatenation onto that same string writes the piece into that room.
//
// CPython appends in place when it holds the only reference to the string; MicroPython has no
// reference counts, so mp_obj_str_binary_op (py/objstr.c) copies the whole string at every `+=`
// (20,000 rows of a table copy 7.6 GB). Immutability does not need a private buffer, only that no
// string ever sees its bytes change: a string is (data, len), so two strings may share a buffer
// when one is a prefix of the other. Here the last string made by a long concatenation is
// remembered (its buffer, length and capacity, in three globals). Concatenating onto exactly that
// string (same data pointer, same length) writes the piece after its bytes (a new 16-byte str
// object shares the buffer) or, when the room is used up, moves to a buffer half as big again.
// Any other concatenation copies both sides into a buffer of the exact size, as before, and
// becomes the remembered string. Older strings on the buffer keep their bytes; only the null
// byte after them is overwritten, which mp_obj_str_get_str (the one accessor that promises a C
// string) now restores by copying such a string (below).
//
// The globals are not a root: the collector clears them first thing (gc_collect_start), so a
// freed buffer is never written. Short results (<= 255 bytes) keep the original path, which also
// looks them up among the interned strings (wasm/lazyStrHash.mjs: no interned string is longer).
import { addFunction, addGlobals } from "./moduleParts.mjs";
import { parse, print, visit } from "./sexpr.mjs";

const BUF = "$swasgi_concat_buf";
const LEN = "$swasgi_concat_len";
const CAP = "$swasgi_concat_cap";
const CONCAT = "$swasgi_str_concat";
const CSTR = "$swasgi_str_cstr";
/** Results this long or shorter take MicroPython's own path (the interned-string lookup). */
const LONGEST_QSTR = 255;

/**
 * @param {ReturnType<typeof import("./readModule.mjs").readModule>} module
 * @param {{ gcCollectStart: string }} landmarks
 */
export function appendInPlace(module, { gcCollectStart }) {
  const site = concatSite(module);
  const { vstrInit, newFromVstr } = site;
  const malloc = onlyCall(module, vstrInit, "vstr_init_len");
  const objMalloc = objMallocOf(module, newFromVstr);
  const { lhsData, lhsLen, rhsData, rhsLen, type, result } = site.operands;
  const copy = (node) => parse(print(node));

  // The ADD/INPLACE_ADD case: long results go to the new function, short ones stay as they were.
  const [first, ...rest] = site.parent.splice(site.index, 4);
  const total = ["i32.add", copy(lhsLen), copy(rhsLen)];
  site.parent.splice(site.index, 0, [
    "if",
    ["i32.gt_u", total, ["i32.const", String(LONGEST_QSTR)]],
    ["then", ["local.set", result, ["call", CONCAT, type, lhsData, copy(lhsLen), rhsData, copy(rhsLen)]]],
    ["else", first, ...rest],
  ]);

  const newStr = (data, length) => `(local.set $o (call ${objMalloc} (i32.const 16) (local.get $type)))
      (i32.store offset=4 (local.get $o) (i32.const 0))
      (i32.store offset=8 (local.get $o) ${length})
      (i32.store offset=12 (local.get $o) ${data})
      (return (local.get $o))`;
  // mp_obj_str_t: base, hash (0: not computed yet, wasm/lazyStrHash.mjs), len, data.
  const concat = parse(`(func ${CONCAT} (param $type i32) (param $l i32) (param $ln i32) (param $r i32) (param $rn i32) (result i32)
    (local $n i32) (local $buf i32) (local $cap i32) (local $o i32)
    (local.set $n (i32.add (local.get $ln) (local.get $rn)))
    (block $fresh
      (br_if $fresh (i32.ne (local.get $l) (global.get ${BUF})))
      (br_if $fresh (i32.ne (local.get $ln) (global.get ${LEN})))
      (if (i32.ge_u (local.get $n) (global.get ${CAP}))
        (then
          (local.set $cap (i32.and (i32.add (i32.add (local.get $n) (i32.shr_u (local.get $n) (i32.const 1))) (i32.const 16)) (i32.const -16)))
          (local.set $buf (call ${malloc} (local.get $cap)))
          (memory.copy (local.get $buf) (local.get $l) (local.get $ln))
          (global.set ${BUF} (local.get $buf))
          (global.set ${CAP} (local.get $cap))
          (local.set $l (local.get $buf))))
      (memory.copy (i32.add (local.get $l) (local.get $ln)) (local.get $r) (local.get $rn))
      (i32.store8 (i32.add (local.get $l) (local.get $n)) (i32.const 0))
      (global.set ${LEN} (local.get $n))
      ${newStr("(local.get $l)", "(local.get $n)")})
    (local.set $cap (i32.and (i32.add (local.get $n) (i32.const 16)) (i32.const -16)))
    (local.set $buf (call ${malloc} (local.get $cap)))
    (memory.copy (local.get $buf) (local.get $l) (local.get $ln))
    (memory.copy (i32.add (local.get $buf) (local.get $ln)) (local.get $r) (local.get $rn))
    (i32.store8 (i32.add (local.get $buf) (local.get $n)) (i32.const 0))
    (global.set ${BUF} (local.get $buf))
    (global.set ${LEN} (local.get $n))
    (global.set ${CAP} (local.get $cap))
    ${newStr("(local.get $buf)", "(local.get $n)")})`);
  addFunction(module, concat, "i32,i32,i32,i32,i32>i32", site.functionName);

  // mp_obj_str_get_str: a string whose null byte a longer string on its buffer overwrote gets
  // a null-terminated copy (open(), re.compile, re.sub's template, struct formats read to NUL).
  const getStr = getStrSite(module);
  getStr.parent[getStr.index] = ["local.set", "$0", ["call", CSTR, ["local.get", "$0"]]];
  const cstr = parse(`(func ${CSTR} (param $0 i32) (result i32) (local $1 i32) (local $2 i32) (local $3 i32)
    (local.set $1 (i32.load offset=12 (local.get $0)))
    (local.set $2 (i32.load offset=8 (local.get $0)))
    (if (i32.eqz (i32.load8_u (i32.add (local.get $1) (local.get $2)))) (then (return (local.get $1))))
    (local.set $3 (call ${malloc} (i32.add (local.get $2) (i32.const 1))))
    (memory.copy (local.get $3) (local.get $1) (local.get $2))
    (i32.store8 (i32.add (local.get $3) (local.get $2)) (i32.const 0))
    (local.get $3))`);
  addFunction(module, cstr, "i32>i32", getStr.functionName);

  const start = module.functions.get(gcCollectStart);
  start.body.unshift(["global.set", BUF, ["i32.const", "0"]]);
  addGlobals(module, ...[BUF, LEN, CAP].map((g) => ` (global ${g} (mut i32) (i32.const 0))`));
}

/**
 * The four statements of the ADD case: vstr_init_len(&vstr, lhs_len + rhs_len), the two
 * memcpy blocks, and `result = mp_obj_new_str_type_from_vstr(lhs_type, &vstr)`.
 */
function concatSite(module) {
  const sites = [];
  for (const [functionName, fn] of module.functions) {
    visit(fn.body, (node, parent, index) => {
      if (node[0] !== "call" || node.length !== 4) return;
      const [, vstrInit, vstr, sum] = node;
      if (!Array.isArray(sum) || sum[0] !== "i32.add" || sum.length !== 3) return;
      const [, lhsLen, rhsLen] = sum;
      const copyL = parent[index + 1];
      const copyR = parent[index + 2];
      const make = parent[index + 3];
      if (!Array.isArray(copyL) || !Array.isArray(copyR) || !Array.isArray(make)) return;
      const makeMatch = print(make).match(/^\(local\.set (\$\S+) \(call (\$\S+) (\(local\.get \$\S+\)) (.*)\)\)$/);
      if (!makeMatch || makeMatch[4] !== print(vstr)) return;
      const m = print(copyL).match(/^\(block (\$\S+) \(br_if \1 \(i32\.eqz \(local\.tee (\$\S+) (.*)\)\)\) \(memory\.copy (.*) (\(local\.get \$\S+\)) \(local\.get \2\)\)\)$/);
      if (!m || m[3] !== print(lhsLen)) return;
      const buf = m[4];
      const expectedR = `(block ${copyR[1]} (br_if ${copyR[1]} (i32.eqz ${print(rhsLen)})) (memory.copy (i32.add ${buf} ${print(lhsLen)}) `;
      const endR = ` ${print(rhsLen)}))`;
      if (!print(copyR).startsWith(expectedR) || !print(copyR).endsWith(endR)) return;
      const rhsDataText = print(copyR).slice(expectedR.length, -endR.length);
      sites.push({
        functionName,
        parent,
        index,
        vstrInit,
        newFromVstr: makeMatch[2],
        operands: { lhsData: parse(m[5]), lhsLen, rhsData: parse(rhsDataText), rhsLen, type: parse(makeMatch[3]), result: makeMatch[1] },
      });
    });
  }
  if (sites.length !== 1) throw new Error(`wasm/appendInPlace: expected one string concatenation in mp_obj_str_binary_op, found ${sites.length}`);
  return sites[0];
}

/** mp_obj_str_get_str's `return ((mp_obj_str_t *)o)->data` for a heap str or bytes. */
function getStrSite(module) {
  const sites = [];
  for (const [functionName, fn] of module.functions) {
    if (fn.sig !== "i32>i32") continue;
    const text = fn.body.map(print).join(" ");
    // mp_obj_is_str_or_bytes: the type's binary_op slot is mp_obj_str_binary_op (table entry 65);
    // mp_obj_str_get_data ($0, &len) has two parameters, so only get_str matches.
    if (!text.includes("(i32.const 65)")) continue;
    visit(fn.body, (node, parent, index) => {
      if (print(node) === "(local.set $0 (i32.load offset=12 (local.get $0)))") sites.push({ functionName, parent, index });
    });
  }
  if (sites.length !== 1) throw new Error(`wasm/appendInPlace: expected one mp_obj_str_get_str, found ${sites.length}`);
  return sites[0];
}

/** The one function `name` calls (m_malloc in vstr_init_len). */
function onlyCall(module, name, what) {
  const calls = [];
  visit(module.functions.get(name).body, (node) => {
    if (node[0] === "call") calls.push(node[1]);
  });
  if (calls.length !== 1) throw new Error(`wasm/appendInPlace: expected ${what} to make one call, found ${calls.length}`);
  return calls[0];
}

/** mp_obj_malloc_helper(16, type), as mp_obj_new_str_type_from_vstr calls it for the str object. */
function objMallocOf(module, newFromVstr) {
  const calls = [];
  visit(module.functions.get(newFromVstr).body, (node) => {
    if (node[0] === "call" && print(node[2] ?? "") === "(i32.const 16)") calls.push(node[1]);
  });
  if (calls.length !== 1) throw new Error(`wasm/appendInPlace: expected one 16-byte object allocation in mp_obj_new_str_type_from_vstr, found ${calls.length}`);
  return calls[0];
}
