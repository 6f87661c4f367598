// Makes utf8_charlen (py/unicode.c: the characters in a str's bytes, what `len(s)` answers and
// what indexing and slicing of long strings start from) count eight bytes at a time.
//
// MicroPython keeps a str as UTF-8 without its character count, so `len(s)` reads every byte;
// the published loop reads them one by one. A character is every byte that is not a
// continuation byte (10xxxxxx): the replacement counts those in each 8-byte word with one
// popcount (bit 7 set, bit 6 clear) and takes them from the length. A loop of a million
// `len("x" * 1000)` spent a third of its time here.
import { parse, print } from "./sexpr.mjs";

/** The published body of utf8_charlen(str, len), as binaryen prints it. */
const ORIGINAL =
  "(local.set $2 (i32.const 0)) (block $block (br_if $block (i32.eqz (local.get $1))) (local.set $1 (i32.add (local.get $0) (local.get $1))) " +
  "(loop $label (local.set $2 (i32.add (local.get $2) (i32.gt_s (i32.load8_s (local.get $0)) (i32.const -65)))) " +
  "(br_if $label (i32.lt_u (local.tee $0 (i32.add (local.get $0) (i32.const 1))) (local.get $1))))) (local.get $2)";

/** Replaces utf8_charlen's body; throws unless exactly one function has the published one. */
export function fastCharCount(module) {
  const found = [...module.functions].filter(([, fn]) => fn.sig === "i32,i32>i32" && fn.body.map(print).join(" ") === ORIGINAL);
  if (found.length !== 1) throw new Error(`wasm/fastCharCount: expected one utf8_charlen, found ${found.length}`);
  const [name, fn] = found[0];
  // $0: next byte, $1: length, $2: end, $3: continuation bytes so far.
  const body = parse(`(block $counted
    (local.set $2 (i32.add (local.get $0) (local.get $1)))
    (local.set $3 (i32.const 0))
    (block $words
      (loop $word
        (br_if $words (i32.gt_u (i32.add (local.get $0) (i32.const 8)) (local.get $2)))
        (local.set $4 (i64.load align=1 (local.get $0)))
        (local.set $3 (i32.add (local.get $3) (i32.wrap_i64 (i64.popcnt
          (i64.and (i64.and (local.get $4) (i64.xor (i64.shl (local.get $4) (i64.const 1)) (i64.const -1))) (i64.const -9187201950435737472))))))
        (local.set $0 (i32.add (local.get $0) (i32.const 8)))
        (br $word)))
    (loop $byte
      (br_if $counted (i32.ge_u (local.get $0) (local.get $2)))
      (local.set $3 (i32.add (local.get $3) (i32.eq (i32.and (i32.load8_u (local.get $0)) (i32.const 192)) (i32.const 128))))
      (local.set $0 (i32.add (local.get $0) (i32.const 1)))
      (br $byte)))`);
  const head = fn.head.filter((node) => !(Array.isArray(node) && node[0] === "local"));
  head.push(["local", "$2", "i32"], ["local", "$3", "i32"], ["local", "$4", "i64"]);
  module.functions.set(name, { ...fn, head, body: [body, ["i32.sub", ["local.get", "$1"], ["local.get", "$3"]]] });
}
