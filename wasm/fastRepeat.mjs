// Makes `s * n` (mp_seq_multiply: str, bytes, list and tuple repetition) copy by doubling.
//
// mp_seq_multiply copies the item run `times` times, one memory.copy each: "x" * 1000 is a
// thousand one-byte copies, most of the cost of making a 1 KB string that way. The replacement
// copies the run once, then copies what is already done after itself, doubling each time:
// log2(times) copies, the same bytes in the end (the destination never overlaps the source
// run, except right after it in list *=, where the result is the same).
import { parse, print } from "./sexpr.mjs";

/** The published body of mp_seq_multiply(items, item_sz, len, times, dest), as binaryen prints it. */
const ORIGINAL =
  "(block $block (br_if $block (i32.eqz (local.get $3))) (local.set $2 (i32.mul (local.get $2) (local.get $1))) (local.set $1 (i32.const 0)) " +
  "(loop $label (block $block1 (br_if $block1 (i32.eqz (local.get $2))) (memory.copy (local.get $4) (local.get $0) (local.get $2))) " +
  "(local.set $4 (i32.add (local.get $4) (local.get $2))) (br_if $label (i32.ne (local.tee $1 (i32.add (local.get $1) (i32.const 1))) (local.get $3)))))";

/** Replaces mp_seq_multiply's body; throws unless exactly one function has the published one. */
export function fastRepeat(module) {
  const found = [...module.functions].filter(([, fn]) => fn.sig === "i32,i32,i32,i32,i32>" && fn.body.map(print).join(" ") === ORIGINAL);
  if (found.length !== 1) throw new Error(`wasm/fastRepeat: expected one mp_seq_multiply, found ${found.length}`);
  const [name, fn] = found[0];
  // $2: bytes in one run, $1: bytes in all, $3: bytes done, $5: bytes in this copy.
  const body = parse(`(block $done
    (br_if $done (i32.eqz (local.get $3)))
    (local.set $2 (i32.mul (local.get $2) (local.get $1)))
    (br_if $done (i32.eqz (local.get $2)))
    (local.set $1 (i32.mul (local.get $2) (local.get $3)))
    (memory.copy (local.get $4) (local.get $0) (local.get $2))
    (local.set $3 (local.get $2))
    (loop $double
      (br_if $done (i32.ge_u (local.get $3) (local.get $1)))
      (local.set $5 (select (local.get $3) (i32.sub (local.get $1) (local.get $3)) (i32.le_u (local.get $3) (i32.sub (local.get $1) (local.get $3)))))
      (memory.copy (i32.add (local.get $4) (local.get $3)) (local.get $4) (local.get $5))
      (local.set $3 (i32.add (local.get $3) (local.get $5)))
      (br $double)))`);
  module.functions.set(name, { ...fn, head: [...fn.head, ["local", "$5", "i32"]], body: [body] });
}
