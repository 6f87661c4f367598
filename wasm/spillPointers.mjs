// Makes MicroPython's garbage collector able to run in the middle of a synchronous run.
//
// The published port cannot collect while C code is active: wasm locals are invisible to a
// scan of memory, so its `gc_collect()` only sets a "pending" flag (shared/DESIGN.md). This pass
// puts every value a caller still needs after a call that can collect into a frame on the C
// shadow stack, right before that call, where a scan of the shadow stack sees it:
// - the functions that can reach a collection are found on the call graph: `gc_collect`, what
//   calls it, `call_indirect` whose targets may, and imports that may re-enter the module (the
//   FFI, emscripten's `invoke_*`); a short list of imports is known not to (file system, clock);
// - each function that makes such a call is flattened (binaryen `--flatten`: every value that
//   outlives an instruction then sits in a local), the locals live across each such call are
//   found (wasm/liveAcrossCalls.mjs), and every i32 and i64 one (an i64 may be two pointers: the
//   compiler copies 8-byte structs such as a map entry {key, value} as one i64) is stored to its
//   slot of a frame on the shadow stack, after the call's operands and right before the call,
//   unless its slot already holds that value (wasm/neededStores.mjs); the function is then
//   optimized again (binaryen -O2 for that function); one with nothing to spill keeps its code;
// - the frame is taken at entry by functions that move the stack pointer themselves (a C stack
//   frame), else at the first spill, and given back at every exit.
// `flatten: false` leaves the code as the compiler made it and makes what a call's ancestors
// hold on the operand stack into locals instead (wasm/stackValues.mjs): the same speed, 2.7 KB
// more gzip, a build twice as fast.
// The allocator gets fixes that keep allocation linear once garbage is reused inside a run:
// wasm/bumpAllocation.mjs, spreadMapHash.mjs, growVstr.mjs, fastRepeat.mjs, lazyStrHash.mjs,
// appendInPlace.mjs; fastCharCount.mjs counts characters a word at a time; fastSweep.mjs
// sweeps runs of free and tail blocks a table word at a time; bigMarkStack.mjs lets the host give
// the marker a stack that does not overflow into whole-heap rescans; qstrFilter.mjs keeps the
// interned-string lookup from scanning pools that cannot hold the string; bigIntFlag.mjs marks
// the ints the FFI truncates; mapKeyReject.mjs passes over map keys whose string hashes differ
// without a call.
// wasm/classOperations.mjs, dictSubclassUpdate.mjs and handledException.mjs add what the
// runtime lacks for src/python/lib (class-level operations for enum, dict() of a dict subclass,
// the exception being handled for traceback.format_exc); like the fixes, they run before the
// spills, which then cover their code.
// `gc_collect` becomes a call to the import `swasgi.collect(sp)`, which marks from the shadow
// stack between `sp` and its top (src/runner/collector.ts), and `gc_get_max_new_split` (how big
// a new heap area may be) asks `swasgi.heap_room()`, so the heap grows to what the memory cap
// leaves. gc_collect_start, gc_mark_subtree and gc_collect_end are exported for the collector
// (gc_collect_root itself is inlined into gc_collect_start in the published wasm).
//
// A longjmp (MicroPython's nlr, emscripten's setjmp) unwinds wasm frames without running their
// exits; the call site that catches it restores the stack pointer it saved (the glue's
// `invoke_*` wrapper, or its wasm try/catch after wasm/nativeLongjmp.mjs), which also drops the
// frames taken here.
import binaryen from "binaryen";
import { liveAcrossCalls } from "./liveAcrossCalls.mjs";
import { neededStores } from "./neededStores.mjs";
import { bumpAllocation } from "./bumpAllocation.mjs";
import { classOperations } from "./classOperations.mjs";
import { dictSubclassUpdate } from "./dictSubclassUpdate.mjs";
import { handledException } from "./handledException.mjs";
import { fastRepeat } from "./fastRepeat.mjs";
import { growVstr } from "./growVstr.mjs";
import { lazyStrHash } from "./lazyStrHash.mjs";
import { appendInPlace } from "./appendInPlace.mjs";
import { fastCharCount } from "./fastCharCount.mjs";
import { fastSweep } from "./fastSweep.mjs";
import { bigMarkStack } from "./bigMarkStack.mjs";
import { qstrFilter } from "./qstrFilter.mjs";
import { bigIntFlag } from "./bigIntFlag.mjs";
import { mapKeyReject } from "./mapKeyReject.mjs";
import { readModule, resultOf } from "./readModule.mjs";
import { callGraph } from "./recursiveFunctions.mjs";
import { print } from "./sexpr.mjs";
import { spreadMapHash } from "./spreadMapHash.mjs";
import { exposeStackValues, typeOfExpression } from "./stackValues.mjs";

