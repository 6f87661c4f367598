// Turns emscripten's JavaScript-based setjmp/longjmp into WebAssembly exception handling, so that
// a call made where MicroPython may catch an exception no longer leaves wasm.
//
// MicroPython raises by longjmp (nlr_jump) to the last nlr_push (setjmp). The published wasm was
// built with emscripten's JS mode: inside a function that calls setjmp, every call that may
// longjmp goes through an import `invoke_<sig>(index, ...args)`, a JS function that calls table
// entry `index` inside a JS try/catch, and longjmp throws a JS number (`_emscripten_throw_longjmp`).
// mp_execute_bytecode is such a function, so calls the VM makes for ordinary bytecodes (a binary
// operation, a subscript, a call) cross into JS and back: a loop of `s = x * 1000; n += len(s)`
// made seven such crossings per iteration, most of its time.
//
// Here each `call $invoke_X (index, args...)` calls a wasm function in place of the import, one
// per signature, which makes the same call_indirect inside a wasm `try` (helperFor, below):
// the tag thrown in place of the JS throw is caught as the JS wrapper caught its number (stack
// pointer restored, setThrew(1, 0): a no-op when longjmp already recorded where to go, and the
// published code after the call then does what it did before); any other exception (a JS error
// such as the time limit's HardStop, or a stack overflow) restores the stack pointer and goes on
// up, as the JS wrapper did with `throw e`. Legacy exception handling (try/catch/rethrow): Chrome
// 95, Firefox 100, Safari 15.2, Node 17.
import binaryen from "binaryen";
import { readModule } from "./readModule.mjs";
import { print } from "./sexpr.mjs";

const TAG = "$swasgi_longjmp";

/**
 * @param {Uint8Array} wasm the runtime after the earlier passes
 * @param {number} features the wasm features in use
 * @returns {{ wasm: Uint8Array, features: number, sites: number }}
 */
export function nativeLongjmp(wasm, features) {
  const read = binaryen.readBinary(wasm);
  read.setFeatures(features);
  const module = readModule(read.emitText());
  read.dispose();

  const invokes = new Map();
  let throwLongjmp;
  for (const [name, full] of module.importNames) {
    if (/^env\.invoke_[vijfd]+$/.test(full)) invokes.set(name, module.imports.get(name));
    if (full === "env._emscripten_throw_longjmp") throwLongjmp = name;
  }
  const setThrew = module.exported.get("setThrew");
  const current = module.exported.get("emscripten_stack_get_current");
  const sp = current && print(module.functions.get(current).body[0]).match(/^\(global\.get (\$\S+)\)$/)?.[1];
  if (!invokes.size || !throwLongjmp || !setThrew || !sp) throw new Error("wasm/nativeLongjmp: expected emscripten's JS setjmp/longjmp (invoke_* imports, _emscripten_throw_longjmp, setThrew, the stack pointer)");

  const typeOf = new Map([...module.types].map(([name, sig]) => [sig, name]));
  const newTypes = [];
  const typeFor = (sig) => {
    if (!typeOf.has(sig)) {
      const name = `$swasgi_sig_${typeOf.size}`;
      const [params, results] = sig.split(">").map((s) => s.split(",").filter(Boolean));
      newTypes.push(` (type ${name} (func${params.length ? ` (param ${params.join(" ")})` : ""}${results.length ? ` (result ${results.join(" ")})` : ""}))`);
      typeOf.set(sig, name);
    }
    return typeOf.get(sig);
  };

  // One wasm function per invoke signature does what emscripten's JS `invoke_<sig>` did: the
  // call sites call it in place of the import. Inlined at each site instead, the `try` regions
  // (85 in mp_execute_bytecode) made V8's optimizing compile of the VM 1.8 times as costly as
  // the published wasm's (59 against 33 ms in Node; 29 ms this way). V8 runs that compile on a
  // background thread at every worker start, where on a busy machine it takes the worker's
  // core. The extra call costs nothing measurable in Chromium (its optimizing compiler inlines
  // hot calls), 2-3 % of a CPU-bound loop in Node 20.
  const helpers = new Map();
  const helperFor = (invoke) => {
    if (helpers.has(invoke)) return helpers.get(invoke).name;
    const [params, result] = invokes.get(invoke).split(">");
    const args = params.split(",").slice(1);
    const name = `$swasgi_${module.importNames.get(invoke).slice(4)}`;
    const resultType = result ? ` (result ${result})` : "";
    const zero = result ? `(${result}.const 0)` : "";
    const text = `(func ${name} (param $fn i32)${args.map((t, i) => ` (param $a${i} ${t})`).join("")}${resultType} (local $sp i32)
      (local.set $sp (global.get ${sp}))
      (try $call${resultType}
        (do (call_indirect (type ${typeFor(`${args.join(",")}>${result}`)}) ${args.map((_, i) => `(local.get $a${i})`).join(" ")} (local.get $fn)))
        (catch ${TAG} (global.set ${sp} (local.get $sp)) (call ${setThrew} (i32.const 1) (i32.const 0)) ${zero})
        (catch_all (global.set ${sp} (local.get $sp)) (rethrow $call))))`;
    helpers.set(invoke, { name, text });
    return name;
  };

  let sites = 0;
  let throws = 0;
  for (const fn of module.functions.values()) {
    const rewrite = (node) => {
      if (!Array.isArray(node)) return node;
      for (let i = 0; i < node.length; i++) node[i] = rewrite(node[i]);
      if (node[0] !== "call") return node;
      if (node[1] === throwLongjmp) {
        throws++;
        return ["throw", TAG];
      }
      if (!invokes.has(node[1])) return node;
      sites++;
      return ["call", helperFor(node[1]), ...node.slice(2)];
    };
    fn.body = fn.body.map(rewrite);
  }
  if (throws !== 1) throw new Error(`wasm/nativeLongjmp: expected one call of _emscripten_throw_longjmp (emscripten_longjmp), found ${throws}`);

  const out = [];
  const lastFunction = module.parts.findLastIndex((p) => typeof p !== "string");
  for (const [i, part] of module.parts.entries()) {
    if (typeof part !== "string") {
      const fn = module.functions.get(part.name);
      out.push(" " + print([...fn.head, ...fn.body]));
      if (i === lastFunction) for (const { text } of helpers.values()) out.push(" " + text);
      continue;
    }
    out.push(part);
    if (i === module.lastImport) out.push(` (tag ${TAG})`);
  }
  const firstType = out.findIndex((line) => line.startsWith(" (type "));
  out.splice(firstType, 0, ...newTypes);
  const result = binaryen.parseText(out.join("\n"));
  const allFeatures = features | binaryen.Features.ExceptionHandling;
  result.setFeatures(allFeatures);
  if (!result.validate()) { throw new Error("wasm/nativeLongjmp: the rewritten module does not validate"); }
  const bytes = result.emitBinary();
  result.dispose();
  return { wasm: bytes, features: allFeatures, sites };
}
