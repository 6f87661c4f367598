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
import { concat, reader, sections, uleb } from "./wasmBytes.mjs";

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
  const parts = [wasm.subarray(0, 8)];
  let kept = 0;
  let dropped = 0;
  for (const { id, start, body, end } of sections(wasm)) {
    const r = reader(wasm, body);
    const nameLength = id === 0 ? r.leb() : 0;
    const name = id === 0 ? new TextDecoder().decode(wasm.subarray(r.at, r.at + nameLength)) : "";
    if (name !== HINTS) {
      parts.push(wasm.subarray(start, end));
      continue;
    }
    r.at += nameLength;
    const functions = [];
    for (let count = r.leb(); count > 0; count--) {
      const entry = r.at;
      const index = r.leb();
      const hints = r.leb();
      for (let i = 0; i < hints; i++) {
        r.leb(); // offset
        const hintSize = r.leb();
        r.at += hintSize; // the hint bytes
      }
      if (keep(index, hints)) functions.push(wasm.subarray(entry, r.at));
      else dropped++;
    }
    if (r.at !== end) throw new Error("wasm/trimBranchHints: the branch hint section does not end where its size says");
    kept += functions.length;
    const nameBytes = new TextEncoder().encode(name);
    const section = concat([Uint8Array.from(uleb(nameBytes.length)), nameBytes, Uint8Array.from(uleb(functions.length)), ...functions]);
    if (functions.length) parts.push(concat([Uint8Array.of(0), Uint8Array.from(uleb(section.length)), section]));
  }
  return { wasm: concat(parts), kept, dropped };
}
