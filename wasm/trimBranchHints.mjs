// Keeps the branch hints (the `metadata.code.branch_hint` custom section, written by the fuel
// pass: wasm/instrumentFuel.mjs) of the functions where Python spends its time, and drops the
// rest. The section is 3.7 KB of the shipped wasm's gzip, one hint for every fuel check, and
// V8 only gains from those it runs often: with none, the fuel workloads ran 4.6 % slower in
// Chromium (5 page loads). Which functions are hot is measured (wasm/profileHints.mjs writes
// wasm/hotFunctions.json for one fingerprint of the code); for code it was not measured on
// (a wasm pass changed), the functions with at least MIN_HINTS hints keep theirs, which
// measured 1.8 % slower than every hint for 2.4 KB of the 3.7.
//
// Section layout (branch hinting proposal): name, then a vec of (function index, vec of
// (byte offset, hint size, hint bytes)); functions in ascending order, which a filter keeps.
import { createHash } from "node:crypto";
import fs from "node:fs";

export const MIN_HINTS = 5;
const HINTS = "metadata.code.branch_hint";

/**
 * Which functions keep their hints in this wasm: the measured ones if wasm/hotFunctions.json
 * was made for this code, else by MIN_HINTS.
 * @param {Uint8Array} wasm
 * @param {string} hotFile path of hotFunctions.json
 * @returns {{ keep: (index: number, hints: number) => boolean, measured: boolean }}
 */
export function hintPolicy(wasm, hotFile) {
  const hot = fs.existsSync(hotFile) ? JSON.parse(fs.readFileSync(hotFile, "utf8")) : undefined;
  if (hot?.code === codeFingerprint(wasm)) {
    const functions = new Set(hot.functions);
    return { keep: (index) => functions.has(index), measured: true };
  }
  return { keep: (_index, hints) => hints >= MIN_HINTS, measured: false };
}

/** SHA-256 of the wasm without its branch hints: what a profile of it still describes. */
export function codeFingerprint(wasm) {
  return createHash("sha256").update(trimBranchHints(wasm, () => false).wasm).digest("hex");
}

/**
 * @param {Uint8Array} wasm
 * @param {(index: number, hints: number) => boolean} keep whether a function keeps its hints
 * @returns {{ wasm: Uint8Array, kept: number, dropped: number }} functions whose hints were kept or dropped
 */
export function trimBranchHints(wasm, keep) {
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
      if (name === HINTS) {
        const functions = [];
        for (let count = leb(); count > 0; count--) {
          const start = p;
          const index = leb();
          const hints = leb();
          for (let i = 0; i < hints; i++) {
            leb(); // offset
            const hintSize = leb();
            p += hintSize; // the hint bytes
          }
          if (keep(index, hints)) functions.push(wasm.subarray(start, p));
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
