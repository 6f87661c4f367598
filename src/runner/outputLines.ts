/** Bytes of app output kept per second; a print flood beyond it is dropped with one note. */
export const OUTPUT_BYTES_PER_SECOND = 256 * 1024;
/** A line longer than this is emitted in pieces. */
const MAX_LINE = 8 * 1024;

/**
 * Turns an interpreter's stdout/stderr bytes into lines for the log as they are written (a
 * line is out as soon as its newline is), bounded: an app that prints gigabytes costs the host
 * a counter, not memory. Past OUTPUT_BYTES_PER_SECOND in one second the rest of that second's
 * output is dropped, and the log says so once, where the cut is.
 */
export class OutputLines {
  #partial: Record<"stdout" | "stderr", string> = { stdout: "", stderr: "" };
  #decoder = { stdout: new TextDecoder(), stderr: new TextDecoder() };
  #windowStart = -Infinity;
  #spent = 0;
  #dropping = false;

  constructor(
    private readonly emit: (stream: "stdout" | "stderr", text: string) => void,
    private readonly now: () => number = Date.now,
  ) {}

  write(stream: "stdout" | "stderr", bytes: Uint8Array): void {
    const now = this.now();
    if (now - this.#windowStart >= 1000) {
      this.#windowStart = now;
      this.#spent = 0;
      this.#dropping = false;
    }
    if (this.#dropping) return;
    if (this.#spent + bytes.byteLength > OUTPUT_BYTES_PER_SECOND) {
      this.#dropping = true;
      // What came before the cut goes out as it is; the cut itself is one line.
      for (const s of ["stdout", "stderr"] as const) {
        const rest = this.#partial[s] + this.#decoder[s].decode();
        if (rest) this.emit(s, rest);
        this.#partial[s] = "";
      }
      this.emit("stderr", `[swasgi: the app printed more than ${OUTPUT_BYTES_PER_SECOND >> 10} KiB in one second; its output is dropped until the second is over]`);
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
