/** Bytes of app output kept per second; a print flood beyond it is dropped with a note. */
const BUDGET_BYTES_PER_SECOND = 256 * 1024;
/** A line longer than this is emitted in pieces. */
const MAX_LINE = 8 * 1024;

/**
 * Turns an interpreter's stdout/stderr bytes into lines for the log, bounded: an app that
 * prints gigabytes costs the host a counter, not memory.
 */
export class OutputLines {
  #partial: Record<"stdout" | "stderr", string> = { stdout: "", stderr: "" };
  #decoder = { stdout: new TextDecoder(), stderr: new TextDecoder() };
  #windowStart = 0;
  #spent = 0;
  #dropped = 0;

  constructor(private readonly emit: (stream: "stdout" | "stderr", text: string) => void) {}

  write(stream: "stdout" | "stderr", bytes: Uint8Array): void {
    const now = Date.now();
    if (now - this.#windowStart >= 1000) {
      if (this.#dropped) this.emit("stderr", `[swasgi: ${this.#dropped} bytes of output dropped]`);
      this.#windowStart = now;
      this.#spent = 0;
      this.#dropped = 0;
    }
    if (this.#spent + bytes.byteLength > BUDGET_BYTES_PER_SECOND) {
      this.#dropped += bytes.byteLength;
      return;
    }
    this.#spent += bytes.byteLength;
    let text = this.#partial[stream] + this.#decoder[stream].decode(bytes, { stream: true });
    let newline: number;
    while ((newline = text.indexOf("\n")) >= 0 || text.length > MAX_LINE) {
      const end = newline >= 0 && newline < MAX_LINE ? newline : MAX_LINE;
      this.emit(stream, text.slice(0, end));
      text = text.slice(newline === end ? end + 1 : end);
    }
    this.#partial[stream] = text;
  }
}
