// Turns the published emscripten glue into a plain module factory that runs the same way in a
// Service Worker and in Node:
// - cut at `export default`: loadMicroPython and the Node-only tail (top-level await, which a
//   module Service Worker rejects) and the realm-global proxy tables are dropped; swasgi
//   supplies every FFI import itself (src/runner/ffi/), per instance;
// - environment detection pinned to "worker", so no `import("module")`/`require` is reached;
// - the imports swasgi supplies itself are dropped: the runtime's own FFI (swasgi's is locked
//   down) and heap growth;
// - the glue's own console noise goes to Module.printErr, and its view refresher is exposed
//   so the runner can grow memory itself, up to the app's cap;
// - the file system throws plain errors, as a release build does;
// - then shrunk to what swasgi runs (wasm/shrinkGlue.mjs): debug checks, the wasm loader
//   (swasgi instantiates the wasm itself), Module options swasgi never passes, and runtime
//   methods nothing calls.
// Each edit must match exactly once, so a new glue version fails the build loudly.
import { readFileSync } from "node:fs";
import { parse, walk } from "./jsAst.mjs";
import { dropStatements, keepConsequent, nullImports, shrinkGlue } from "./shrinkGlue.mjs";

/**
 * Imports swasgi always supplies itself (src/runner/interpreter.ts): the runtime's own JS FFI
 * (`import js` reaches any object), replaced by src/runner/ffi/, and heap growth, capped per
 * app. Their bodies become `null`: dead code in swasgi (download size), and a glue used
 * without swasgi's imports then fails to instantiate instead of handing Python the realm.
 */
const SWASGI_IMPORTS = [
  "call0", "call0_kwarg", "call1", "call2", "calln", "calln_kwarg", "create_promise", "has_attr",
  "js_check_existing", "js_get_error_info", "js_get_iter", "js_get_proxy_js_ref_info", "js_iter_next",
  "js_reflect_construct", "js_subscr_load", "js_subscr_store", "js_then_continue", "js_then_reject",
  "js_then_resolve", "lookup_attr", "proxy_convert_mp_to_js_then_js_to_js_then_js_to_mp_obj_jsside",
  "proxy_convert_mp_to_js_then_js_to_mp_obj_jsside", "proxy_js_free_obj", "store_attr",
  "emscripten_resize_heap",
];

/**
 * What swasgi uses of the glue, from glue.d.mts: the members of ModuleArg (what it passes),
 * of EmscriptenModule (what it reads) and every member name in the file (FS methods and the
 * fields of what they return), which the glue must keep.
 */
function glueApi() {
  const source = readFileSync(new URL("./glue.d.mts", import.meta.url), "utf8");
  const ast = parse(source, "dts");
  const interfaces = new Map();
  const names = [];
  walk(ast, (node) => {
    if (node.type === "TSInterfaceDeclaration") interfaces.set(node.id.name, node.body.body.map((m) => m.key.name));
    if (node.type === "TSPropertySignature" || node.type === "TSMethodSignature") names.push(node.key.name);
  });
  const get = (name) => {
    const members = interfaces.get(name);
    if (!members) throw new Error(`wasm/patchGlue: glue.d.mts has no interface ${name}`);
    return members;
  };
  get("EmscriptenFS");
  return { fsApi: names, moduleArg: get("ModuleArg"), moduleResult: get("EmscriptenModule") };
}

/** The runtime's namespaces whose unused methods are dropped (wasm/shrinkGlue.mjs). */
const NAMESPACES = ["FS", "MEMFS", "TTY", "PATH", "PATH_FS", "SYSCALLS"];

/**
 * Top-level statements swasgi never needs: the browser-version checks, the wasm file
 * loader's environment setup (swasgi instantiates the wasm itself), and the ASSERTIONS trap
 * on the module argument, which is the Module itself here, so it never fires.
 */
const DEAD_STATEMENTS = [
  "!function(){function humanReadableVersionToPacked(",
  "if(ENVIRONMENT_IS_NODE){",
  "for(const prop of Object.keys(Module))prop in moduleArg||",
];

