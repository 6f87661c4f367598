// Lets a class stand in for a metaclass: `Color["RED"]`, `len(Color)`, `for c in Color`,
// `x in Color` and `reversed(Color)` on a class that asks for it (src/python/lib/enum.py).
//
// MicroPython has no metaclasses: every class is an instance of the built-in `type`, which has
// no subscr, iter or len slot, so those operations on a class raise a TypeError. Where the
// runtime gives up on an object (mp_obj_subscr, mp_getiter, mp_obj_len, and mp_binary_op's
// fallback for `in`, which iterates), this pass first asks whether the object is a class with a
// classmethod `__prepare__`; if so it calls it and does the operation on what it returns,
// which can be any object that supports it. reversed() asks that object for `__reversed__`.
//
// Why `__prepare__`: a name the class's instances never look up (enum members must not become
// iterable or subscriptable, and Flag members have an `__iter__` of their own), interned in the
// published wasm (so it is a constant here), and one that CPython only ever asks of a metaclass.
// Only a classmethod counts (mp_load_method_maybe binds it: dest[1] is the class); a plain
// function or a staticmethod of that name leaves the class as it was.
import { dataImage, staticQstrs, stringAddress, typeObject } from "./staticData.mjs";
import { findNodes, parse, print } from "./sexpr.mjs";

/** The helper added: class → its stand-in, or 0. */
const CLASS_OPS = "$swasgi_class_ops";
/** The local each patched function gets for the stand-in. */
const STANDIN = "$swasgi_standin";
/** MP_BINARY_OP_CONTAINS (py/runtime0.h). */
const CONTAINS = 36;
/** mp_obj_type_t's byte of the subscr slot's index (py/obj.h: slot_index_subscr). */
const SLOT_SUBSCR = 14;

