// Lets mp_map_lookup pass over a slot whose key is a string with another hash than the one it
// looks for without calling mp_obj_equal.
//
// A dict probes slot after slot until a key equals the one looked up; each comparison is a call
// of mp_obj_equal (py/obj.c), which finds out that both are strings and only then compares
// their hashes. MicroPython's string hashes are 16 bits, so a dict of 100,000 string keys has
// long probe runs of other keys, and those calls were a quarter of its time. Here, when both
// keys are heap strings (exact type str) whose hashes are known (not 0, wasm/lazyStrHash.mjs)
// and differ, the keys are unequal, as mp_obj_str_equal itself would decide; so are two whose
// lengths or last four bytes differ (keys with the same 16-bit hash, "key-1234" and
// "key-9876", mostly share their first bytes, not their last); everything else goes to
// mp_obj_equal as before.
import { addFunction } from "./moduleParts.mjs";
import { findNodes, parse, print } from "./sexpr.mjs";

const REJECT = "$swasgi_map_key_equal";

/** Rewrites mp_map_lookup's key comparisons; throws unless its two are found. */
export function mapKeyReject(module) {
  const strType = strTypeAddress(module);
  // mp_map_lookup: the function with the map lookup cache (MP_STATE_VM(map_lookup_cache) at
  // state offset 256) that compares keys with one two-argument function, twice.
  const lookups = [...module.functions].filter(([, fn]) => fn.sig === "i32,i32,i32>i32" && fn.body.map(print).join(" ").includes("(i32.load8_u offset=256 "));
  if (lookups.length !== 1) throw new Error(`wasm/mapKeyReject: expected one mp_map_lookup, found ${lookups.length}`);
  const [name, fn] = lookups[0];
  // mp_obj_equal(a, b) is mp_obj_equal_not_equal(MP_BINARY_OP_EQUAL, a, b) made a bool.
  const isEqual = (callee) => /^\(call \$\S+ \(call \$\S+ \(i32\.const 2\) \(local\.get \$0\) \(local\.get \$1\)\)\)$/.test(module.functions.get(callee)?.body.map(print).join(" ") ?? "");
  const calls = findNodes(fn.body, (node) => node[0] === "call" && node.length === 4 && isEqual(node[1]));
  const equal = new Set(calls.map(({ node }) => node[1]));
  if (calls.length !== 2 || equal.size !== 1) throw new Error(`wasm/mapKeyReject: expected two mp_obj_equal calls in mp_map_lookup, found ${calls.length}`);
  const [equalFn] = equal;
  for (const { node } of calls) node[1] = REJECT;
  // mp_obj_str_t: type, hash, len, data.
  const hash = (v) => `(i32.load offset=4 (local.get ${v}))`;
  const len = (v) => `(i32.load offset=8 (local.get ${v}))`;
  const last4 = (v) => `(i32.load (i32.sub (i32.add (i32.load offset=12 (local.get ${v})) ${len(v)}) (i32.const 4)))`;
  addFunction(
    module,
    parse(`(func ${REJECT} (param $a i32) (param $b i32) (result i32)
      (if (i32.eqz (i32.and (i32.or (local.get $a) (local.get $b)) (i32.const 3)))
        (then (if (i32.and (i32.eq (i32.load (local.get $a)) (i32.const ${strType})) (i32.eq (i32.load (local.get $b)) (i32.const ${strType})))
          (then
            (if (i32.and (i32.and (i32.ne ${hash("$a")} (i32.const 0)) (i32.ne ${hash("$b")} (i32.const 0))) (i32.ne ${hash("$a")} ${hash("$b")}))
              (then (return (i32.const 0))))
            (if (i32.ne ${len("$a")} ${len("$b")}) (then (return (i32.const 0))))
            (if (i32.ge_u ${len("$a")} (i32.const 4)) (then (if (i32.ne ${last4("$a")} ${last4("$b")}) (then (return (i32.const 0))))))))))
      (call ${equalFn} (local.get $a) (local.get $b)))`),
    "i32,i32>i32",
    name,
  );
}

/** &mp_type_str: what mp_obj_new_str_type_from_vstr compares its type with before interning. */
function strTypeAddress(module) {
  const found = new Set();
  for (const fn of module.functions.values()) {
    if (fn.sig !== "i32,i32>i32") continue;
    const first = print(fn.body[0] ?? "");
    const m = first.match(/^\(block \$\S+ \(br_if \$\S+ \(i32\.ne \(local\.get \$0\) \(i32\.const (\d+)\)\)\) \(br_if \$\S+ \(i32\.eqz \(local\.tee \$2 \(call \$\S+ \(i32\.load offset=8 \(local\.get \$1\)\) \(i32\.load offset=4 \(local\.get \$1\)\)\)\)\)\)/);
    if (m) found.add(m[1]);
  }
  if (found.size !== 1) throw new Error(`wasm/mapKeyReject: expected one mp_obj_new_str_type_from_vstr to read &mp_type_str from, found ${found.size}`);
  return [...found][0];
}
