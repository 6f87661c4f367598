import { HostFunction, HostPromise, type HostValue, Namespace, PyHandle, type PyValue } from "./ffi/records.ts";
import type { LinearMemory } from "./ffi/memory.ts";
import type { PyOutcome, RequestCycle } from "./requestCycle.ts";
import { parseResponseHead } from "./responseHead.ts";

const OUTCOMES = new Set<string>(["ok", "error", "timeout", "memory", "no-response", "incomplete"]);

/** What the `_swasgi_host` module needs from the runner that grants it. */
export interface BridgeHostTarget {
  memory(): LinearMemory;
  cycle(id: number): RequestCycle | undefined;
  register(dispatch: PyHandle): void;
  lifespan(phase: string, outcome: string, message: string): void;
  shutdownRequested(): Promise<void>;
}

/**
 * `_swasgi_host`: the capabilities the Python bridge (src/python/lib/_swasgi_bridge.py) uses.
 * App code can import it too, so every function checks its arguments and only ever touches
 * the request it names; ids of finished requests lead nowhere.
 */
export function hostModule(target: BridgeHostTarget): Namespace {
  const int = (value: PyValue): number => (typeof value === "number" && Number.isInteger(value) ? value : -1);
  const text = (value: PyValue): string => (typeof value === "string" ? value : "");
  const fn = (name: string, body: (...args: PyValue[]) => HostValue) => new HostFunction(name, body);
  const settled = (value: HostValue) => new HostPromise(Promise.resolve(value));

  return new Namespace("_swasgi_host", {
    register: fn("register", (dispatch) => {
      if (dispatch instanceof PyHandle && dispatch.callable) {
        dispatch.retained = true;
        target.register(dispatch);
      }
      return undefined;
    }),
    receive: fn("receive", (id) => {
      const cycle = target.cycle(int(id));
      return cycle ? new HostPromise(cycle.receive()) : settled("disconnect");
    }),
    read: fn("read", (id, address, size) => {
      const cycle = target.cycle(int(id));
      if (!cycle) return 0;
      const piece = cycle.take().subarray(0, Math.max(0, int(size)));
      return target.memory().write(int(address), piece) ? piece.byteLength : 0;
    }),
    // Headers cross as one blob of bytes plus their lengths: checked in JS in linear time,
    // where a Python loop over 2 MB of values would run into the time limit. Answers None, or
    // the message the bridge raises in the app's send(); a forged call gets the same checks.
    start: fn("start", (id, status, lengths, address, size) => {
      const cycle = target.cycle(int(id));
      if (!cycle) return "no such request";
      let parsed: unknown;
      try {
        parsed = JSON.parse(text(lengths));
      } catch {
        parsed = undefined;
      }
      const blob = int(size) > 0 ? target.memory().bytes(int(address), int(size)) : new Uint8Array(0);
      if (blob.byteLength !== Math.max(0, int(size))) return "header bytes outside memory";
      const head = parseResponseHead(status, parsed, blob);
      if (typeof head === "string") return head;
      return cycle.start(head) ?? null;
    }),
    body: fn("body", (id, address, size, more) => {
      const cycle = target.cycle(int(id));
      if (!cycle) return settled(null);
      const bytes = int(size) > 0 ? target.memory().bytes(int(address), int(size)) : new Uint8Array(0);
      if (bytes.byteLength !== Math.max(0, int(size))) return settled(null);
      const ready = cycle.body(bytes, more === true);
      // The last body message needs no wait (nothing follows): None spares a round trip
      // through JS. A chunk with more to come is awaited: back-pressure, and the return to JS
      // is where MicroPython's deferred garbage collection gets to run between chunks.
      return more === true ? new HostPromise(ready.then(() => null)) : null;
    }),
    // An already-settled promise: awaiting it hands control back to JS, where MicroPython's
    // deferred garbage collection runs (see the bridge's asyncio.sleep(0) patch).
    tick: fn("tick", () => settled(null)),
    done: fn("done", (id, outcome, traceback) => {
      const kind = text(outcome);
      const cycle = target.cycle(int(id));
      if (cycle && OUTCOMES.has(kind)) void cycle.finish(kind as PyOutcome, text(traceback));
      return undefined;
    }),
    lifespan: fn("lifespan", (phase, outcome, message) => {
      target.lifespan(text(phase), text(outcome), text(message));
      return undefined;
    }),
    lifespan_shutdown_requested: fn("lifespan_shutdown_requested", () =>
      new HostPromise(target.shutdownRequested().then(() => null)),
    ),
  });
}

