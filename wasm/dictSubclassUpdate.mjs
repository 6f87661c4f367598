// Makes `dict(d)`, `d2.update(d)` and `d2 | d` copy the items of `d` when it is an instance of a
// Python subclass of dict or OrderedDict (collections.defaultdict and Counter in
// src/python/lib, an app's `class D(dict)`).
//
// dict_update (py/objdict.c) copies only a native dict; anything else it iterates as key/value
// pairs, so a subclass instance (whose iteration yields keys) fails with "dict update sequence
// has wrong length", or, for keys of two characters, quietly makes a wrong dict. The instance
// keeps its items in its native base, a real dict (subobj[0] of mp_obj_instance_t): this pass
// hands that dict to dict_update's copy instead. CPython copies a dict subclass's storage the
// same way, without calling an overridden __getitem__ or keys(), unless the subclass overrides
// __iter__ (then it asks keys() and __getitem__; here the storage is copied all the same).
import { dataImage, staticQstrs, stringAddress, typeObject } from "./staticData.mjs";
import { findNodes, parse, print } from "./sexpr.mjs";

/** The helper added: object → the native dict of a dict-subclass instance, else the object. */
const DICT_OF = "$swasgi_dict_of";
/** The local dict_update gets for the dict it copies from. */
const SOURCE = "$swasgi_source";
/** py/obj.h: set on types made by a class statement. */
const MP_TYPE_FLAG_INSTANCE_TYPE = 0x0200;
/** py/objtype.h mp_obj_instance_t: base, members (mp_map_t, 3 words), subobj[]. */
const SUBOBJ = 16;

/** Rewrites dict_update's two reads of args[1]; throws unless exactly those are found. */
export function dictSubclassUpdate(module) {
  const image = dataImage(module);
  const qstrs = staticQstrs(image);
  const type = typeObject(image, qstrs, "type");
  const dict = typeObject(image, qstrs, "dict");

  // mp_obj_is_subclass_fast(object, classinfo): compares the two, checks that object is a type,
  // walks its parent slot (offset 18), recursively for a tuple of parents.
  const subclass = only(
    "mp_obj_is_subclass_fast",
    [...module.functions].filter(([name, fn]) => {
      if (fn.sig !== "i32,i32>i32") return false;
      const text = fn.body.map(print).join(" ");
      return text.includes("(i32.eq (local.get $0) (local.get $1))") && text.includes(`(i32.const ${type})`) && text.includes("offset=18") && text.includes(`(call ${name} `);
    }),
  )[0];

  const message = stringAddress(image, "dict update sequence has wrong length");
  const [name, update] = only(
    "dict_update",
    [...module.functions].filter(([, fn]) => fn.sig === "i32,i32,i32>i32" && fn.body.map(print).join(" ").includes(`(i32.const ${message})`)),
  );
  // dict_update(n_args, args, kwargs): reads args[1] once to test it, and again in its copy loop.
  const args = update.head.filter((n) => Array.isArray(n) && n[0] === "param")[1][1];
  const reads = findNodes(update.body, (n) => print(n) === `(i32.load offset=4 (local.get ${args}))`);
  if (reads.length !== 2 || reads[0].parent[0] !== "local.tee") throw new Error(`wasm/dictSubclassUpdate: expected dict_update to read args[1] twice, first into a local, found ${reads.length}`);
  const [first, again] = reads;
  first.parent[first.index] = parse(`(local.tee ${SOURCE} (call ${DICT_OF} ${print(first.node)}))`);
  again.parent[again.index] = ["local.get", SOURCE];
  update.head.push(["local", SOURCE, "i32"]);

  const fn = parse(`(func ${DICT_OF} (param $0 i32) (result i32) (local $1 i32)
    (block $keep
      (br_if $keep (i32.or (i32.eqz (local.get $0)) (i32.and (local.get $0) (i32.const 3))))
      (br_if $keep (i32.eqz (i32.and (i32.load16_u offset=4 (local.tee $1 (i32.load (local.get $0)))) (i32.const ${MP_TYPE_FLAG_INSTANCE_TYPE}))))
      (br_if $keep (i32.eqz (call ${subclass} (local.get $1) (i32.const ${dict}))))
      (return (i32.load offset=${SUBOBJ} (local.get $0))))
    (local.get $0))`);
  module.functions.set(DICT_OF, { sig: "i32>i32", head: fn.slice(0, 5), body: fn.slice(5) });
  module.parts.splice(module.parts.findIndex((p) => typeof p !== "string" && p.name === name) + 1, 0, { name: DICT_OF });
}

function only(what, found) {
  if (found.length !== 1) throw new Error(`wasm/dictSubclassUpdate: expected one ${what}, found ${found.length}`);
  return found[0];
}
