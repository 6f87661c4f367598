// Shrinks the emscripten glue (an ASSERTIONS build, with the generic runtime of every
// emscripten program) to what swasgi runs: sw.js ships it, so this is download size.
// Each pass is semantic, not textual: it finds what is provably unused or debug-only, and
// fails the build when the glue no longer looks the way it reasons about.
import { keyName, memberName, parse, splice, walk } from "./jsAst.mjs";

/**
 * Calls known to be side-effect free: host queries inside assertions, plus the glue's
 * closure factories once found (markPureFactories).
 */
const HOST_QUERIES = new Set(["wasmTable.get", "Buffer.isBuffer"]);

/** `f` or `a.f`, for matching callees by name. */
function calleeName(callee) {
  if (callee.type === "Identifier") return callee.name;
  if (callee.type === "MemberExpression" && !callee.computed && callee.object.type === "Identifier") return `${callee.object.name}.${callee.property.name}`;
  return undefined;
}

/**
 * Expressions without side effects (member reads count as free: the glue has no getters
 * there), given the names of calls that have none.
 * @param {any} node
 * @param {Set<string>} [pureCalls]
 */
function isPure(node, pureCalls = HOST_QUERIES) {
  const pure = (n) => isPure(n, pureCalls);
  switch (node.type) {
    case "Identifier":
    case "Literal":
    case "ThisExpression":
    case "FunctionExpression":
    case "ArrowFunctionExpression":
    case "ClassExpression":
      return true;
    case "TemplateLiteral":
      return node.expressions.every(pure);
    case "MemberExpression":
      return pure(node.object) && (!node.computed || pure(node.property));
    case "ChainExpression":
      return pure(node.expression);
    case "UnaryExpression":
      return node.operator !== "delete" && pure(node.argument);
    case "BinaryExpression":
    case "LogicalExpression":
      return pure(node.left) && pure(node.right);
    case "ConditionalExpression":
      return pure(node.test) && pure(node.consequent) && pure(node.alternate);
    case "SequenceExpression":
      return node.expressions.every(pure);
    case "ArrayExpression":
      return node.elements.every((e) => e === null || pure(e));
    case "ObjectExpression":
      return node.properties.every((p) => p.type === "Property" && (!p.computed || pure(p.key)) && pure(p.value));
    case "CallExpression":
      return pureCalls.has(calleeName(node.callee)) && node.arguments.every(pure);
    default:
      return false;
  }
}

const isCallTo = (node, name) => node.type === "CallExpression" && node.callee.type === "Identifier" && node.callee.name === name;
const isModuleMember = (node) => node.type === "MemberExpression" && node.object.type === "Identifier" && node.object.name === "Module";

/** The factory's body statements: everything the glue declares lives there. */
function factoryBody(ast) {
  const factory = ast.body.find((s) => s.type === "FunctionDeclaration" && s.id?.name === "_createMicroPythonModule");
  if (!factory) throw new Error("wasm/shrinkGlue: no _createMicroPythonModule factory");
  return factory.body.body;
}

/** Runs `collect` over a fresh parse and applies its edits, until it finds nothing more. */
function rewrite(text, collect) {
  for (;;) {
    const edits = collect(text, parse(text));
    if (!edits.length) return text;
    text = splice(text, edits);
  }
}

/**
 * Debug-only code of an ASSERTIONS build: `assert(cond, message)` calls (kept only for a
 * condition's side effects, e.g. `assert(!(3 & (max = f())))`), the stack-cookie check, the
 * traps for Module properties set too late or read before they exist, and the list of
 * runtime symbols not exported (thousands of names, kept only to say so in an error).
 */
function dropDebugCode(text) {
  const found = { assert: 0, consumedModuleProp: 0, checkStackCookie: 0, makeInvalidEarlyAccess: 0, unexportedRuntimeSymbol: 0 };
  text = rewrite(text, (src, ast) => {
    const edits = [];
    walk(ast, (node) => {
      if (node.type !== "CallExpression") return;
      if (isCallTo(node, "assert")) {
        found.assert++;
        const [cond] = node.arguments;
        edits.push({ start: node.start, end: node.end, text: isPure(cond) ? "void 0" : `void (${src.slice(cond.start, cond.end)})` });
        return false;
      }
      for (const name of ["consumedModuleProp", "checkStackCookie", "makeInvalidEarlyAccess"]) {
        if (!isCallTo(node, name)) continue;
        if (!node.arguments.every(isPure)) throw new Error(`wasm/shrinkGlue: ${name} with side effects`);
        found[name]++;
        edits.push({ start: node.start, end: node.end, text: "void 0" });
        return false;
      }
      // `["name", ...].forEach(unexportedRuntimeSymbol)`, or with a function that calls it.
      const callee = node.callee;
      if (memberName(callee) === "forEach" && callee.object.type === "ArrayExpression" && /\bunexportedRuntimeSymbol\b/.test(src.slice(node.start, node.end))) {
        found.unexportedRuntimeSymbol++;
        edits.push({ start: node.start, end: node.end, text: "void 0" });
        return false;
      }
    });
    return edits;
  });
  for (const [name, count] of Object.entries(found)) {
    if (!count) throw new Error(`wasm/shrinkGlue: found no ${name} in the glue; is it still an ASSERTIONS build?`);
  }
  return text;
}

