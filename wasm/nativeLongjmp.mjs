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
// Here each `call $invoke_X (index, args...)` becomes the same call_indirect inside a wasm `try`:
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

  let sites = 0;
  let throws = 0;
  for (const fn of module.functions.values()) {
    let added = 0;
    const rewrite = (node) => {
      if (!Array.isArray(node)) return node;
      for (let i = 0; i < node.length; i++) node[i] = rewrite(node[i]);
      if (node[0] !== "call") return node;
      if (node[1] === throwLongjmp) {
        throws++;
        return ["throw", TAG];
      }
      const sig = invokes.get(node[1]);
      if (!sig) return node;
      const [params, result] = sig.split(">");
      const calleeSig = `${params.split(",").slice(1).join(",")}>${result}`;
      const [index, ...args] = node.slice(2);
      const id = sites++;
      const label = `$swasgi_try${id}`;
      const saved = `$swasgi_sp${id}`;
      fn.head.push(["local", saved, "i32"]);
      added++;
      const prelude = [["local.set", saved, ["global.get", sp]]];
      let target = index;
      if (index[0] !== "i32.const") {
        const held = `$swasgi_fn${id}`;
        fn.head.push(["local", held, "i32"]);
        prelude.unshift(["local.set", held, index]);
        target = ["local.get", held];
      }
      const restore = ["global.set", sp, ["local.get", saved]];
      const resultType = result ? [["result", result]] : [];
      const zero = result ? [[`${result}.const`, "0"]] : [];
      return [
        "block",
        ...resultType,
        ...prelude,
        [
          "try",
          label,
          ...resultType,
          ["do", ["call_indirect", ["type", typeFor(calleeSig)], ...args, target]],
          ["catch", TAG, restore, ["call", setThrew, ["i32.const", "1"], ["i32.const", "0"]], ...zero],
          ["catch_all", restore, ["rethrow", label]],
        ],
      ];
    };
    // A function's locals come after its params and result in its head; new ones go at the end.
    fn.body = fn.body.map(rewrite);
    if (added) fn.changed = true;
  }
  if (throws !== 1) throw new Error(`wasm/nativeLongjmp: expected one call of _emscripten_throw_longjmp (emscripten_longjmp), found ${throws}`);

  const out = [];
  for (const [i, part] of module.parts.entries()) {
    if (typeof part !== "string") {
      const fn = module.functions.get(part.name);
      out.push(" " + print([...fn.head, ...fn.body]));
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
  const level = binaryen.getOptimizeLevel();
  binaryen.setOptimizeLevel(2);
  try {
    for (const fn of module.functions.values()) if (fn.changed) result.runPassesOnFunction(result.getFunction(fn.head[1].slice(1)), ["coalesce-locals", "simplify-locals", "vacuum"]);
  } finally {
    binaryen.setOptimizeLevel(level);
  }
  const bytes = result.emitBinary();
  result.dispose();
  return { wasm: bytes, features: allFeatures, sites };
}