/** Imports that never call back into the module (the host's file system, clock, heap growth). */
const NO_REENTRY = /^(?:wasi_snapshot_preview1\.fd_\w+|env\.__syscall_\w+|env\.emscripten_resize_heap|env\._abort_js|env\._emscripten_throw_longjmp|env\.mp_js_ticks_ms|env\.mp_js_time_ms|env\.mp_js_random_u32)$/;
const FRAME = "$swasgi_frame";
const RESULT = "$swasgi_result";
const COLLECT = "$swasgi_collect";
const HEAP_ROOM = "$swasgi_heap_room";
/** What the collector calls, by export name. */
export const GC_EXPORTS = ["swasgi_gc_collect_start", "swasgi_gc_mark_subtree", "swasgi_gc_collect_end"];

/**
 * @param {Uint8Array} original wasm bytes (MicroPython's webassembly port)
 * @param {{ spill?: ("i32" | "i64")[], flatten?: boolean }} [options] spill: the local types
 *   spilled (both unless a test breaks the pass on purpose); flatten: flatten first (the default)
 * @returns {Promise<{ wasm: Uint8Array, features: number, functions: number, calls: number, slots: number, stores: number }>}
 *   features: the wasm features in use (binaryen's binary does not record them);
 *   functions: functions that take a frame; calls: calls with live values kept; slots: spill
 *   slots in all; stores: spill stores in all
 */
