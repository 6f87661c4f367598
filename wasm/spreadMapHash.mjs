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
//
// mp_map_rehash itself doubles such a table (doubleOnGrowth) and puts the old keys into the
// new table without comparing them with each other (reinsertWithoutCompare). Together with the
// heap growth of src/runner/collector.ts, a dict of 100,000 string keys went from 15.9 to 9.8
// times the time of one of 10,000 (interleaved runs of `swasgi request`).
import { addFunction } from "./moduleParts.mjs";
import { findNodes, parse, print } from "./sexpr.mjs";

/**
 * Tables from this many slots grow at 3/4; smaller ones as before (a full small table costs
 * little, and their iteration order stays what it always was).
 */
const EARLY_FROM = 1024;
/** The original mp_map_lookup, under its new name. */
const LOOKUP = "$swasgi_map_lookup";
/** Adds a key of the old table to the new one in mp_map_rehash. */
const REINSERT = "$swasgi_map_reinsert";

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
  doubleOnGrowth(module.functions.get(rehash));
  reinsertWithoutCompare(module, name, lookup, module.functions.get(rehash));

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

/**
 * mp_map_rehash picks the next size from MicroPython's table (about 1.33 times the old one up
 * to 2,161 slots, then 1.5 times): a dict of 100,000 keys grew 13 times from 1,024 slots and
 * re-inserted about three keys for each one it holds. A table of EARLY_FROM slots or more now
 * doubles (to an odd size: positions come from the multiplied hash, so a prime buys nothing),
 * as CPython's dicts roughly do: about one re-insert per key. Inserted before the new table is
 * allocated, where the size the table gave is in the local the allocation's size is made from.
 */
function doubleOnGrowth(rehash) {
  const alloc = "(i32.load offset=4 (local.get $0))";
  const allocation = /^\(local\.set \$\S+ \(call \$\S+ \(i32\.shl \(local\.get (\$\S+)\) \(i32\.const 3\)\)\)\)$/;
  const at = rehash.body.findIndex((node) => allocation.test(print(node)));
  if (at < 0) throw new Error("wasm/spreadMapHash: expected mp_map_rehash to allocate new_alloc * 8 bytes");
  const size = print(rehash.body[at]).match(allocation)[1];
  rehash.body.splice(at, 0, parse(`(if (i32.ge_u ${alloc} (i32.const ${EARLY_FROM}))
    (then (local.set ${size} (i32.or (i32.shl ${alloc} (i32.const 1)) (i32.const 1)))))`));
}

/**
 * mp_map_rehash puts each key of the old table into the new one with mp_map_lookup, which
 * compares it with every key on its probe path, though the keys are known to differ: each
 * comparison reads another key object (a cache miss in a big dict; its string bytes when the
 * 16-bit hashes are equal). In a table of EARLY_FROM slots or more, a key whose hash is known
 * without calling into Python (a small int, an interned string, a str whose hash is stored)
 * now goes to the first empty slot from the position mp_map_lookup would start at, as
 * CPython's resize does; any other key goes through mp_map_lookup as before (its __hash__ may
 * run Python).
 */
function reinsertWithoutCompare(module, lookupName, lookup, rehash) {
  const body = lookup.body.map(print).join(" ");
  // qstr_hash(MP_OBJ_QSTR_VALUE(key)), and the exact-str test of the all-qstr-keys shortcut.
  const qstrHash = body.match(/\(call (\$\S+) \(i32\.shr_u \(local\.get \$1\) \(i32\.const 3\)\)\)/)?.[1];
  const strTypes = new Set([...body.matchAll(/\(i32\.ne \(i32\.load \(local\.get \$1\)\) \(i32\.const (\d+)\)\)/g)].map((m) => m[1]));
  if (!qstrHash || strTypes.size !== 1) throw new Error("wasm/spreadMapHash: expected qstr_hash and &mp_type_str in mp_map_lookup");
  const [strType] = strTypes;
  const calls = findNodes(rehash.body, (node) => node[0] === "call" && node[1] === lookupName);
  if (calls.length !== 1 || print(calls[0].node[4] ?? "") !== "(i32.const 1)") throw new Error("wasm/spreadMapHash: expected mp_map_rehash to add keys with one mp_map_lookup call");
  const call = calls[0].node;
  call.splice(1, call.length - 1, REINSERT, call[2], call[3]);
  // mp_map_t: word 0 flags and used (bit 0 all_keys_are_qstrs, used from bit 3), word 1 alloc,
  // word 2 the table of {key, value}; rehash has set used to 0 and the flag to 1.
  addFunction(
    module,
    parse(`(func ${REINSERT} (param $map i32) (param $key i32) (result i32) (local $hash i32) (local $alloc i32) (local $pos i32) (local $slot i32)
      (local.set $alloc (i32.load offset=4 (local.get $map)))
      (block $slow
        (br_if $slow (i32.lt_u (local.get $alloc) (i32.const ${EARLY_FROM})))
        (block $known
          (local.set $hash (i32.shr_s (local.get $key) (i32.const 1)))
          (br_if $known (i32.and (local.get $key) (i32.const 1)))
          (if (i32.eq (i32.and (local.get $key) (i32.const 7)) (i32.const 2))
            (then (local.set $hash (call ${qstrHash} (i32.shr_u (local.get $key) (i32.const 3)))) (br $known)))
          (br_if $slow (i32.and (local.get $key) (i32.const 3)))
          (br_if $slow (i32.ne (i32.load (local.get $key)) (i32.const ${strType})))
          (br_if $slow (i32.eqz (local.tee $hash (i32.load offset=4 (local.get $key))))))
        (local.set $pos (i32.rem_u (i32.mul (local.get $hash) (i32.const ${GOLDEN})) (local.get $alloc)))
        (loop $probe
          (local.set $slot (i32.add (i32.load offset=8 (local.get $map)) (i32.shl (local.get $pos) (i32.const 3))))
          (if (i32.load (local.get $slot))
            (then
              (local.set $pos (i32.add (local.get $pos) (i32.const 1)))
              (if (i32.eq (local.get $pos) (local.get $alloc)) (then (local.set $pos (i32.const 0))))
              (br $probe))))
        (i32.store (local.get $slot) (local.get $key))
        (i32.store (local.get $map)
          (i32.and (i32.add (i32.load (local.get $map)) (i32.const 8))
                   (select (i32.const -1) (i32.const -2) (i32.eq (i32.and (local.get $key) (i32.const 7)) (i32.const 2)))))
        (return (local.get $slot)))
      (call ${lookupName} (local.get $map) (local.get $key) (i32.const 1)))`),
    "i32,i32>i32",
    lookupName,
  );
}

function visit(nodes, fn) {
  for (const node of nodes) {
    if (!Array.isArray(node)) continue;
    visit(node, fn);
    fn(node);
  }
}
