// Takes the frozen Python modules that no app needs at boot out of the shipped wasm.
//
// The published runtime freezes micropython-lib modules into its data section (base64, copy,
// datetime, unittest, tarfile...): about 39 KB of bytecode and constants, a quarter of the
// runtime's gzip size, downloaded by every visitor though only apps that import one of them use
// it. swasgi's boot needs only asyncio, inspect and io (`KEEP`). The others are "lazy":
// - their bytes are cut out of the shipped wasm's data segments (linear memory is zero there),
//   and the first byte of their names in `mp_frozen_names` becomes \x01, which no import path
//   holds, so an import of one finds no frozen module instead of reading zeros;
// - the original bytes go into a patch (`patch`) that the host writes into the interpreter's
//   memory when swasgi's Python library is loaded (src/runner/frozenPatch.ts), that is for
//   every app whose files import one of those modules (src/python/library.ts).
//
// The runtime's frozen content (tools/mpy-tool.py output) is laid out as: the names, one
// `mp_frozen_module_t` per module ({qstr_table, obj_table, proto_fun}, 12 bytes), the table
// `mp_frozen_mpy_content` of pointers to them, then each module's qstr table, constants,
// bytecode and raw code structures, module after module in table order. A module's bytes are
// taken as the run from the lowest address its mp_frozen_module_t points at to the next
// module's. That is checked, and nothing is zeroed unless every check passes:
// - each module's structures (raw codes, their children, bytecode, constant table) lie in its run;
// - no constant in the code (`i32.const`, a load or store offset) is the address of one of the
//   lazy modules' structures, and no word of a kept module's bytes (its raw code headers,
//   0x00020000, excepted) points into their runs. Data elsewhere cannot point into them: their
//   symbols are static to the frozen content, named only by its table. (A scan of all data finds
//   integers such as 0x20000 that equal a structure's address by chance.)
// The last module's run has no next module to end it; it is kept.
import binaryen from "binaryen";
import { concat, reader, sections, uleb } from "./wasmBytes.mjs";

/** Frozen files the boot imports (src/python/lib/_swasgi_compat.py, _swasgi_bridge.py). */
const KEEP = /^(?:asyncio\/.*|io\.py)$/;
const MAGIC = [0x53, 0x57, 0x46, 0x5a]; // "SWFZ"

/**
 * @param {Uint8Array} wasm the finished runtime
 * @param {number} features the wasm features in use
 * @returns {{ wasm: Uint8Array, patch: Uint8Array, modules: string[], zeroed: number }}
 *   modules: the top-level names of the lazy modules ("base64", "collections", "os"...);
 *   zeroed: bytes taken out
 */
export function lazyFrozen(wasm, features) {
  const segments = dataSegments(wasm);
  const end = Math.max(...segments.map((s) => s.address + s.size));
  const mem = new Uint8Array(end);
  for (const s of segments) mem.set(wasm.subarray(s.offset, s.offset + s.size), s.address);
  const view = new DataView(mem.buffer);
  const u32 = (at) => (at + 4 <= end ? view.getUint32(at, true) : 0);

  // The code's constants: addresses of static data the code uses.
  const read = binaryen.readBinary(wasm);
  read.setFeatures(features);
  const text = read.emitText();
  read.dispose();
  const code = text.slice(text.indexOf(" (func "));
  const constants = new Set();
  for (const m of code.matchAll(/i32\.const (-?\d+)|offset=(\d+)/g)) constants.add(Number(m[1] ?? m[2]) >>> 0);

  const { namesAt, names } = frozenNames(mem);
  const table = contentTable(mem, u32, names.length, constants);
  const modules = names.map((name, i) => {
    const struct = u32(table + 4 * i);
    const [qstrs, objects, proto] = [u32(struct), u32(struct + 4), u32(struct + 8)];
    const lo = Math.min(...[qstrs, objects, proto].filter(Boolean));
    // starts: where its structures begin; rawCodes: its raw code structures (found by checkRun)
    return { name, index: i, qstrs, objects, proto, lo, hi: 0, starts: new Set([qstrs, objects].filter(Boolean)), rawCodes: new Set() };
  });
  const byAddress = [...modules].sort((a, b) => a.lo - b.lo);
  byAddress.forEach((m, i) => (m.hi = byAddress[i + 1]?.lo ?? 0));
  for (const m of modules) if (m.hi) checkRun(m, mem, u32);

  const lazy = modules.filter((m) => !KEEP.test(m.name) && m.hi);
  const runs = lazy.map((m) => [m.lo, m.hi]).sort((a, b) => a[0] - b[0]);
  const inRuns = (v) => runs.some(([lo, hi]) => v >= lo && v < hi);
  const starts = new Set(lazy.flatMap((m) => [...m.starts]));
  const headers = new Set(modules.flatMap((m) => [...m.rawCodes]));
  const refs = [];
  for (const v of constants) if (starts.has(v)) refs.push(`code constant ${v}`);
  for (const m of modules) {
    if (lazy.includes(m) || !m.hi) continue;
    for (let at = m.lo; at < m.hi; at += 4) if (!headers.has(at) && inRuns(u32(at))) refs.push(`${m.name}: word at ${at} = ${u32(at)}`);
  }
  if (refs.length) throw new Error(`wasm/lazyFrozen: the lazy modules' bytes are referenced from outside them: ${refs.slice(0, 8).join(", ")}`);

  // The patch: what the host writes back, each entry checked against what the shipped wasm holds.
  const entries = [];
  for (const [lo, hi] of runs) entries.push({ at: lo, before: new Uint8Array(hi - lo), after: mem.slice(lo, hi) });
  let at = namesAt;
  const hidden = new Set(lazy.map((m) => m.index));
  names.forEach((name, i) => {
    if (hidden.has(i)) entries.push({ at, before: Uint8Array.of(1), after: mem.slice(at, at + 1) });
    at += name.length + 1;
  });
  const topNames = [...new Set(lazy.map((m) => m.name.replace(/(\/__init__)?\.py$/, "").split("/")[0]))].sort();

  const hiddenNames = wasm.slice();
  for (const e of entries) if (e.before.some((b) => b !== 0)) writeMemory(hiddenNames, segments, e.at, e.before);
  return { wasm: cutRuns(hiddenNames, segments, runs), patch: encodePatch(topNames, entries), modules: topNames, zeroed: runs.reduce((n, [lo, hi]) => n + hi - lo, 0) };
}

