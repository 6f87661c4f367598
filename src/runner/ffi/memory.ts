/**
 * Up to this many bytes, ASCII text is decoded by hand (see string()): measured in Node, that
 * is where TextDecoder's cost per call (about 100 ns) overtakes building the string by
 * characters (longer built strings also cost more to hash when used as a Map key).
 */
const SHORT_TEXT = 12;
/** Up to this many characters, ASCII text is written by hand (see writeAscii()). */
const SHORT_WRITE = 64;

/**
 * Bounds-checked access to the interpreter's linear memory.
 *
 * Python can write all of linear memory (`uctypes.bytearray_at`), so every pointer and length
 * that comes out of the wasm is hostile: reads out of range give zeros or an empty string and
 * writes out of range are dropped, never a JS exception that would unwind the C interpreter.
 */

export class LinearMemory {
  #memory: WebAssembly.Memory;
  #bytes: Uint8Array;
  #view: DataView;
  static readonly #decoder = new TextDecoder("utf-8", { fatal: false });
  static readonly #encoder = new TextEncoder();

  constructor(memory: WebAssembly.Memory) {
    this.#memory = memory;
    this.#bytes = new Uint8Array(memory.buffer);
    this.#view = new DataView(memory.buffer);
  }

  /**
   * The views go stale when memory grows: the old buffer is detached, and views of a detached
   * buffer have length 0 (a check that costs less than reading `memory.buffer`, which this
   * does on every value crossing the FFI).
   */
  #fresh(): void {
    if (this.#bytes.byteLength === 0) {
      this.#bytes = new Uint8Array(this.#memory.buffer);
      this.#view = new DataView(this.#memory.buffer);
    }
  }

  get size(): number {
    this.#fresh();
    return this.#bytes.byteLength;
  }

  #fits(ptr: number, len: number): boolean {
    this.#fresh();
    return Number.isInteger(ptr) && ptr >= 0 && len >= 0 && ptr + len <= this.#bytes.byteLength;
  }

  i32(ptr: number): number {
    return this.#fits(ptr, 4) ? this.#view.getInt32(ptr, true) : 0;
  }

  u32(ptr: number): number {
    return this.#fits(ptr, 4) ? this.#view.getUint32(ptr, true) : 0;
  }

  f64(ptr: number): number {
    return this.#fits(ptr, 8) ? this.#view.getFloat64(ptr, true) : 0;
  }

  setI32(ptr: number, value: number): void {
    if (this.#fits(ptr, 4)) this.#view.setInt32(ptr, value, true);
  }

  setF64(ptr: number, value: number): void {
    if (this.#fits(ptr, 8)) this.#view.setFloat64(ptr, value, true);
  }

  /** A copy of `len` bytes at `ptr`; empty when the range is outside memory. */
  bytes(ptr: number, len: number): Uint8Array {
    return this.#fits(ptr, len) ? this.#bytes.slice(ptr, ptr + len) : new Uint8Array(0);
  }

  write(ptr: number, data: Uint8Array): boolean {
    if (!this.#fits(ptr, data.byteLength)) return false;
    this.#bytes.set(data, ptr);
    return true;
  }

  /** UTF-8 text of `len` bytes at `ptr`, or up to the first NUL when `len` is omitted. */
  string(ptr: number, len?: number): string {
    this.#fresh();
    if (!Number.isInteger(ptr) || ptr < 0 || ptr >= this.#bytes.byteLength) return "";
    let end: number;
    if (len === undefined) {
      end = this.#bytes.indexOf(0, ptr);
      if (end < 0) end = this.#bytes.byteLength;
    } else {
      end = Math.min(this.#bytes.byteLength, ptr + Math.max(0, len));
    }
    // Short ASCII text (names, small values) is built here: TextDecoder costs more to call.
    if (end - ptr <= SHORT_TEXT) {
      const bytes = this.#bytes;
      let text = "";
      for (let i = ptr; i < end; i++) {
        const byte = bytes[i];
        if (byte >= 0x80) return LinearMemory.#decoder.decode(bytes.subarray(ptr, end));
        text += String.fromCharCode(byte);
      }
      return text;
    }
    return LinearMemory.#decoder.decode(this.#bytes.subarray(ptr, end));
  }

  /**
   * Writes short ASCII `text` and a NUL at `ptr`, where the caller reserved text.length + 1
   * bytes: TextEncoder costs more than this loop for the short answers most host calls give.
   * False (nothing written) when the text is long or not ASCII, or the range is outside memory.
   */
  writeAscii(ptr: number, text: string): boolean {
    if (text.length > SHORT_WRITE || !this.#fits(ptr, text.length + 1)) return false;
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 0x80) return false;
    const bytes = this.#bytes;
    for (let i = 0; i < text.length; i++) bytes[ptr + i] = text.charCodeAt(i);
    bytes[ptr + text.length] = 0;
    return true;
  }

  /** Whether `text` is short ASCII, which writeAscii() writes. */
  static isShortAscii(text: string): boolean {
    if (text.length > SHORT_WRITE) return false;
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 0x80) return false;
    return true;
  }

  static encode(text: string): Uint8Array {
    return LinearMemory.#encoder.encode(text);
  }
}