/** Patches the four places and reversed(); throws unless each matches exactly as expected. */
export function classOperations(module) {
  const image = dataImage(module);
  const qstrs = staticQstrs(image);
  const typeType = typeObject(image, qstrs, "type");
  const q = (name) => {
    const id = qstrs.get(name);
    if (id === undefined) throw new Error(`wasm/classOperations: no static qstr ${name}`);
    return String(id);
  };
  // The retry in mp_obj_subscr reuses its index argument, which only stays untouched when the
  // object's type has no subscr slot: true of `type`.
  if (image.bytes[typeType + SLOT_SUBSCR] !== 0) throw new Error("wasm/classOperations: `type` has a subscr slot");

  const getiter = functionUsing(module, image, "'%s' object isn't iterable");
  const len = functionUsing(module, image, "object of type '%s' has no len()");
  const subscr = functionUsing(module, image, "'%s' object isn't subscriptable");
  const binaryOp = functionUsing(module, image, "unsupported types for %q: '%s', '%s'");

  // mp_getiter's lookup of __getitem__ names mp_load_method_maybe.
  const getitem = only("mp_load_method_maybe(o, __getitem__, dest) in mp_getiter", findNodes(getiter.fn.body, (n) => n[0] === "call" && print(n[3] ?? "") === `(i32.const ${q("__getitem__")})`));
  const loadMethod = getitem.node[1];
  // reversed(): mp_load_method_maybe(args[0], __reversed__, dest), then mp_call_method_n_kw(0, 0, dest).
  const reversedSites = [];
  for (const [name, fn] of module.functions) {
    for (const site of findNodes(fn.body, (n) => n[0] === "call" && n[1] === loadMethod && print(n[3] ?? "") === `(i32.const ${q("__reversed__")})`)) reversedSites.push({ name, fn, ...site });
  }
  const reversed = only("mp_load_method_maybe(x, __reversed__, dest)", reversedSites);
  const dest = print(reversed.node[4]);
  const callMethod = only(
    "mp_call_method_n_kw(0, 0, dest) in reversed()",
    findNodes(reversed.fn.body, (n) => n[0] === "call" && n.length === 5 && print(n.slice(2)) === `((i32.const 0) (i32.const 0) ${dest})`),
  ).node[1];

  const sp = frameOf(getiter.fn).sp;
  addHelper(module, getiter.name, sp, typeType, loadMethod, callMethod, q("__prepare__"));

  // mp_getiter: before the __getitem__ fallback (a class with a stand-in iterates that, not its
  // own __getitem__); iter_buf may be NULL (the stand-in allocates what it needs).
  retryBefore(getiter, getitem, getitem.node[2], (s) => `(call ${getiter.name} ${s} (i32.const 0))`);

  // mp_obj_len: before the TypeError, whose message takes mp_obj_get_type_str(o).
  const typeStrCall = (n) => n[0] === "call" && n.length === 3 && Array.isArray(n[2]) && n[2][0] === "local.get" && module.functions.get(n[1])?.sig === "i32>i32";
  const lenRaise = only("the TypeError in mp_obj_len", findNodes(len.fn.body, (n) => n[0] === "i32.store" && n.length === 3 && Array.isArray(n[2]) && typeStrCall(n[2])));
  const typeStr = lenRaise.node[2][1];
  retryBefore(len, lenRaise, lenRaise.node[2][2], (s) => `(call ${len.name} ${s})`);

  // mp_obj_subscr: before `type_str = mp_obj_get_type_str(base)`, shared by its three TypeErrors
  // (load, store, delete: the stand-in decides which it supports).
  const subscrRaise = only(
    "mp_obj_get_type_str(base) in mp_obj_subscr",
    findNodes(subscr.fn.body, (n) => n[0] === "local.set" && Array.isArray(n[2]) && n[2][0] === "call" && n[2][1] === typeStr && print(n[2][2]) === `(local.get ${n[1]})`),
  );
  const [, index, value] = params(subscr.fn);
  retryBefore(subscr, subscrRaise, subscrRaise.node[2][2], (s) => `(call ${subscr.name} ${s} (local.get ${index}) (local.get ${value}))`);

  // mp_binary_op: `in` with no containment slot iterates the container (its one mp_getiter
  // call); a class asks its stand-in's `in` instead.
  const iterate = only("mp_getiter(lhs, &iter_buf) in mp_binary_op", findNodes(binaryOp.fn.body, (n) => n[0] === "local.set" && Array.isArray(n[2]) && n[2][0] === "call" && n[2][1] === getiter.name));
  const guard = iterate.parent[iterate.index - 1];
  if (!Array.isArray(guard) || guard[0] !== "br_if" || print(guard[2]?.[2] ?? "") !== `(i32.const ${CONTAINS})`) throw new Error("wasm/classOperations: mp_binary_op's iteration is not behind `op == MP_BINARY_OP_CONTAINS`");
  const loop = iterate.parent[iterate.index + 1];
  const equal = only(
    "mp_obj_equal(next, rhs) in mp_binary_op's `in` loop",
    findNodes([loop], (n) => n[0] === "call" && n.length === 4 && n.slice(2).every((a) => Array.isArray(a) && a[0] === "local.get") && module.functions.get(n[1])?.sig === "i32,i32>i32"),
  );
  const rhs = print(equal.node[3]);
  if (rhs === `(local.get ${iterate.node[1]})`) throw new Error("wasm/classOperations: mp_binary_op's `in` loop compares with its iterator");
  retryBefore(binaryOp, iterate, iterate.node[2][2], (s) => `(call ${binaryOp.name} (i32.const ${CONTAINS}) ${s} ${rhs})`);

  // reversed(): looks __reversed__ up on the stand-in of a class (the object is a load of
  // args[0], safe to read twice).
  const object = reversed.node[2];
  if (!/^\((?:local\.get \$\S+|i32\.load (?:offset=\d+ )?\(local\.get \$\S+\))\)$/.test(print(object))) throw new Error(`wasm/classOperations: reversed() looks up ${print(object)}`);
  addLocal(reversed.fn);
  reversed.node[2] = parse(`(if (result i32) (local.tee ${STANDIN} (call ${CLASS_OPS} ${print(object)})) (then (local.get ${STANDIN})) (else ${print(object)}))`);
}

