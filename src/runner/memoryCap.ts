/**
 * Caps an interpreter's linear memory. The runtime's heap grows on demand up to 2 GB
 * (DESIGN.md); its only way to grow is the import `emscripten_resize_heap`, which this replaces.
 * A refused growth makes malloc fail, which Python sees as MemoryError while the interpreter
 * itself stays consistent. The Python heap itself only grows by what the cap leaves
 * (src/runner/collector.ts): its last growth is cut to fit, so it usually meets the cap through
 * `reached()`, not through a refused growth.
 */
export class MemoryCap {
  /** Set once a growth was refused or the Python heap met the cap: the runner replaces the interpreter after that run. */
  refused = false;
  #memory: WebAssembly.Memory | undefined;
  #onGrow: () => void = () => {};

  readonly capBytes: number;

  constructor(capBytes: number) {
    this.capBytes = Math.floor(capBytes / 65536) * 65536;
  }

  bind(memory: WebAssembly.Memory, onGrow: () => void): void {
    this.#memory = memory;
    this.#onGrow = onGrow;
  }

  get bytes(): number {
    return this.#memory?.buffer.byteLength ?? 0;
  }

  /** The Python heap needed more room than the cap leaves. */
  reached(): void {
    this.refused = true;
  }

  /** The wasm import `env.emscripten_resize_heap`: 1 when memory now holds `requested` bytes. */
  readonly resize = (requested: number): number => {
    const memory = this.#memory;
    if (!memory) return 0;
    const want = requested >>> 0;
    const old = memory.buffer.byteLength;
    if (want <= old) return 1;
    if (want > this.capBytes) {
      this.refused = true;
      return 0;
    }
    // Grow by a quarter at least, as emscripten does, so many small requests cost few grows.
    const page = 65536;
    const target = Math.min(this.capBytes, Math.ceil(Math.max(want, old * 1.25) / page) * page);
    try {
      memory.grow((target - old) / page);
    } catch {
      this.refused = true;
      return 0;
    }
    this.#onGrow();
    return 1;
  };
}
