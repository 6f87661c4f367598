/**
 * Bounds-checked access to the interpreter's linear memory.
 *
 * Python can write all of linear memory (`uctypes.bytearray_at`), so every pointer and length
 * that comes out of the wasm is hostile: reads out of range give zeros or an empty string and
 * writes out of range are dropped, never a JS exception that would unwind the C interpreter.
 */
/** Up to this many bytes, ASCII text is decoded by hand (see string()). */
const SHORT_TEXT = 64;

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
    // Short ASCII text (SQL, names, most values) is built here: TextDecoder costs more to call.
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

  static encode(text: string): Uint8Array {
    return LinearMemory.#encoder.encode(text);
  }
}
