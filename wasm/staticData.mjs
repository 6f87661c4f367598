// Reads MicroPython's static data out of the module's data segments: the interned strings
// (qstrs) compiled into the wasm, with their ids, and the built-in type objects by name. Passes
// that call into MicroPython need a qstr id or a type's address as a constant, and the wasm
// has no symbols to look them up by.

/** The initial linear memory as the data segments lay it out (active segments only). */
export function dataImage(module) {
  const segments = [];
  for (const part of module.parts) {
    if (typeof part !== "string" || !part.startsWith(" (data ")) continue;
    const m = part.match(/^ \(data \$\S+ \(i32\.const (\d+)\) "(.*)"\)$/);
    if (!m) throw new Error(`wasm/staticData: unexpected data segment: ${part.slice(0, 80)}`);
    segments.push([Number(m[1]), unescape(m[2])]);
  }
  const end = Math.max(...segments.map(([at, bytes]) => at + bytes.length));
  const bytes = new Uint8Array(end);
  for (const [at, data] of segments) bytes.set(data, at);
  return { bytes, view: new DataView(bytes.buffer), start: Math.min(...segments.map(([at]) => at)) };
}

/** binaryen's string escapes: `\hh` for a byte, `\n`, `\t`, `\r`, `\"`, `\'`, `\\`. */
function unescape(text) {
  const out = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== "\\") {
      out.push(text.charCodeAt(i));
      continue;
    }
    const hex = text.slice(i + 1, i + 3);
    if (/^[0-9a-f]{2}$/.test(hex)) {
      out.push(parseInt(hex, 16));
      i += 2;
    } else {
      const c = text[++i];
      out.push(c === "n" ? 10 : c === "t" ? 9 : c === "r" ? 13 : c.charCodeAt(0));
    }
  }
  return Uint8Array.from(out);
}

/**
 * The qstr ids of the strings interned at build time: MicroPython's const pools (py/qstr.h
 * qstr_pool_t: prev, total_prev_len | is_sorted << 31, alloc, len, hashes, lengths, qstrs[len]),
 * found as a chain that starts from a pool with no previous one. Every entry is checked
 * (its length, its djb2 hash), so a layout that differs throws instead of giving wrong ids.
 */
export function staticQstrs({ bytes, view, start }) {
  const u32 = (at) => view.getUint32(at, true);
  const inImage = (at) => at >= start && at < bytes.length;
  /** A pool at `at` whose entries all check out, or undefined. */
  const pool = (at, prevTotal) => {
    const len = u32(at + 12);
    const hashes = u32(at + 16);
    const lengths = u32(at + 20);
    if ((u32(at + 4) & 0x7fffffff) !== prevTotal || len === 0 || at + 24 + 4 * len > bytes.length || !inImage(hashes) || !inImage(lengths)) return undefined;
    const names = [];
    for (let i = 0; i < len; i++) {
      // Each string is its length's bytes and a NUL (a qstr may hold a NUL of its own).
      const str = u32(at + 24 + 4 * i);
      const size = bytes[lengths + i];
      if (!inImage(str) || bytes[str + size] !== 0) return undefined;
      const name = bytes.subarray(str, str + size);
      // MP_QSTRnull (id 0) is "" with a hash of 0.
      const h = view.getUint16(hashes + 2 * i, true);
      if (h !== hash(name) && !(i === 0 && prevTotal === 0 && h === 0)) return undefined;
      names.push(new TextDecoder().decode(name));
    }
    return names;
  };
  const ids = new Map();
  let prev = 0;
  let total = 0;
  for (;;) {
    const next = [];
    for (let at = start; at + 24 <= bytes.length; at += 4) {
      if (u32(at) !== prev || (prev === 0 && u32(at + 4) !== 0)) continue;
      const names = pool(at, total);
      if (names) next.push([at, names]);
    }
    if (next.length === 0) break;
    if (next.length !== 1) throw new Error(`wasm/staticData: ${next.length} qstr pools follow the pool at ${prev}: ${next.map(([a, n]) => `${a} (${n.length})`)}`);
    const [[at, names]] = next;
    names.forEach((name, i) => {
      if (!ids.has(name)) ids.set(name, total + i);
    });
    prev = at;
    total += names.length;
  }
  if (ids.size < 500) throw new Error(`wasm/staticData: found only ${ids.size} static qstrs`);
  return ids;
}

/** py/qstr.c qstr_compute_hash with MICROPY_QSTR_BYTES_IN_HASH = 2. */
function hash(bytes) {
  let h = 5381;
  for (const byte of bytes) h = ((h * 33) ^ byte) >>> 0;
  h &= 0xffff;
  return h === 0 ? 1 : h;
}

/**
 * The address of a built-in type object (mp_obj_type_t: base.type, flags:16, name:16, ...)
 * by its name: its type is `type`, the one type object that is its own type.
 */
export function typeObject({ view, bytes }, qstrs, name) {
  const id = qstrs.get(name);
  const typeId = qstrs.get("type");
  if (id === undefined || typeId === undefined) throw new Error(`wasm/staticData: no qstr for ${name}`);
  const u32 = (at) => view.getUint32(at, true);
  const typeType = [];
  for (let at = 4; at + 8 <= bytes.length; at += 4) if (u32(at) === at && view.getUint16(at + 6, true) === typeId) typeType.push(at);
  if (typeType.length !== 1) throw new Error(`wasm/staticData: expected one type object named 'type', found ${typeType.length}`);
  if (name === "type") return typeType[0];
  const found = [];
  for (let at = 4; at + 8 <= bytes.length; at += 4) if (u32(at) === typeType[0] && view.getUint16(at + 6, true) === id) found.push(at);
  if (found.length !== 1) throw new Error(`wasm/staticData: expected one type object named '${name}', found ${found.length}`);
  return found[0];
}

/** The address of the NUL-terminated string `text` (an error message: a landmark), found once. */
export function stringAddress({ bytes, start }, text) {
  const whole = new TextEncoder().encode(`\0${text}\0`);
  const at = [];
  for (let i = Math.max(start - 1, 0); i + whole.length <= bytes.length; i++) {
    if (bytes[i] === 0 && bytes[i + 1] === whole[1] && whole.every((b, k) => bytes[i + k] === b)) at.push(i + 1);
  }
  if (at.length !== 1) throw new Error(`wasm/staticData: expected the string "${text}" once, found ${at.length}`);
  return at[0];
}
