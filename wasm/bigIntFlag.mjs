// Lets the host tell a Python int that does not fit in 32 bits from one that does.
//
// proxy_convert_mp_to_js_obj_cside (ports/webassembly/proxy_c.c) writes every int as its
// truncated low 32 bits (`mp_obj_get_int_truncated`, "TODO support big int"), so a host function
// cannot see that 2**40 arrived as 0. Its record has a third word the int case leaves alone:
// this writes 1 there for an int whose value does not fit in 32 bits, 0 for one that does
// (a small int, or an MPZ int of at most 31 bits of magnitude: `array("q")` items and
// arithmetic past 2**30 make those). src/runner/ffi/convert.ts reads it for host functions
// that ask (PY_BIG_INT).
import { findNodes, parse, print } from "./sexpr.mjs";

/** Rewrites the int case of the export proxy_convert_mp_to_js_obj_cside; throws unless found once. */
export function bigIntFlag(module) {
  const name = module.exported.get("proxy_convert_mp_to_js_obj_cside");
  const fn = name && module.functions.get(name);
  if (!fn) throw new Error("wasm/bigIntFlag: no export proxy_convert_mp_to_js_obj_cside");
  // out[1] = mp_obj_get_int_truncated(obj); kind = PROXY_KIND_MP_INT (3)
  const sites = findNodes(fn.body, (node) => /^\(i32\.store offset=4 \(local\.get \$1\) \(call \$\S+ \(local\.get \$0\)\)\)$/.test(print(node))).filter(
    ({ parent, index }) => print(parent[index + 1] ?? "") === "(local.set $3 (i32.const 3))",
  );
  if (sites.length !== 1) throw new Error(`wasm/bigIntFlag: expected one int case, found ${sites.length}`);
  const { parent, index } = sites[0];
  // A small int (bit 0 set) fits. Otherwise the object is an mp_obj_int_t (exact type, MPZ):
  // base, mpz {neg:1 fixed_dig:1 alloc:30; len; dig} with 16-bit digits; its magnitude is under
  // 2**31 when it has at most two digits and the top bit of the second is clear; -2**31 fits too.
  parent.splice(
    index + 1,
    0,
    parse(`(i32.store offset=8 (local.get $1)
      (if (result i32) (i32.and (local.get $0) (i32.const 1))
        (then (i32.const 0))
        (else (if (result i32) (i32.gt_u (i32.load offset=8 (local.get $0)) (i32.const 2))
          (then (i32.const 1))
          (else (i32.and (i32.and (i32.eq (i32.load offset=8 (local.get $0)) (i32.const 2))
              (i32.ne (i32.and (i32.load16_u offset=2 (i32.load offset=12 (local.get $0))) (i32.const 32768)) (i32.const 0)))
            (i32.eqz (i32.and (i32.and (i32.load offset=4 (local.get $0)) (i32.const 1))
              (i32.eq (i32.load offset=0 (i32.load offset=12 (local.get $0))) (i32.const -2147483648))))))))))`),
  );
}