/**
 * The glue's closure factories (a function whose whole body returns a function, like
 * createExportWrapper once its assertions are gone) are pure: their calls get a `@__PURE__`
 * comment, so a minifier drops the unused ones.
 */
function markPureFactories(text) {
  const ast = parse(text);
  const factories = new Set(HOST_QUERIES);
  for (const s of factoryBody(ast)) {
    if (s.type !== "FunctionDeclaration" || !s.params.every((p) => p.type === "Identifier")) continue;
    const [only, ...rest] = s.body.body;
    const returned = only?.type === "ReturnStatement" ? only.argument : undefined;
    if (!rest.length && (returned?.type === "ArrowFunctionExpression" || returned?.type === "FunctionExpression")) factories.add(s.id.name);
  }
  const edits = [];
  walk(ast, (node) => {
    if (node.type === "CallExpression" && node.callee.type === "Identifier" && factories.has(node.callee.name)) {
      edits.push({ start: node.start, end: node.start, text: "/* @__PURE__ */ " });
    }
  });
  return { text: splice(text, edits), factories };
}

/**
 * Module properties: swasgi passes only `moduleArg` (see glue.d.mts) and reads only
 * `moduleResult`, so reading any other property the glue never sets is `undefined`, and
 * setting one the glue never reads only exports something nobody takes.
 */
function dropModuleProps(text, moduleArg, moduleResult, pureCalls) {
  const reads = new Set();
  const writes = new Set();
  walk(parse(text), (node, parent) => {
    if (node.type === "AssignmentExpression" && isModuleMember(node.left)) {
      // `Module.x = [Module.x]` only normalizes what the caller passed: not state of its own.
      const name = memberName(node.left);
      let derived = false;
      walk(node.right, (n) => void (derived ||= isModuleMember(n) && memberName(n) === name));
      if (name !== undefined && !derived) writes.add(name);
    }
    if (!isModuleMember(node)) return;
    const name = memberName(node);
    if (name === undefined) return; // checked once dead code is gone (shrinkGlue)
    if (!(parent?.type === "AssignmentExpression" && parent.left === node)) reads.add(name);
  });
  // The glue's own state kept on Module (set and read): left alone.
  const shared = new Set([...reads].filter((name) => writes.has(name)));
  const kept = (name) => moduleArg.includes(name) || moduleResult.includes(name) || shared.has(name);
  return rewrite(text, (src, ast) => {
    const edits = [];
    walk(ast, (node, parent) => {
      if (node.type === "AssignmentExpression" && isModuleMember(node.left) && !kept(memberName(node.left))) {
        const value = node.right;
        edits.push({ start: node.start, end: node.end, text: isPure(value, pureCalls) ? "void 0" : `(${src.slice(value.start, value.end)})` });
        return false;
      }
      if (isModuleMember(node) && memberName(node) !== undefined && !(parent?.type === "AssignmentExpression" && parent.left === node) && !kept(memberName(node))) {
        edits.push({ start: node.start, end: node.end, text: "(void 0)" });
        return false;
      }
    });
    return edits;
  });
}

/** Identifier references, by name (scopes ignored: a shadowing local only keeps more). */
function countReferences(ast) {
  const counts = new Map();
  walk(ast, (node, parent) => {
    if (node.type !== "Identifier") return;
    if (parent?.type === "MemberExpression" && parent.property === node && !parent.computed) return;
    if (parent?.type === "Property" && parent.key === node && !parent.computed && !parent.shorthand) return;
    if ((parent?.type === "MethodDefinition" || parent?.type === "PropertyDefinition") && parent.key === node) return;
    counts.set(node.name, (counts.get(node.name) ?? 0) + 1);
  });
  return counts;
}

/**
 * Drops the factory's declarations nobody references (a minifier would too, but the
 * namespace pass below must not count references from dead code).
 */