/**
 * The wasm with the runs left out of its data segments: each segment is split round them, so
 * the file does not carry their zeros (fresh linear memory is zero there anyway). The data
 * count section follows. No instruction names a segment (no memory.init or data.drop).
 */
function cutRuns(wasm, segments, runs) {
  const pieces = [];
  for (const seg of segments) {
    let at = seg.address;
    const end = seg.address + seg.size;
    for (const [lo, hi] of runs) {
      if (hi <= at || lo >= end) continue;
      if (lo > at) pieces.push([at, wasm.subarray(seg.offset + at - seg.address, seg.offset + lo - seg.address)]);
      at = Math.min(hi, end);
    }
    if (at < end) pieces.push([at, wasm.subarray(seg.offset + at - seg.address, seg.offset + end - seg.address)]);
  }
  const leb = uleb;
  const sleb = (n) => {
    const out = [];
    for (;;) {
      const b = n & 0x7f;
      n >>= 7;
      if ((n === 0 && !(b & 0x40)) || (n === -1 && b & 0x40)) return [...out, b];
      out.push(b | 0x80);
    }
  };
  const data = [...leb(pieces.length)];
  for (const [address, bytes] of pieces) data.push(0, 0x41, ...sleb(address), 0x0b, ...leb(bytes.length), ...bytes);
  const parts = [wasm.subarray(0, 8)];
  let counted = false;
  for (const { id, start, end } of sections(wasm)) {
    if (id === 11) parts.push(Uint8Array.of(11, ...leb(data.length), ...data));
    else if (id === 12) {
      const count = leb(pieces.length);
      parts.push(Uint8Array.of(12, ...leb(count.length), ...count));
      counted = true;
    } else parts.push(wasm.subarray(start, end));
  }
  if (!counted) throw new Error("wasm/lazyFrozen: expected a data count section");
  return concat(parts);
}

/** The active data segments: where each one's bytes sit in the file and in memory. */
export function dataSegments(wasm) {
  const data = [...sections(wasm)].find((section) => section.id === 11);
  if (!data) throw new Error("wasm/lazyFrozen: no data section");
  const r = reader(wasm, data.body);
  const segments = [];
  for (let n = r.leb(); n > 0; n--) {
    const flags = r.leb();
    if (flags !== 0 || wasm[r.at] !== 0x41) throw new Error("wasm/lazyFrozen: expected active data segments at i32.const offsets");
    r.at++;
    const address = r.leb(); // a small positive sleb reads as a leb
    if (wasm[r.at++] !== 0x0b) throw new Error("wasm/lazyFrozen: unexpected data segment offset");
    const size = r.leb();
    segments.push({ address, offset: r.at, size });
    r.at += size;
  }
  return segments;
}

