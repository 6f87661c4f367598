import type { PyHandle, PyValue } from "./ffi/records.ts";

/** After this many back-to-back immediate runs, yield to the host's event loop once. */
const MAX_IMMEDIATE_STREAK = 64;

/**
 * `js.setTimeout` / `js.clearTimeout` for one interpreter: the runtime's asyncio schedules its
 * loop through them.
 *
 * A zero delay runs right after the current slice returns instead of a macrotask later, so a
 * request does not pay a timer hop at every `await`. A chain of such runs that never lets the
 * host's event loop turn (an app awaiting an already-settled promise in a loop) is cut after
 * MAX_IMMEDIATE_STREAK, so other fetches keep being served.
 */
export class TimerQueue {
  #next = 1;
  #due = new Map<number, PyHandle>();
  #timers = new Map<number, { handle: PyHandle; timer: ReturnType<typeof setTimeout> }>();
  #streak = 0;
  #streakReset: ReturnType<typeof setTimeout> | undefined;
  #draining = false;
  #disposed = false;

  constructor(
    private readonly run: (handle: PyHandle) => void,
    private readonly release: (handle: PyHandle) => void,
  ) {}

  set(handle: PyHandle | undefined, ms: PyValue): number | undefined {
    if (!handle || this.#disposed) return undefined;
    handle.retained = true;
    const id = this.#next++;
    const delay = typeof ms === "number" && Number.isFinite(ms) ? Math.max(0, ms) : 0;
    if (delay === 0 && this.#streak < MAX_IMMEDIATE_STREAK) {
      this.#due.set(id, handle);
    } else {
      this.#timers.set(id, { handle, timer: setTimeout(() => this.#fire(id), delay) });
    }
    return id;
  }

  clear(id: PyValue): undefined {
    if (typeof id !== "number") return undefined;
    const due = this.#due.get(id);
    if (due) {
      this.#due.delete(id);
      this.release(due);
    }
    const timer = this.#timers.get(id);
    if (timer) {
      clearTimeout(timer.timer);
      this.#timers.delete(id);
      this.release(timer.handle);
    }
    return undefined;
  }

  /** Runs the zero-delay callbacks scheduled by the slice that just ended. */
  drainDue(): void {
    if (this.#draining || this.#disposed) return;
    this.#draining = true;
    try {
      while (this.#due.size && !this.#disposed) {
        const [id, handle] = this.#due.entries().next().value as [number, PyHandle];
        this.#due.delete(id);
        if (++this.#streak === 1) this.#streakReset = setTimeout(() => (this.#streak = 0), 0);
        try {
          this.run(handle);
        } finally {
          this.release(handle);
        }
      }
    } finally {
      this.#draining = false;
    }
  }

  #fire(id: number): void {
    const entry = this.#timers.get(id);
    if (!entry) return;
    this.#timers.delete(id);
    try {
      this.run(entry.handle);
    } finally {
      this.release(entry.handle);
    }
  }

  /** Whether any timer is pending (a boot image cannot carry one). */
  get busy(): boolean {
    return this.#due.size > 0 || this.#timers.size > 0;
  }

  dispose(): void {
    this.#disposed = true;
    for (const { timer } of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
    this.#due.clear();
    if (this.#streakReset) clearTimeout(this.#streakReset);
  }
}