function dropDeadDeclarations(src, ast) {
  const counts = countReferences(ast);
  const edits = [];
  for (const statement of factoryBody(ast)) {
    if (statement.type === "FunctionDeclaration" && counts.get(statement.id.name) === 1) {
      edits.push({ start: statement.start, end: statement.end, text: "" });
    } else if (statement.type === "VariableDeclaration") {
      const live = statement.declarations.filter(
        (d) => !(d.id.type === "Identifier" && counts.get(d.id.name) === 1 && (!d.init || isPure(d.init))),
      );
      if (live.length === statement.declarations.length) continue;
      const text = live.length ? `${statement.kind} ${live.map((d) => src.slice(d.start, d.end)).join(",")};` : "";
      edits.push({ start: statement.start, end: statement.end, text });
    }
  }
  return edits;
}

/**
 * The names a piece of code reads: `.name` and `["name"]` (not as the target of a plain
 * assignment), destructured keys, and every string literal (a possible dynamic key).
 */
function addReads(node, parent, reads) {
  const name = memberName(node);
  if (name !== undefined && !(parent?.type === "AssignmentExpression" && parent.left === node && parent.operator === "=")) reads.add(name);
  if (node.type === "Literal" && typeof node.value === "string") reads.add(node.value);
  if (node.type === "ObjectPattern") for (const p of node.properties) if (p.type === "Property") reads.add(keyName(p));
}

/**
 * The glue's runtime namespaces (FS, MEMFS, TTY, ...) are object literals full of methods for
 * every emscripten program; most are never called here. Their properties (at any depth of
 * object literals, in literals assigned to a namespace property, like MEMFS.ops_table, and
 * the methods of classes among them, like FS.FSNode) are definitions. A definition is live
 * when live code reads its name; code is live when it is outside every definition or inside
 * a live one. Names, not objects: a name read anywhere keeps every definition of it, and
 * swasgi's FS API (glue.d.mts) counts as read. Dead definitions are dropped, with the
 * declarations only they referenced, until nothing changes.
 */
function pruneNamespaces(text, namespaces, fsApi) {
  return rewrite(text, (src, ast) => {
    const dead = dropDeadDeclarations(src, ast);
    if (dead.length) return dead;
    const body = factoryBody(ast);
    const roots = new Set();
    for (const statement of body) {
      if (statement.type !== "VariableDeclaration") continue;
      for (const d of statement.declarations) {
        if (namespaces.includes(d.id.name) && d.init?.type === "ObjectExpression") roots.add(d.init);
      }
    }
    if (roots.size !== namespaces.length) throw new Error(`wasm/shrinkGlue: expected the namespaces ${namespaces.join(", ")}`);
    const isNamespace = (node) => node.type === "Identifier" && namespaces.includes(node.name);
    const isNamespaceMember = (node) =>
      node.type === "MemberExpression" && !node.computed && (isNamespace(node.object) || isNamespaceMember(node.object));
    walk(ast, (node) => {
      if (node.type === "AssignmentExpression" && node.right.type === "ObjectExpression" && isNamespaceMember(node.left)) roots.add(node.right);
    });
    // Definitions: properties of those literals (and of literals nested in them), and
    // `NS.name = value` statements at the top of the factory.
    /** @type {Map<any, { name: string, node: any, value: any, reads: Set<string> }>} */
    const defs = new Map();
    const define = (object) => {
      for (const p of object.properties) {
        if (p.type !== "Property") throw new Error(`wasm/shrinkGlue: spread in a namespace at ${p.start}`);
        const name = keyName(p);
        if (name === undefined) throw new Error(`wasm/shrinkGlue: computed key in a namespace at ${p.start}`);
        defs.set(p.value, { name, node: p, value: p.value, reads: new Set() });
        if (p.value.type === "ObjectExpression") define(p.value);
        // A class's methods and accessors (FS.FSNode, FS.FSStream) are definitions too.
        if (p.value.type === "ClassExpression") {
          for (const m of p.value.body.body) {
            if (m.type === "MethodDefinition" && m.kind !== "constructor" && !m.computed) {
              defs.set(m.value, { name: m.key.name, node: m, value: m.value, reads: new Set() });
            }
          }
        }
      }
    };
    for (const object of roots) define(object);
    for (const statement of body) {
      if (statement.type !== "ExpressionStatement") continue;
      const parts = statement.expression.type === "SequenceExpression" ? statement.expression.expressions : [statement.expression];
      for (const part of parts) {
        if (part.type === "AssignmentExpression" && part.operator === "=" && part.left.type === "MemberExpression" && isNamespace(part.left.object)) {
          const name = memberName(part.left);
          if (name !== undefined) defs.set(part.right, { name, node: part, value: part.right, reads: new Set() });
        }
      }
    }
    // Who reads what: each read belongs to its innermost definition, or to the live roots.
    const live = new Set(fsApi);
    const scan = (node, parent, reads) => {
      addReads(node, parent, reads);
      for (const key of Object.keys(node)) {
        if (key === "type" || key === "start" || key === "end") continue;
        const value = node[key];
        for (const child of Array.isArray(value) ? value : [value]) {
          if (!child || typeof child.type !== "string") continue;
          const def = defs.get(child);
          scan(child, node, def ? def.reads : reads);
        }
      }
    };
    scan(ast, null, live);
    const byName = new Map();
    for (const def of defs.values()) byName.set(def.name, [...(byName.get(def.name) ?? []), def]);
    for (const pending = [...live]; pending.length; ) {
      for (const def of byName.get(pending.pop()) ?? []) {
        for (const name of def.reads) if (!live.has(name)) live.add(name), pending.push(name);
      }
    }
    const edits = [];
    for (const def of defs.values()) {
      if (live.has(def.name) || !isPure(def.value)) continue;
      if (def.node.type === "AssignmentExpression") {
        edits.push({ start: def.node.start, end: def.node.end, text: "void 0" });
        continue;
      }
      // Take the comma after it along (a trailing comma is valid in a literal).
      const after = src.indexOf(",", def.node.end);
      const end = after >= 0 && src.slice(def.node.end, after).trim() === "" ? after + 1 : def.node.end;
      edits.push({ start: def.node.start, end, text: "" });
    }
    // A literal dropped whole covers the edits inside it.
    return edits.filter((e) => !edits.some((o) => o !== e && o.start <= e.start && e.end <= o.end));
  });
}

