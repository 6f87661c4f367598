// Makes a bare `raise` find the exception a calling frame is handling, as CPython's does:
// `def f(): raise` called from an `except` block re-raises that block's exception. This is what
// src/python/lib/traceback.py builds format_exc(), print_exc() and exc_info() on (this build of
// MicroPython has no sys.exc_info()).
//
// Each run of mp_execute_bytecode (py/vm.c) keeps an exception stack in its code_state: one
// entry per try/with block the frame is in, whose prev_exc is set when the block's handler
// catches an exception and stays set while the handler runs; the entry goes when the handler
// ends. RAISE_LAST (bare `raise`) searches the current frame's entries from the top (its
// `exc_sp`, which the VM keeps in its C stack frame: it is volatile) and, finding none, raises
// RuntimeError("no active exception to reraise"). Before giving up, it now searches the frames
// of the mp_execute_bytecode runs that called this one, innermost first, the same way.
//
// To find those frames, each run links its C stack frame to its caller's: the VM's frame grows
// by 16 bytes holding the previous innermost frame (a new global, $swasgi_vm_top) and the
// run's code_state, and the global is set to the frame on entry and back at the VM's one exit.
// A generator that yields leaves the chain, so its handled exception is not its caller's (as in
// CPython). Everything read is live: frames on the chain are running, their code_states are on
// the Python stack or in a running generator, both of which the collector scans. An unwind that
// skipped the VM's exit (a trap, HardStop) leaves the interpreter dead, as it does MicroPython's
// own nlr chain; the walk still stops at the first link that does not go up the stack (a
// caller's frame is always above its callee's; the outermost run's link is 0).
import { dataImage, stringAddress } from "./staticData.mjs";
import { findNodes, parse, print } from "./sexpr.mjs";

const TOP = "$swasgi_vm_top";
const HANDLED = "$swasgi_handled_exception";
/** Bytes the VM's C stack frame grows by: the link, the code_state, padding to 16. */
const LINK_BYTES = 16;
/** py/bc.h mp_exc_stack_t: handler, val_sp, prev_exc. */
const EXC_ENTRY = 12;
const PREV_EXC = 8;

