/**
 * The time limit of one synchronous run ("slice") of Python.
 *
 * The instrumented wasm spends one unit of fuel per loop iteration and function entry and asks
 * `refuel()` for more when it runs out. refuel reads the clock: before the deadline it hands
 * out another quantum; at the deadline it schedules a KeyboardInterrupt, which Python code
 * sees at its next bytecode; if the run is still going after the grace period (the code
 * swallowed the interrupt, or sits in a C loop such as a regex or bigint), it throws
 * `HardStop`, which unwinds the wasm at once. The interpreter is then unusable and replaced.
 */
export class HardStop extends Error {
  constructor(readonly limitMs: number) {
    super(`Python ran for more than ${limitMs} ms without returning to the host`);
    this.name = "HardStop";
  }
}

/** Fuel handed out per refuel: small enough to react within a fraction of a millisecond. */
export const FUEL_QUANTUM = 20_000;

export interface SliceOutcome {
  /** The run reached its deadline and was sent a KeyboardInterrupt. */
  interrupted: boolean;
  /** Milliseconds the slice ran. */
  ms: number;
}

export class SliceClock {
  #depth = 0;
  #start = 0;
  #deadline = Infinity;
  #interrupted = false;
  #interrupt: () => void = () => {};

  constructor(
    public limitMs: number,
    public graceMs: number,
  ) {}

  /** How to raise KeyboardInterrupt in the running interpreter (its `mp_sched_keyboard_interrupt`). */
  bind(interrupt: () => void): void {
    this.#interrupt = interrupt;
  }

  /** Runs `fn` as a slice (nested calls join the outer slice). */
  run<T>(fn: () => T): { value: T } & SliceOutcome {
    const outer = this.#depth === 0;
    if (outer) {
      this.#start = performance.now();
      this.#deadline = this.#start + this.limitMs;
      this.#interrupted = false;
    }
    this.#depth++;
    try {
      const value = fn();
      return { value, interrupted: this.#interrupted, ms: performance.now() - this.#start };
    } finally {
      this.#depth--;
      if (outer) this.#deadline = Infinity;
    }
  }

  get interrupted(): boolean {
    return this.#interrupted;
  }

  /** The wasm import `swasgi.refuel`. */
  readonly refuel = (): number => {
    if (this.#deadline === Infinity) return FUEL_QUANTUM;
    const now = performance.now();
    if (now < this.#deadline) return FUEL_QUANTUM;
    if (!this.#interrupted) {
      this.#interrupted = true;
      this.#interrupt();
      return FUEL_QUANTUM;
    }
    if (now >= this.#deadline + this.graceMs) throw new HardStop(this.limitMs);
    return FUEL_QUANTUM;
  };
}
