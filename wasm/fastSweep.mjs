// Makes the collector's sweep (gc_sweep_free_blocks in py/gc.c, inlined in gc_collect_end) step
// over runs of free blocks and of tail blocks 16 or 4 at a time instead of one at a time.
//
// The sweep visits every block up to the last one in use and reads its two bits of the
// allocation table: a free block changes nothing, a tail is freed when its head was (free_tail)
// and is otherwise in use. A 1 KB string is one head and 62 tails, so a heap of garbage strings
// is mostly runs of tails: a table word of 16 tails (0xAAAAAAAA) or a byte of 4 (0xAA) is
// either all freed (one store) or all in use (the last of them is the last used block), and a
// zero word or byte is skipped. Anything else (heads, marks) takes the published path, block
// by block. A loop of a million throwaway 1 KB strings spent a quarter of its time sweeping.
import { parse, print, visit } from "./sexpr.mjs";

/** The published sweep loop; $3 block, $4 last used block, $6 area, $11 free_tail. */
const ORIGINAL =
  "(loop $label10 (local.set $8 (i32.const 3)) (block $block12 (block $block13 (block $block15 (block $block14 (br_table $block12 $block13 $block14 $block15 $block12 " +
  "(local.tee $9 (i32.and (i32.shr_u (local.tee $5 (i32.load8_u (local.tee $10 (i32.add (i32.load offset=4 (local.get $6)) (i32.shr_u (local.get $3) (i32.const 2)))))) " +
  "(local.tee $7 (i32.and (i32.shl (local.get $3) (i32.const 1)) (i32.const 6)))) (i32.const 3))))) (local.set $9 (i32.const 1)) (br_if $block13 (local.get $11)) " +
  "(local.set $11 (i32.const 0)) (local.set $4 (local.get $3)) (br $block12)) (local.set $9 (i32.const 0)) (local.set $8 (i32.const 2)) (local.set $4 (local.get $3))) " +
  "(i32.store8 (local.get $10) (i32.and (local.get $5) (i32.xor (i32.shl (local.get $8) (local.get $7)) (i32.const -1)))) (local.set $11 (local.get $9))) " +
  "(br_if $label10 (i32.le_u (local.tee $3 (i32.add (local.get $3) (i32.const 1))) (i32.load offset=28 (local.get $6)))))";

/** Rewrites the sweep loop; throws unless exactly one loop has the published text. */
export function fastSweep(module) {
  const found = [];
  for (const fn of module.functions.values()) {
    visit(fn.body, (node, parent, index) => {
      if (node[0] === "loop" && node[1] === "$label10" && print(node) === ORIGINAL) found.push([parent, index]);
    });
  }
  if (found.length !== 1) throw new Error(`wasm/fastSweep: expected one gc_sweep_free_blocks loop, found ${found.length}`);
  const [parent, index] = found[0];
  const loop = parent[index];
  const blockBody = loop.slice(2, -1);
  const next = loop[loop.length - 1];
  // A run of `n` blocks whose table entries are all tails (pattern) or all free (0), starting at
  // $3: handled here, then $3 moves to the run's last block (the loop's own +1 passes it).
  const run = (n, load, store, tails) => `
      (if (i32.eq (local.tee $5 (${load} align=1 (local.get $10))) (i32.const ${tails}))
        (then (if (local.get $11)
          (then (${store} align=1 (local.get $10) (i32.const 0)))
          (else (local.set $4 (i32.add (local.get $3) (i32.const ${n - 1}))))))
        (else (br_if $single (local.get $5))))
      (local.set $3 (i32.add (local.get $3) (i32.const ${n - 1})))
      (br $stepped)`;
  const fast = parse(`(block $stepped
    (block $single
      (br_if $single (i32.and (local.get $3) (i32.const 3)))
      (br_if $single (i32.gt_u (i32.add (local.get $3) (i32.const 3)) (i32.load offset=28 (local.get $6))))
      (local.set $10 (i32.add (i32.load offset=4 (local.get $6)) (i32.shr_u (local.get $3) (i32.const 2))))
      (block $byte
        (br_if $byte (i32.and (local.get $3) (i32.const 15)))
        (br_if $byte (i32.gt_u (i32.add (local.get $3) (i32.const 15)) (i32.load offset=28 (local.get $6))))
        (br_if $byte (i32.and (i32.ne (local.tee $5 (i32.load align=1 (local.get $10))) (i32.const 0)) (i32.ne (local.get $5) (i32.const -1431655766))))
        ${run(16, "i32.load", "i32.store", -1431655766)})
      ${run(4, "i32.load8_u", "i32.store8", 170)})
    ${blockBody.map(print).join("\n    ")})`);
  parent[index] = ["loop", loop[1], fast, next];
}