/** Patches mp_execute_bytecode; throws unless its entry, exit and RAISE_LAST match exactly. */
export function handledException(module) {
  const message = `(i32.const ${stringAddress(dataImage(module), "no active exception to reraise")})`;
  const [name, vm] = only("mp_execute_bytecode", [...module.functions].filter(([, fn]) => fn.body.some((s) => print(s).includes(message))));
  const body = vm.body;

  // Entry: `sp = frame = sp - size`; exit (one): `sp = frame + size`.
  const entry = print(body[0]).match(/^\(global\.set (\$\S+) \(local\.tee (\$\S+) \(i32\.sub \(global\.get \1\) \(i32\.const (\d+)\)\)\)\)$/);
  if (!entry) throw new Error("wasm/handledException: mp_execute_bytecode does not start by taking a stack frame");
  const [, sp, frame, sizeText] = entry;
  const size = Number(sizeText);
  const exits = findNodes(body, (n) => print(n) === `(global.set ${sp} (i32.add (local.get ${frame}) (i32.const ${size})))`);
  if (exits.length !== 1) throw new Error(`wasm/handledException: expected mp_execute_bytecode to give its frame back once, found ${exits.length}`);
  if (findNodes(body, (n) => n[0] === "global.set" && n[1] === sp).length !== 2) throw new Error("wasm/handledException: mp_execute_bytecode moves the stack pointer elsewhere");

  // `exc_sp = exc_stack + exc_sp_idx - 1` with exc_stack = code_state->state + n_state: names the
  // frame slot of exc_sp and the offsets of state[] and n_state in mp_code_state_t.
  const init = body
    .map((s) => print(s).match(/^\(i32\.store offset=(\d+) \(local\.get (\$\S+)\) \(i32\.add \(i32\.add \(local\.tee \$\S+ \(i32\.add \(local\.tee \$\S+ \(i32\.add \(local\.get \$0\) \(i32\.const (\d+)\)\)\) \(i32\.shl \(i32\.load16_u offset=(\d+) \(local\.get \$0\)\) \(i32\.const 2\)\)\)\) \(i32\.mul \(i32\.load16_u offset=\d+ \(local\.get \$0\)\) \(i32\.const 12\)\)\) \(i32\.const -12\)\)\)$/))
    .filter(Boolean);
  if (init.length !== 1 || init[0][2] !== frame) throw new Error(`wasm/handledException: expected one "exc_sp = ..." at mp_execute_bytecode's start, found ${init.length}`);
  const [, excSp, , state, nState] = init[0];

  // RAISE_LAST: a loop over the entries, `if ((x = e->prev_exc)) break to found;`, then the
  // RuntimeError. The outer frames are searched between the two, and a find takes the loop's exit.
  const search = only(
    "RAISE_LAST's search of the exception stack",
    findNodes(body, (n) => n[0] === "loop" && n.length === 4 && n[2][0] === "br_if" && /^\(local\.tee \$\S+ \(i32\.load offset=8 \(local\.get \$\S+\)\)\)$/.test(print(n[2][2] ?? ""))),
  );
  const [, found, tee] = search.node[2];
  const holder = only("the block around RAISE_LAST's search", findNodes(body, (n) => n.includes(search.node)).filter(({ node }) => node[0] === "block"));
  const after = holder.parent.indexOf(holder.node) + 1;
  if (!print(holder.parent.slice(after, after + 3)).includes(message)) throw new Error("wasm/handledException: RAISE_LAST's RuntimeError does not follow its search");
  holder.parent.splice(after, 0, parse(`(br_if ${found} (local.tee ${tee[1]} (call ${HANDLED} (local.get ${frame}))))`));

  // The link, set on entry and undone at the exit.
  body[0] = parse(`(global.set ${sp} (local.tee ${frame} (i32.sub (global.get ${sp}) (i32.const ${size + LINK_BYTES}))))`);
  body.splice(1, 0, parse(`(i32.store offset=${size} (local.get ${frame}) (global.get ${TOP}))`), parse(`(i32.store offset=${size + 4} (local.get ${frame}) (local.get $0))`), parse(`(global.set ${TOP} (local.get ${frame}))`));
  exits[0].parent.splice(exits[0].index, 1, parse(`(global.set ${TOP} (i32.load offset=${size} (local.get ${frame})))`), parse(`(global.set ${sp} (i32.add (local.get ${frame}) (i32.const ${size + LINK_BYTES})))`));

  // The frames of the runs that called this one, innermost first; in each, the entries from its
  // exc_sp down: the first prev_exc set is the exception being handled.
  const fn = parse(`(func ${HANDLED} (param $0 i32) (result i32) (local $1 i32) (local $2 i32) (local $3 i32) (local $4 i32)
    (loop $frames
      (local.set $1 (i32.load offset=${size} (local.get $0)))
      (if (i32.le_u (local.get $1) (local.get $0)) (then (return (i32.const 0))))
      (local.set $0 (local.get $1))
      (local.set $2 (i32.load offset=${size + 4} (local.get $0)))
      (local.set $3 (i32.add (i32.add (local.get $2) (i32.const ${state})) (i32.shl (i32.load16_u offset=${nState} (local.get $2)) (i32.const 2))))
      (local.set $1 (i32.load offset=${excSp} (local.get $0)))
      (block $none
        (loop $entries
          (br_if $none (i32.lt_u (local.get $1) (local.get $3)))
          (if (local.tee $4 (i32.load offset=${PREV_EXC} (local.get $1))) (then (return (local.get $4))))
          (local.set $1 (i32.sub (local.get $1) (i32.const ${EXC_ENTRY})))
          (br $entries)))
      (br $frames))
    (i32.const 0))`);
  module.functions.set(HANDLED, { sig: "i32>i32", head: fn.slice(0, 8), body: fn.slice(8) });
  module.parts.splice(module.parts.findIndex((p) => typeof p !== "string" && p.name === name) + 1, 0, { name: HANDLED });
  const lastGlobal = module.parts.findLastIndex((p) => typeof p === "string" && p.startsWith(" (global "));
  module.parts.splice(lastGlobal + 1, 0, ` (global ${TOP} (mut i32) (i32.const 0))`);
}

function only(what, found) {
  if (found.length !== 1) throw new Error(`wasm/handledException: expected one ${what}, found ${found.length}`);
  return found[0];
}