/** `mp_frozen_names`: the one run of two or more NUL-terminated "*.py" names ended by an empty one. */
function frozenNames(mem) {
  const found = [];
  const decoder = new TextDecoder();
  for (let at = mem.indexOf(0x2e) /* any "." */; at >= 0 && at < mem.length; at = mem.indexOf(0x2e, at + 1)) {
    if (mem[at + 1] !== 0x70 || mem[at + 2] !== 0x79 || mem[at + 3] !== 0 || mem[at + 4] !== 0) continue; // ".py\0\0"
    // Walk back over the names before this last one.
    const names = [];
    let start = at + 4;
    for (;;) {
      let s = start - 1;
      while (s > 0 && mem[s - 1] !== 0) s--;
      const name = decoder.decode(mem.subarray(s, start - 1));
      if (!/^[\w/]+\.py$/.test(name)) break;
      names.unshift(name);
      start = s;
    }
    if (names.length >= 2) found.push({ namesAt: start, names });
  }
  if (found.length !== 1) throw new Error(`wasm/lazyFrozen: expected one list of frozen module names, found ${found.length}`);
  return found[0];
}

/**
 * `mp_frozen_mpy_content`: the one table of `count` pointers to {qstr_table, obj_table,
 * proto_fun} whose address the code uses (mp_find_frozen_module).
 */
function contentTable(mem, u32, count, constants) {
  const inMem = (v) => v > 0 && v < mem.length;
  const found = [];
  for (let at = 0; at + 4 * count <= mem.length; at += 4) {
    let ok = true;
    for (let i = 0; i < count && ok; i++) {
      const s = u32(at + 4 * i);
      ok = inMem(s) && s % 4 === 0 && (u32(s) === 0 || inMem(u32(s))) && (u32(s + 4) === 0 || inMem(u32(s + 4))) && inMem(u32(s + 8));
    }
    if (ok && constants.has(at)) found.push(at);
  }
  if (found.length !== 1) throw new Error(`wasm/lazyFrozen: expected one table of frozen modules, found ${found.length} (${found})`);
  return found[0];
}

/**
 * Checks that a module's tables and code lie in its run: each raw code's bytecode and children
 * (a children array is read while its entries point into the run).
 */
function checkRun(m, mem, u32) {
  const inRun = (v) => v >= m.lo && v < m.hi;
  const fail = (what) => {
    throw new Error(`wasm/lazyFrozen: ${m.name}: ${what} lies outside the module's bytes [${m.lo}, ${m.hi})`);
  };
  for (const v of [m.qstrs, m.objects, m.proto]) if (v && !inRun(v)) fail(`a table (${v})`);
  const seen = new Set();
  const walk = (proto) => {
    if (seen.has(proto)) return;
    seen.add(proto);
    if (!inRun(proto)) fail(`code ${proto}`);
    m.starts.add(proto);
    if (!(mem[proto] === 0 && mem[proto + 1] === 0)) return; // bytecode with no children
    m.rawCodes.add(proto);
    const [bytecode, children] = [u32(proto + 4), u32(proto + 8)];
    if (!inRun(bytecode)) fail(`bytecode ${bytecode}`);
    m.starts.add(bytecode);
    if (!children) return;
    if (!inRun(children)) fail(`children ${children}`);
    m.starts.add(children);
    for (let at = children; at < m.hi; at += 4) {
      const child = u32(at);
      if (!inRun(child)) break;
      walk(child);
    }
  };
  walk(m.proto);
}

/** Writes `bytes` at memory address `at` into the data segments of the wasm file `out`. */
function writeMemory(out, segments, at, bytes) {
  const s = segments.find((seg) => at >= seg.address && at + bytes.length <= seg.address + seg.size);
  if (!s) throw new Error(`wasm/lazyFrozen: address ${at} is not in one data segment`);
  out.set(bytes, s.offset + at - s.address);
}

/**
 * "SWFZ", the module names (u8 count, then u8 length + name each), then entries (u32 count; each
 * u32 address, u32 length, u8 1 if the bytes the shipped wasm holds there follow (else they
 * are zeros), those bytes, the bytes to write); numbers little-endian. The "before" bytes let
 * the host refuse a patch made for another runtime.
 */
function encodePatch(names, entries) {
  const encoder = new TextEncoder();
  const encoded = names.map((n) => encoder.encode(n));
  const zeros = (bytes) => bytes.every((b) => b === 0);
  const size =
    4 + 1 + encoded.reduce((n, e) => n + 1 + e.length, 0) + 4 + entries.reduce((n, e) => n + 9 + e.after.length + (zeros(e.before) ? 0 : e.before.length), 0);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  out.set(MAGIC, 0);
  let p = 4;
  out[p++] = encoded.length;
  for (const e of encoded) {
    out[p++] = e.length;
    out.set(e, p);
    p += e.length;
  }
  view.setUint32(p, entries.length, true);
  p += 4;
  for (const e of entries) {
    view.setUint32(p, e.at, true);
    view.setUint32(p + 4, e.after.length, true);
    const stored = !zeros(e.before);
    out[p + 8] = stored ? 1 : 0;
    p += 9;
    if (stored) {
      out.set(e.before, p);
      p += e.before.length;
    }
    out.set(e.after, p);
    p += e.after.length;
  }
  return out;
}