/** Removes the factory's top-level statements that start with each prefix (one each). */
export function dropStatements(text, prefixes) {
  const ast = parse(text);
  const edits = prefixes.map((prefix) => {
    const matches = factoryBody(ast).filter((s) => text.startsWith(prefix, s.start));
    if (matches.length !== 1) throw new Error(`wasm/shrinkGlue: expected one statement ${prefix}, found ${matches.length}`);
    return { start: matches[0].start, end: matches[0].end, text: "" };
  });
  return splice(text, edits);
}

/** Sets the named properties of the wasm imports object (`wasmImports`) to `null`, one each. */
export function nullImports(text, names) {
  const imports = [];
  walk(parse(text), (node) => {
    if (node.type === "VariableDeclarator" && node.id.name === "wasmImports" && node.init?.type === "ObjectExpression") imports.push(node.init);
  });
  if (imports.length !== 1) throw new Error(`wasm/shrinkGlue: expected one wasmImports object, found ${imports.length}`);
  const edits = names.map((name) => {
    const matches = imports[0].properties.filter((p) => p.type === "Property" && keyName(p) === name);
    if (matches.length !== 1) throw new Error(`wasm/shrinkGlue: expected one import ${name}, found ${matches.length}`);
    const { key, value } = matches[0];
    return { start: key.start, end: value.end, text: `${name}:null` };
  });
  return splice(text, edits);
}

/** Replaces the one conditional `test ? a : b` (test given as source) with `a`. */
export function keepConsequent(text, test) {
  const matches = [];
  walk(parse(text), (node) => {
    if (node.type === "ConditionalExpression" && text.slice(node.test.start, node.test.end) === test) matches.push(node);
  });
  if (matches.length !== 1) throw new Error(`wasm/shrinkGlue: expected one conditional on ${test}, found ${matches.length}`);
  const [node] = matches;
  return splice(text, [{ start: node.start, end: node.end, text: `(${text.slice(node.consequent.start, node.consequent.end)})` }]);
}

/**
 * @param {string} text the glue after patchGlue's textual edits
 * @param {{ moduleArg: string[], moduleResult: string[], fsApi: string[], namespaces: string[] }} api
 *   what swasgi passes, reads and calls (from glue.d.mts), and the glue's namespaces to prune
 */
export function shrinkGlue(text, api) {
  text = dropDebugCode(text);
  const marked = markPureFactories(text);
  text = dropModuleProps(marked.text, api.moduleArg, api.moduleResult, marked.factories);
  text = pruneNamespaces(text, api.namespaces, api.fsApi);
  // Whatever the passes removed must be gone for good.
  const ast = parse(text);
  walk(ast, (node) => {
    if (isModuleMember(node) && memberName(node) === undefined) throw new Error(`wasm/shrinkGlue: computed Module access left at ${node.start}`);
  });
  const counts = countReferences(ast);
  for (const name of ["assert", "consumedModuleProp", "checkStackCookie", "makeInvalidEarlyAccess", "unexportedRuntimeSymbol"]) {
    if (counts.get(name)) throw new Error(`wasm/shrinkGlue: ${name} is still referenced`);
  }
  return text;
}
