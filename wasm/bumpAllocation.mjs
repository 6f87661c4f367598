// Makes gc_alloc's search for free blocks start after the last allocation of any size.
import { print } from "./sexpr.mjs";

/** Offset of MP_STATE_MEM(gc_last_free_area) in mp_state_ctx (src/runner/gcLayout.ts). */
const GC_LAST_FREE_AREA = 944;

/**
 * gc_alloc remembers where its search for free blocks may start only after a one-block
 * allocation ("if (n_free == 1) area->gc_last_free_atb_index = ..."), so every larger
 * allocation scans the heap from its first free block: with collections inside a run, a loop
 * that allocates 1 KB strings then costs the square of the heap size per collection cycle.
 * Removing the condition makes the search start after the last allocation of any size: the
 * heap fills like a bump allocator between collections (each collection, and each gc_free
 * below the mark, moves the start back), at the price of small holes left until the next one.
 */
export function bumpAllocation(module) {
  const found = [];
  for (const fn of module.functions.values()) {
    visit(fn.body, (node) => {
      if (node[0] !== "block" || typeof node[1] !== "string") return;
      const [test, store] = node.slice(2);
      if (
        Array.isArray(test) && print(test) === `(br_if ${node[1]} (i32.ne (local.get ${test[2]?.[1]?.[1]}) (i32.const 1)))` &&
        Array.isArray(store) && store[0] === "i32.store" && print(store[2] ?? "") === `(i32.const ${GC_LAST_FREE_AREA})`
      ) found.push(test);
    });
  }
  if (found.length !== 1) throw new Error(`wasm/bumpAllocation: expected one "n_free == 1" test in gc_alloc, found ${found.length}`);
  found[0][2] = ["i32.const", "0"];
}


function visit(nodes, fn) {
  for (const node of nodes) {
    if (!Array.isArray(node)) continue;
    visit(node, fn);
    fn(node);
  }
}
