// Reading and writing a wasm module's bytes: its sections and LEB128 numbers, for the build
// steps that rewrite a section in place (wasm/lazyFrozen.mjs, wasm/trimBranchHints.mjs).

/** The module's sections in order: id, where the section starts, where its body starts and ends. */
export function* sections(wasm) {
  const r = reader(wasm, 8);
  while (r.at < wasm.length) {
    const start = r.at;
    const id = wasm[r.at++];
    const size = r.leb();
    yield { id, start, body: r.at, end: r.at + size };
    r.at += size;
  }
}

/** A cursor over `bytes` from `at` that reads unsigned LEB128 numbers. */
export function reader(bytes, at) {
  return {
    at,
    leb() {
      let value = 0;
      let shift = 0;
      let byte;
      do {
        byte = bytes[this.at++];
        value += (byte & 0x7f) * 2 ** shift;
        shift += 7;
      } while (byte & 0x80);
      return value;
    },
  };
}

/** `n` as unsigned LEB128 bytes. */
export function uleb(n) {
  const out = [];
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
}

/** The parts back to back. */
export function concat(parts) {
  const out = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
