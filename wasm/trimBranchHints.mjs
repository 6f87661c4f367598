// Keeps the branch hints (the `metadata.code.branch_hint` custom section, written by the fuel
// pass: wasm/instrumentFuel.mjs) of the functions with at least MIN_HINTS of them, and drops
// the rest. The section is 3.7 KB of the shipped wasm's gzip, one hint for every fuel check; V8
// gains most from the hints of the functions with many checks (loops, long bodies): keeping
// those, the fuel workloads ran 1.8 % slower than with every hint (0.982, 5 page loads in
// Chromium) and 4.6 % with none, for 2.4 KB of the 3.7.
//
// Section layout (branch hinting proposal): name, then a vec of (function index, vec of
// (byte offset, hint size, hint bytes)); functions in ascending order, which a filter keeps.

export const MIN_HINTS = 5;

/**
 * @param {Uint8Array} wasm
 * @param {number} [min] hints a function needs to keep them
 * @returns {{ wasm: Uint8Array, kept: number, dropped: number }} functions whose hints were kept or dropped
 */
export function trimBranchHints(wasm, min = MIN_HINTS) {
  let p = 8;
  const leb = () => {
    let result = 0;
    let shift = 0;
    let byte;
    do {
      byte = wasm[p++];
      result |= (byte & 127) << shift;
      shift += 7;
    } while (byte & 128);
    return result >>> 0;
  };
  const parts = [wasm.subarray(0, 8)];
  let kept = 0;
  let dropped = 0;
  while (p < wasm.length) {
    const sectionStart = p;
    const id = wasm[p++];
    const size = leb();
    const bodyStart = p;
    const end = bodyStart + size;
    if (id === 0) {
      const nameLength = leb();
      const name = new TextDecoder().decode(wasm.subarray(p, p + nameLength));
      p += nameLength;
      if (name === "metadata.code.branch_hint") {
        const functions = [];
        for (let count = leb(); count > 0; count--) {
          const start = p;
          leb(); // function index
          const hints = leb();
          for (let i = 0; i < hints; i++) {
            leb(); // offset
            const hintSize = leb();
            p += hintSize; // the hint bytes
          }
          if (hints >= min) functions.push(wasm.subarray(start, p));
          else dropped++;
        }
        if (p !== end) throw new Error("wasm/trimBranchHints: the branch hint section does not end where its size says");
        kept += functions.length;
        const nameBytes = new TextEncoder().encode(name);
        const body = concat([uleb(nameBytes.length), nameBytes, uleb(functions.length), ...functions]);
        if (functions.length) parts.push(concat([Uint8Array.of(0), uleb(body.length), body]));
        p = end;
        continue;
      }
    }
    p = end;
    parts.push(wasm.subarray(sectionStart, end));
  }
  return { wasm: concat(parts), kept, dropped };
}

function uleb(value) {
  const out = [];
  do {
    let byte = value & 127;
    value >>>= 7;
    if (value) byte |= 128;
    out.push(byte);
  } while (value);
  return Uint8Array.from(out);
}

function concat(parts) {
  const out = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
