import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";
import { codeFingerprint, hintPolicy, MIN_HINTS, trimBranchHints } from "../../../wasm/trimBranchHints.mjs";

const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
const NAME = [...new TextEncoder().encode("metadata.code.branch_hint")];
const section = (id: number, body: number[]) => [id, body.length, ...body];
/** A function's entry: its index, then `hints` hints (offset i, size 1, "unlikely"). */
const entry = (index: number, hints: number) => [index, hints, ...Array.from({ length: hints }, (_, i) => [i, 1, 0]).flat()];
const OTHER = section(0, [4, ...new TextEncoder().encode("keep"), 1, 2, 3]);
const TYPES = section(1, [1, 0x60, 0, 0]);

/** Sections of a module: [id, name of a custom section, bytes]. */
function sections(wasm: Uint8Array): number[][] {
  const out: number[][] = [];
  for (let p = 8; p < wasm.length; ) {
    const size = wasm[p + 1]; // every test section is under 128 bytes
    out.push([...wasm.subarray(p, p + 2 + size)]);
    p += 2 + size;
  }
  return out;
}

const byCount = (_index: number, hints: number) => hints >= MIN_HINTS;

test("keeps the hints of the functions chosen and every other section as it was", () => {
  const hints = section(0, [NAME.length, ...NAME, 3, ...entry(0, 2), ...entry(1, MIN_HINTS), ...entry(4, 1)]);
  const module = Uint8Array.from([...HEADER, ...TYPES, ...hints, ...OTHER]);
  const { wasm, kept, dropped } = trimBranchHints(module, byCount);
  expect([kept, dropped]).toEqual([1, 2]);
  expect(sections(wasm)).toEqual([TYPES, section(0, [NAME.length, ...NAME, 1, ...entry(1, MIN_HINTS)]), OTHER]);
  expect(sections(trimBranchHints(module, (index) => index !== 1).wasm)).toEqual([
    TYPES,
    section(0, [NAME.length, ...NAME, 2, ...entry(0, 2), ...entry(4, 1)]),
    OTHER,
  ]);
});

test("drops the section when no function keeps its hints; the fingerprint ignores hints", () => {
  const hints = section(0, [NAME.length, ...NAME, 1, ...entry(0, MIN_HINTS - 1)]);
  const { wasm } = trimBranchHints(Uint8Array.from([...HEADER, ...TYPES, ...hints, ...OTHER]), byCount);
  expect(sections(wasm)).toEqual([TYPES, OTHER]);
  expect(codeFingerprint(Uint8Array.from([...HEADER, ...TYPES, ...hints, ...OTHER]))).toBe(codeFingerprint(wasm));
  expect(codeFingerprint(wasm)).not.toBe(codeFingerprint(Uint8Array.from([...HEADER, ...TYPES])));
});

test("refuses a section whose contents do not match its size", () => {
  const hints = section(0, [NAME.length, ...NAME, 1, ...entry(0, 2), 9]);
  expect(() => trimBranchHints(Uint8Array.from([...HEADER, ...hints]), byCount)).toThrow(/does not end where its size says/);
});

test("wasm/hotFunctions.json was measured on the code of the built runtime (else: node wasm/profileHints.mjs)", () => {
  const wasm = readFileSync(new URL("../../../build/runtime/micropython.wasm", import.meta.url));
  const policy = hintPolicy(wasm, fileURLToPath(new URL("../../../wasm/hotFunctions.json", import.meta.url)));
  expect(policy.measured).toBe(true);
  const again = trimBranchHints(wasm, policy.keep);
  expect(again.dropped).toBe(0);
  expect(again.kept).toBeGreaterThan(20);
  expect(Buffer.from(again.wasm).equals(wasm)).toBe(true);
});