export async function spillPointers(original, { spill = ["i32", "i64"], flatten = true } = {}) {
  const read = binaryen.readBinary(original);
  const features = read.getFeatures();
  const module = readModule(read.emitText());
  read.dispose();
  const landmarks = findLandmarks(module);
  // Fixes to MicroPython's allocation that keep allocation-heavy code linear once the heap is
  // collected and reused inside a run.
  bumpAllocation(module);
  spreadMapHash(module);
  mapKeyReject(module);
  growVstr(module);
  fastRepeat(module);
  lazyStrHash(module);
  appendInPlace(module, landmarks);
  fastCharCount(module);
  fastSweep(module);
  bigMarkStack(module);
  qstrFilter(module);
  bigIntFlag(module);
  // What MicroPython's runtime lacks that the Python library needs.
  classOperations(module);
  dictSubclassUpdate(module);
  handledException(module);
  const source = binaryen.parseText(printModule(module, new Map()));
  source.setFeatures(features);
  const graph = callGraph(module);
  const reaches = collectingFunctions(module, graph, landmarks.gcCollect);
  const collects = (node) => {
    if (node[0] === "call" && !module.functions.has(node[1])) return !NO_REENTRY.test(module.importNames.get(node[1]) ?? "");
    return (graph.targetsOf(node) ?? []).some((t) => t === graph.JS || reaches.has(t));
  };
  // The functions that make a call that can collect; gc_collect itself is replaced.
  const callers = [...module.functions].filter(([name, fn]) => name !== landmarks.gcCollect && someNode(fn.body, collects)).map(([name]) => name);

  let flat = module;
  if (flatten) {
    for (const name of callers) source.runPassesOnFunction(source.getFunction(name.slice(1)), ["flatten", "simplify-locals-nonesting", "coalesce-locals"]);
    flat = readModule(source.emitText());
  }
  source.dispose();
  const globals = new Map();
  for (const part of flat.parts) {
    const m = typeof part === "string" && part.match(/^ \(global (\$\S+) (?:\(mut )?(i32|i64|f32|f64)/);
    if (m) globals.set(m[1], m[2]);
  }

  const stats = { functions: 0, calls: 0, slots: 0, stores: 0 };
  const rewritten = new Map();
  const unchanged = new Map();
  for (const name of callers) {
    const fn = flat.functions.get(name);
    const done = spillFunction(flat, fn, collects, new Set(spill), landmarks.stackPointer, { flat: flatten, globals });
    if (!done) {
      // Nothing live across its calls: the function as it was, not its flattened form.
      const before = module.functions.get(name);
      unchanged.set(name, print([...before.head, ...before.body]));
      continue;
    }
    rewritten.set(name, done.text);
    stats.functions++;
    stats.calls += done.calls;
    stats.slots += done.slots;
    stats.stores += done.stores;
  }
  const sp = landmarks.stackPointer;
  rewritten.set(landmarks.gcCollect, `(func ${landmarks.gcCollect} (call ${COLLECT} (global.get ${sp})))`);
  rewritten.set(landmarks.maxNewSplit, `(func ${landmarks.maxNewSplit} (result i32) (call ${HEAP_ROOM}))`);

  const out = printModule(flat, new Map([...rewritten, ...unchanged]), [
    ` (import "swasgi" "collect" (func ${COLLECT} (param i32)))`,
    ` (import "swasgi" "heap_room" (func ${HEAP_ROOM} (result i32)))`,
  ]).split("\n");
  const exportAt = out.findIndex((line) => line.startsWith(" (export "));
  out.splice(
    exportAt,
    0,
    ...[landmarks.gcCollectStart, landmarks.gcMarkSubtree, landmarks.gcCollectEnd].map((fn, i) => ` (export "${GC_EXPORTS[i]}" (func ${fn}))`),
  );

  const result = binaryen.parseText(out.join("\n"));
  result.setFeatures(features);
  const level = binaryen.getOptimizeLevel();
  const shrink = binaryen.getShrinkLevel();
  binaryen.setOptimizeLevel(2);
  binaryen.setShrinkLevel(1);
  try {
    if (flatten) for (const name of rewritten.keys()) result.optimizeFunction(result.getFunction(name.slice(1)));
  } finally {
    binaryen.setOptimizeLevel(level);
    binaryen.setShrinkLevel(shrink);
  }
  if (!result.validate()) throw new Error("wasm/spillPointers: the rewritten module does not validate");
  const wasm = result.emitBinary();
  result.dispose();
  return { wasm, features, ...stats };
}

/**
 * Adds the spills to one flattened function; undefined when no call needs any.
 * @returns {{ text: string, calls: number, slots: number } | undefined}
 */
function spillFunction(module, original, collects, spillTypes, sp, { flat, globals }) {
  // Work on a copy: a function that needs no spill keeps its original text.
  const fn = { ...original, head: structuredClone(original.head), body: structuredClone(original.body) };
  const localIndex = new Map();
  const localType = [];
  for (const node of fn.head) {
    if (!Array.isArray(node) || (node[0] !== "param" && node[0] !== "local")) continue;
    if (typeof node[1] !== "string" || !node[1].startsWith("$") || node.length !== 3) throw new Error(`wasm/spillPointers: unnamed ${node[0]} in ${fn.head[1]}`);
    localIndex.set(node[1], localType.length);
    localType.push(node[2]);
  }
  // Not flattened: what the call's ancestors hold on the operand stack is made a local first.
  let held = new Map();
  if (!flat) {
    const types = new Map([...localIndex].map(([name, i]) => [name, localType[i]]));
    const typeOf = typeOfExpression((node) => resultOf(module, node), types, globals);
    const newLocal = (type) => {
      const name = `$swasgi_held${localType.length}`;
      fn.head.push(["local", name, type]);
      localIndex.set(name, localType.length);
      localType.push(type);
      types.set(name, type);
      return name;
    };
    held = exposeStackValues(fn.body, collects, typeOf, newLocal);
  }
  const names = [...localIndex.keys()];
  const live = liveAcrossCalls(fn.body, localIndex, collects);
  for (const [call, locals] of held) live.set(call, [...new Set([...(live.get(call) ?? []), ...locals.map((n) => localIndex.get(n))])]);
  const slots = new Map();
  const spills = new Map();
  for (const [call, locals] of live) {
    const kept = locals.filter((i) => spillTypes.has(localType[i]));
    if (kept.length) spills.set(call, kept);
  }
  if (!spills.size) return undefined;
  // i64 slots first, so that every slot is aligned to its size.
  const used = [...new Set([...spills.values()].flat())].sort((a, b) => (localType[a] === localType[b] ? a - b : localType[a] === "i64" ? -1 : 1));
  let size = 0;
  for (const i of used) {
    slots.set(i, size);
    size += localType[i] === "i64" ? 8 : 4;
  }
  size = (size + 15) & ~15;
  const stores = neededStores(fn.body, spills, localIndex);

  // A function that never moves the stack pointer itself takes its frame at its first spill
  // (most calls of a small function take the path without one); one that does (a C stack
  // frame, alloca) takes it at entry, before anything of its own.
  const lazy = !someNode(fn.body, (n) => n[0] === "global.set" && n[1] === sp);
  const take = `(global.set ${sp} (local.tee ${FRAME} (i32.sub (global.get ${sp}) (i32.const ${size}))))`;
  const restore = lazy
    ? `(if (local.get ${FRAME}) (then (global.set ${sp} (i32.add (local.get ${FRAME}) (i32.const ${size})))))`
    : `(global.set ${sp} (i32.add (local.get ${FRAME}) (i32.const ${size})))`;
  const rewrite = (node) => {
    if (!Array.isArray(node)) return node;
    const done = node.map(rewrite);
    if (node[0] === "return") {
      const value = done.slice(1).filter(Array.isArray);
      if (!value.length) return ["block", { raw: restore }, done];
      return ["block", ["local.set", RESULT, value[0]], { raw: restore }, ["return", ["local.get", RESULT]]];
    }
    const kept = stores.get(node);
    if (!kept?.length) return done;
    const result = resultOf(module, node);
    if (result.includes(" ")) throw new Error(`wasm/spillPointers: multi-value call in ${fn.head[1]}`);
    const spill = kept.map((i) => ({ raw: `(${localType[i]}.store offset=${slots.get(i)} (local.get ${FRAME}) (local.get ${names[i]}))` }));
    if (lazy) spill.unshift({ raw: `(if (i32.eqz (local.get ${FRAME})) (then ${take}))` });
    // After the operands (which may assign a spilled local), before the call: the last operand
    // goes through a local, the stores follow it.
    const last = done.findLastIndex((c, i) => i > 0 && Array.isArray(c) && c[0] !== "type");
    if (last < 0) return ["block", ...(result ? [["result", result]] : []), ...spill, done];
    const type = operandType(done[last]);
    const temp = `$swasgi_arg_${type}`;
    temps.add(type);
    done[last] = ["block", ["result", type], ["local.set", temp, done[last]], ...spill, ["local.get", temp]];
    return done;
  };
  const temps = new Set();
  const types = new Map([...localIndex].map(([name, i]) => [name, localType[i]]));
  const operandType = (node) => {
    const type = typeOfExpression((n) => resultOf(module, n), types, globals)(node);
    if (!/^(?:i32|i64|f32|f64)$/.test(type)) throw new Error(`wasm/spillPointers: operand of unknown type in ${fn.head[1]}: ${print(node).slice(0, 80)}`);
    return type;
  };
  const body = fn.body.map(rewrite);
  const fnResult = fn.sig.split(">")[1];
  if (fnResult.includes(",")) throw new Error(`wasm/spillPointers: multi-value function ${fn.head[1]}`);
  const enter = lazy ? { raw: "(nop)" } : { raw: take };
  const locals = [["local", FRAME, "i32"], ...(fnResult ? [["local", RESULT, fnResult]] : []), ...[...temps].map((t) => ["local", `$swasgi_arg_${t}`, t])];
  const wrapped = fnResult
    ? [enter, ["local.set", RESULT, ["block", ["result", fnResult], ...body]], { raw: restore }, ["local.get", RESULT]]
    : [enter, ["block", ...body], { raw: restore }];
  const storeCount = [...stores.values()].reduce((n, list) => n + list.length, 0);
  return { text: print([...fn.head, ...locals, ...wrapped]), calls: spills.size, slots: used.length, stores: storeCount };
}

/** The module's text with some functions replaced and some imports added after the last one. */
function printModule(module, rewritten, imports = []) {
  const out = [];
  for (const [index, part] of module.parts.entries()) {
    if (typeof part === "string") {
      out.push(part);
      if (index === module.lastImport) out.push(...imports);
    } else {
      const fn = module.functions.get(part.name);
      out.push(" " + (rewritten.get(part.name) ?? print([...fn.head, ...fn.body])));
    }
  }
  return out.join("\n");
}

/** The functions and the global this pass rewires, found by what they do (the wasm has no names). */
function findLandmarks(module) {
  const only = (what, names) => {
    if (names.length !== 1) throw new Error(`wasm/spillPointers: expected one ${what}, found ${names.length}`);
    return names[0];
  };
  const bodyText = (name) => module.functions.get(name).body.map(print).join(" ");
  // `emscripten_stack_get_current` returns the stack pointer global.
  const current = module.exported.get("emscripten_stack_get_current");
  const spMatch = current && bodyText(current).match(/^\(global\.get (\$\S+)\)$/);
  if (!spMatch) throw new Error("wasm/spillPointers: emscripten_stack_get_current does not return a global");
  // gc_collect (MICROPY_GC_SPLIT_HEAP_AUTO): only sets gc_collect_pending.
  const flagStore = /^\(i32\.store8 offset=(\d+) \(i32\.const 0\) \(i32\.const 1\)\)$/;
  const gcCollect = only("gc_collect", [...module.functions].filter(([, fn]) => fn.sig === ">" && flagStore.test(bodyText(fn.head[1]))).map(([n]) => n));
  const flag = bodyText(gcCollect).match(flagStore)[1];
  // external_call_depth_dec: collects at the top level when the flag is set, calling
  // gc_collect_start then gc_collect_end.
  const topLevel = only(
    "external_call_depth_dec",
    [...module.functions].filter(([name, fn]) => fn.sig === ">" && name !== gcCollect && bodyText(name).includes(`(i32.load8_u offset=${flag} `)).map(([n]) => n),
  );
  const topCalls = [...bodyText(topLevel).matchAll(/\(call (\$[^\s()]+)\)/g)].map((m) => m[1]);
  if (topCalls.length !== 2) throw new Error("wasm/spillPointers: external_call_depth_dec does not call gc_collect_start and gc_collect_end");
  const [gcCollectStart, gcCollectEnd] = topCalls;
  // gc_mark_subtree(area, block): what gc_collect_start's inlined gc_collect_root calls for each
  // head it marks (root pointers, the pystack).
  const rootCalls = [...bodyText(gcCollectStart).matchAll(/\(call (\$[^\s()]+) /g)].map((m) => m[1]);
  const gcMarkSubtree = only("gc_mark_subtree", [...new Set(rootCalls)].filter((n) => module.functions.get(n)?.sig === "i32,i32>"));
  // gc_get_max_new_split: returns the constant 128 MiB.
  const maxNewSplit = only("gc_get_max_new_split", [...module.functions].filter(([name, fn]) => fn.sig === ">i32" && bodyText(name) === "(i32.const 134217728)").map(([n]) => n));
  return { stackPointer: spMatch[1], gcCollect, gcCollectStart, gcMarkSubtree, gcCollectEnd, maxNewSplit };
}

/** The functions that can return after a collection (in them or in what they call). */
function collectingFunctions(module, graph, gcCollect) {
  const direct = new Map();
  for (const [name, fn] of module.functions) {
    const targets = new Set();
    let leavesModule = false;
    visitInPlace(fn.body, (node, next) => {
      // A call the compiler knows never returns (mp_raise_*, nlr_jump: an `unreachable` follows)
      // cannot return into this function after a collection: what this function holds then is
      // unwound with it, and the frames that survive the raise called through an `invoke_*`
      // import (setjmp), which counts. So a function that can only collect on its way to a
      // raise needs no spills around calls to it.
      if (Array.isArray(next) && next[0] === "unreachable") return;
      if (node[0] === "call" && !module.functions.has(node[1])) {
        if (!NO_REENTRY.test(module.importNames.get(node[1]) ?? "")) leavesModule = true;
        return;
      }
      for (const t of graph.targetsOf(node) ?? []) {
        if (t === graph.JS) leavesModule = true;
        else targets.add(t);
      }
    });
    direct.set(name, { targets, leavesModule });
  }
  const reaches = new Set([gcCollect]);
  for (const [name, d] of direct) if (d.leavesModule) reaches.add(name);
  // Propagate backwards to a fixpoint.
  const callersOf = new Map();
  for (const [name, d] of direct) for (const t of d.targets) {
    if (!callersOf.has(t)) callersOf.set(t, []);
    callersOf.get(t).push(name);
  }
  const work = [...reaches];
  while (work.length) {
    for (const caller of callersOf.get(work.pop()) ?? []) {
      if (!reaches.has(caller)) {
        reaches.add(caller);
        work.push(caller);
      }
    }
  }
  return reaches;
}

/** Calls `fn(node, next)` on every node below `nodes`, children first; `next` is the node after it in its parent. */
function visitInPlace(nodes, fn) {
  nodes.forEach((node, i) => {
    if (!Array.isArray(node)) return;
    visitInPlace(node, fn);
    fn(node, nodes[i + 1]);
  });
}

function visit(nodes, fn) {
  for (const node of nodes) {
    if (!Array.isArray(node)) continue;
    visit(node, fn);
    fn(node);
  }
}

const someNode = (nodes, test) => nodes.some((n) => Array.isArray(n) && (test(n) || someNode(n, test)));