/** @param {string} glue */
export function patchGlue(glue) {
  const edits = [
    [/export default _createMicroPythonModule;[\s\S]*$/, "export default _createMicroPythonModule;\n"],
    [
      'ENVIRONMENT_IS_WEB=!!globalThis.window,ENVIRONMENT_IS_WORKER=!!globalThis.WorkerGlobalScope,ENVIRONMENT_IS_NODE=globalThis.process?.versions?.node&&"renderer"!=globalThis.process?.type,',
      "ENVIRONMENT_IS_WEB=!1,ENVIRONMENT_IS_WORKER=!0,ENVIRONMENT_IS_NODE=!1,",
    ],
    [/if\(ENVIRONMENT_IS_NODE\)\{const\{createRequire:createRequire\}=await import\("module"\);var require=createRequire\(import\.meta\.url\)\}/, ""],
    [/if\(!globalThis\.window&&!globalThis\.WorkerGlobalScope\)throw new Error\("not compiled for this environment[^"]*"\);/, ""],
    ["err=console.error.bind(console)", "err=(...a)=>Module.printErr?.(a.join(' '))"],
    ["out=console.log.bind(console)", "out=(...a)=>Module.print?.(a.join(' '))"],
    ["var Module=moduleArg,", "var Module=moduleArg;Module.swasgiUpdateMemoryViews=()=>updateMemoryViews();var "],
    // The file system's errors as a release build has them: `name` and `errno` are all its
    // syscalls read. The ASSERTIONS class is an Error (a stack trace each time) whose message
    // calls strerror() in the wasm, and failed lookups are the runtime's control flow.
    [
      'ErrnoError:class extends Error{name="ErrnoError";constructor(errno){for(var key in super(runtimeInitialized?(errno=>UTF8ToString(_strerror(errno)))(errno):""),this.errno=errno,ERRNO_CODES)if(ERRNO_CODES[key]===errno){this.code=key;break}}}',
      'ErrnoError:class{name="ErrnoError";constructor(errno){this.errno=errno}toString(){return"ErrnoError: errno "+this.errno}}',
    ],
    // ASSERTIONS checks of the platform and of Module options swasgi never passes.
    [/h16=new Int16Array\(1\),h8=new Int8Array\(h16\.buffer\),h16\[0\]=25459,115===h8\[0\]&&99===h8\[1\]\|\|abort\("[^"]*"\);/, ""],
    [/prop="fetchSettings",Object\.getOwnPropertyDescriptor\(Module,prop\)&&abort\(`(?:[^`\\]|\\.)*`\),/, ""],
  ];
  let text = glue;
  for (const [pattern, replacement] of edits) {
    const count = typeof pattern === "string" ? text.split(pattern).length - 1 : (text.match(new RegExp(pattern, "g")) ?? []).length;
    if (count !== 1) throw new Error(`wasm/patchGlue: expected one match of ${pattern}, found ${count}`);
    text = text.replace(pattern, replacement);
  }
  // `import.meta` is a syntax error in a classic script, and sw.js is one (V8 caches the code of
  // classic worker scripts, not of module ones: ~10 ms per Service Worker start). The URL only
  // feeds the glue's file locator, which swasgi never uses (it instantiates the wasm itself).
  const metaUrls = text.split("import.meta.url").length - 1;
  if (metaUrls !== 2) throw new Error(`wasm/patchGlue: expected two import.meta.url, found ${metaUrls}`);
  text = text.replaceAll("import.meta.url", '(globalThis.location?.href??"")');
  text = nullImports(text, SWASGI_IMPORTS);
  text = dropStatements(text, DEAD_STATEMENTS);
  // swasgi always passes instantiateWasm: the glue's own fetch-and-instantiate path is dead.
  text = keepConsequent(text, "Module.instantiateWasm");
  text = shrinkGlue(text, { ...glueApi(), namespaces: NAMESPACES });
  return "// Generated by wasm/patchGlue.mjs from @micropython/micropython-webassembly-pyscript. Do not edit.\n" + text;
}
