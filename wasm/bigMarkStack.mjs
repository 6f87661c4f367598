// Gives the collector's marking a stack the host can make large (src/runner/collector.ts), so a
// collection marks each live object once instead of rescanning the whole heap.
//
// gc_mark_subtree (py/gc.c) marks depth-first with a stack of MICROPY_GC_STACK_SIZE = 64 entries
// (two arrays in MicroPython's state: blocks and their areas). When an object points to more
// unmarked objects than fit, it sets gc_stack_overflow, and gc_collect_end then walks every
// block of every heap area, again and again until a walk overflows no more, re-tracing each
// marked block. An app's own modules already overflow it: every collection of a request paid
// for whole-heap walks (0.3 ms of a 1 MB heap with 66 KB live, most of a loop of throwaway
// strings). The two copies of the push and pop (gc_mark_subtree, and its copy inlined in
// gc_collect_end) now use one array of (area, block) pairs at a global address with a global
// capacity; both start as the published arrays' 512 bytes (64 pairs), and the host moves them
// to a larger region before MicroPython starts (export swasgi_set_mark_stack(address, pairs)).
// Overflow handling is unchanged, for a stack that still fills.
import { addFunction, addGlobals } from "./moduleParts.mjs";
import { parse, print, visit } from "./sexpr.mjs";

const STACK = "$swasgi_mark_stack";
const LAST = "$swasgi_mark_last";
export const SET_MARK_STACK = "swasgi_set_mark_stack";

/** Rewrites both copies of the mark stack's push and pop; throws unless they are as published. */
export function bigMarkStack(module) {
  let base;
  let functions = 0;
  for (const [name, fn] of module.functions) {
    const sites = { push: 0, pop: 0, full: 0 };
    const state = [];
    visit(fn.body, (node) => {
      // The address of entry i: (i32.add (i32.const STATE) (i32.shl i (i32.const 2))), kept in a
      // local; blocks at offset 420 from it, areas at 676 (64 * 4 further).
      if ((node[0] !== "i32.store" && node[0] !== "i32.load") || (node[1] !== "offset=676" && node[1] !== "offset=420")) return;
      const address = node[2];
      if (address[0] !== "local.tee") return;
      const sum = address[2];
      const m = print(sum).match(/^\(i32\.add \(i32\.const (\d+)\) \(i32\.shl (.*) \(i32\.const 2\)\)\)$/);
      if (!m) return;
      state.push(Number(m[1]));
      address[2] = ["i32.add", ["global.get", STACK], ["i32.shl", sum[2][1], ["i32.const", "3"]]];
      if (node[0] === "i32.store") sites.push++;
      else sites.pop++;
    });
    if (!sites.push && !sites.pop) continue;
    if (sites.push !== 1 || sites.pop !== 1 || new Set(state).size !== 1) throw new Error(`wasm/bigMarkStack: unexpected mark stack code in ${name}`);
    if (base !== undefined && base !== state[0]) throw new Error("wasm/bigMarkStack: two different mark stacks");
    base = state[0];
    // Every access through those locals: offsets 420 (block) and 676 (area) become 4 and 0.
    visit(fn.body, (node) => {
      if ((node[0] === "i32.store" || node[0] === "i32.load") && (node[1] === "offset=676" || node[1] === "offset=420")) {
        node.splice(1, 1, ...(node[1] === "offset=420" ? ["offset=4"] : []));
      }
      // The push's capacity check: (i32.gt_u (local.get $sp) (i32.const 63)).
      if (node[0] === "i32.gt_u" && print(node[2]) === "(i32.const 63)" && node[1][0] === "local.get") {
        node[2] = ["global.get", LAST];
        sites.full++;
      }
    });
    if (sites.full !== 1) throw new Error(`wasm/bigMarkStack: expected one capacity check in ${name}, found ${sites.full}`);
    functions++;
  }
  if (functions !== 2) throw new Error(`wasm/bigMarkStack: expected the mark stack in gc_mark_subtree and gc_collect_end, found it in ${functions} functions`);
  addGlobals(module, ` (global ${STACK} (mut i32) (i32.const ${base + 420}))`, ` (global ${LAST} (mut i32) (i32.const 63))`);
  const setter = parse(`(func $swasgi_set_mark_stack (export "${SET_MARK_STACK}") (param $0 i32) (param $1 i32)
    (global.set ${STACK} (local.get $0))
    (global.set ${LAST} (i32.sub (local.get $1) (i32.const 1))))`);
  addFunction(module, setter, "i32,i32>");
}
