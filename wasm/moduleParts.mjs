// Adding to a module read by wasm/readModule.mjs: globals after the module's own, functions
// where the printed module puts them (after a given function, or after the last one).

/** Adds ` (global ...)` lines after the module's last global. */
export function addGlobals(module, ...lines) {
  const last = module.parts.findLastIndex((p) => typeof p === "string" && p.startsWith(" (global "));
  module.parts.splice(last + 1, 0, ...lines);
}

/**
 * Adds a function parsed from `(func $name ...)`; its head is everything up to the first body
 * instruction. Placed after function `after`, or after the last function.
 */
export function addFunction(module, node, sig, after) {
  let k = 2;
  while (k < node.length && Array.isArray(node[k]) && ["export", "param", "result", "local"].includes(node[k][0])) k++;
  const name = node[1];
  module.functions.set(name, { sig, head: node.slice(0, k), body: node.slice(k) });
  const at = after === undefined ? module.parts.findLastIndex((p) => typeof p !== "string") : module.parts.findIndex((p) => typeof p !== "string" && p.name === after);
  module.parts.splice(at + 1, 0, { name });
}
