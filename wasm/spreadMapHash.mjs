// Keeps big dicts fast: spreads their keys over the whole table, and grows the table before
// it is full.
//
// MicroPython hashes strings to 16 bits (MICROPY_QSTR_BYTES_IN_HASH = 2 in this build) and
// mp_map_lookup starts probing at `hash % alloc`: once a dict's table has more than 65,536
// slots, every key starts in its first 65,536 and linear probing runs through ever longer
// clusters (a dict of 40,000 string keys took seconds, of 100,000 minutes). Starting at
// `(hash * 2654435769) % alloc` instead (Knuth's multiplicative hash, mod 2^32) spreads the
// same hashes over the whole table (and over small tables better than the string hash's low
// bits do); tables under 1,024 slots keep `hash % alloc`. Every lookup, insert and rehash goes through this one
// computation, so the change is consistent; hash values themselves (which must agree with the
// qstr table built into the wasm) are untouched.
//
// mp_map_lookup also grows a table only when a probe has gone round all of it (the table is
// full): linear probing near a load of 1 makes the last inserts before each growth cost the
// size of the table. mp_map_lookup is renamed, and in its place a wrapper grows (mp_map_rehash)
// a hashed, growable table of 1,024 slots or more that is 3/4 full before an insert, then calls
// it: rehashing is valid at any load, and every path that adds a key goes through
// mp_map_lookup. Dicts of that size iterate in another (still arbitrary) order than before.
import { parse, print } from "./sexpr.mjs";

/**
 * Tables from this many slots grow at 3/4; smaller ones as before (a full small table costs
 * little, and their iteration order stays what it always was).
 */
const EARLY_FROM = 1024;
/** The original mp_map_lookup, under its new name. */
const LOOKUP = "$swasgi_map_lookup";

const GOLDEN = "-1640531527"; // 2654435769 as an i32

/** Rewrites mp_map_lookup as described above; throws unless exactly one site matches. */
export function spreadMapHash(module) {
  const found = [];
  for (const [name, fn] of module.functions) {
    visit(fn.body, (node) => {
      // (i32.rem_u (local.get $hash) (local.tee $alloc (i32.load offset=4 (local.get $0)))):
      // `map->alloc` is the second word of mp_map_t.
      if (node[0] !== "i32.rem_u" || !Array.isArray(node[1]) || node[1][0] !== "local.get") return;
      const alloc = node[2];
      if (Array.isArray(alloc) && alloc[0] === "local.tee" && print(alloc[2] ?? "") === "(i32.load offset=4 (local.get $0))") found.push([node, name]);
    });
  }
  if (found.length !== 1) throw new Error(`wasm/spreadMapHash: expected one "hash % map->alloc" in mp_map_lookup, found ${found.length}`);
  const [site, name] = found[0];
  // Only tables of EARLY_FROM slots or more: smaller ones keep their positions, and so the
  // iteration order MicroPython has always given them.
  const hash = site[1];
  site[1] = ["select", ["i32.mul", hash, ["i32.const", GOLDEN]], hash, ["i32.ge_u", ["i32.load", "offset=4", ["local.get", "$0"]], ["i32.const", String(EARLY_FROM)]]];

  // mp_map_rehash(map): the one-parameter function mp_map_lookup calls.
  const lookup = module.functions.get(name);
  if (lookup.sig !== "i32,i32,i32>i32") throw new Error(`wasm/spreadMapHash: mp_map_lookup has signature ${lookup.sig}`);
  const callees = new Set();
  visit(lookup.body, (node) => {
    if (node[0] === "call" && module.functions.get(node[1])?.sig === "i32>") callees.add(node[1]);
  });
  if (callees.size !== 1) throw new Error(`wasm/spreadMapHash: expected mp_map_lookup to call one mp_map_rehash, found ${callees.size}`);
  const [rehash] = callees;

  // mp_map_t: word 0 is all_keys_are_qstrs:1, is_fixed:1, is_ordered:1, used:29; word 1 alloc.
  // Lookup kinds with bit 0 set add the key when it is missing.
  const wrapper = parse(`(func ${name} (param $0 i32) (param $1 i32) (param $2 i32) (result i32) (local $3 i32)
    (if (i32.and (local.get $2) (i32.const 1)) (then
      (local.set $3 (i32.load (local.get $0)))
      (if (i32.and (i32.eqz (i32.and (local.get $3) (i32.const 6)))
                   (i32.ge_u (i32.shl (i32.shr_u (local.get $3) (i32.const 3)) (i32.const 2))
                             (i32.mul (i32.load offset=4 (local.get $0)) (i32.const 3))))
        (then (if (i32.ge_u (i32.load offset=4 (local.get $0)) (i32.const ${EARLY_FROM})) (then (call ${rehash} (local.get $0))))))))
    (call ${LOOKUP} (local.get $0) (local.get $1) (local.get $2)))`);
  module.functions.set(LOOKUP, { ...lookup, head: [lookup.head[0], LOOKUP, ...lookup.head.slice(2)] });
  module.functions.set(name, { sig: lookup.sig, head: wrapper.slice(0, 7), body: wrapper.slice(7) });
  module.parts.splice(module.parts.findIndex((p) => typeof p !== "string" && p.name === name) + 1, 0, { name: LOOKUP });
}

function visit(nodes, fn) {
  for (const node of nodes) {
    if (!Array.isArray(node)) continue;
    visit(node, fn);
    fn(node);
  }
}