/** The one function that loads the address of the message `text` (a landmark). */
function functionUsing(module, image, text) {
  const at = String(stringAddress(image, text));
  const users = [...module.functions].filter(([, fn]) => findNodes(fn.body, (n) => n[0] === "i32.const" && n[1] === at).length > 0);
  const [name, fn] = only(`function using "${text}"`, users);
  return { name, fn };
}

/**
 * Puts `if ((s = class_ops(object))) return retry(s);` before `site` (a statement), giving back
 * the function's C stack frame first as its own exits do.
 */
function retryBefore(where, site, object, retry) {
  if (!Array.isArray(object) || object[0] !== "local.get") throw new Error(`wasm/classOperations: the object at a site in ${where.name} is ${print(object)}`);
  if (site.parent === undefined || typeof site.parent[0] === "string" && !["block", "loop", "then", "else"].includes(site.parent[0])) throw new Error(`wasm/classOperations: a site in ${where.name} is not a statement`);
  const { sp, frame, size } = frameOf(where.fn);
  addLocal(where.fn);
  const s = `(local.get ${STANDIN})`;
  site.parent.splice(site.index, 0, parse(`(if (local.tee ${STANDIN} (call ${CLASS_OPS} ${print(object)}))
    (then (global.set ${sp} (i32.add (local.get ${frame}) (i32.const ${size}))) (return ${retry(s)})))`));
}

/** The C stack frame a function takes first: `sp = frame = sp - size`. */
function frameOf(fn) {
  const m = print(fn.body[0] ?? "").match(/^\(global\.set (\$\S+) \(local\.tee (\$\S+) \(i32\.sub \(global\.get \1\) \(i32\.const (\d+)\)\)\)\)$/);
  if (!m) throw new Error(`wasm/classOperations: ${fn.head[1]} does not start by taking a stack frame`);
  return { sp: m[1], frame: m[2], size: m[3] };
}

/** `$swasgi_class_ops(o)`: the stand-in a class o's classmethod __prepare__ returns, else 0. */
function addHelper(module, after, sp, typeType, loadMethod, callMethod, prepare) {
  // dest[2] sits on the C stack, where the collector sees it while __prepare__ runs.
  const fn = parse(`(func ${CLASS_OPS} (param $0 i32) (result i32) (local $1 i32) (local $2 i32)
    (if (i32.or (i32.eqz (local.get $0)) (i32.and (local.get $0) (i32.const 3))) (then (return (i32.const 0))))
    (if (i32.ne (i32.load (local.get $0)) (i32.const ${typeType})) (then (return (i32.const 0))))
    (global.set ${sp} (local.tee $1 (i32.sub (global.get ${sp}) (i32.const 16))))
    (call ${loadMethod} (local.get $0) (i32.const ${prepare}) (local.get $1))
    (if (i32.load offset=4 (local.get $1))
      (then (local.set $2 (call ${callMethod} (i32.const 0) (i32.const 0) (local.get $1)))))
    (global.set ${sp} (i32.add (local.get $1) (i32.const 16)))
    (local.get $2))`);
  const k = fn.findIndex((n, i) => i > 1 && !(Array.isArray(n) && ["param", "result", "local"].includes(n[0])));
  module.functions.set(CLASS_OPS, { sig: "i32>i32", head: fn.slice(0, k), body: fn.slice(k) });
  module.parts.splice(module.parts.findIndex((p) => typeof p !== "string" && p.name === after) + 1, 0, { name: CLASS_OPS });
}

function addLocal(fn) {
  if (!fn.head.some((n) => Array.isArray(n) && n[1] === STANDIN)) fn.head.push(["local", STANDIN, "i32"]);
}

/** The names of a function's parameters, in order. */
function params(fn) {
  return fn.head.filter((n) => Array.isArray(n) && n[0] === "param").map((n) => n[1]);
}

function only(what, found) {
  if (found.length !== 1) throw new Error(`wasm/classOperations: expected one ${what}, found ${found.length}`);
  return found[0];
}
