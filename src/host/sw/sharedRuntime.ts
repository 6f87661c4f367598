import type { RuntimePhase } from "../../client/protocol.ts";
import type { Runtime } from "../../runner/interpreter.ts";
import { loadRuntimeBrowser } from "../../runner/loadRuntimeBrowser.ts";

export interface RuntimeStatus {
  phase: RuntimePhase;
  loaded: number;
  total: number;
  error?: string;
}

/**
 * The compiled runtime, once per Service Worker lifetime: every app's interpreter reuses it.
 * When the browser stops the Service Worker this object goes with it, and the next request
 * compiles again (tens of ms: the bytes come from the site's cache or the HTTP cache). A failed load is
 * forgotten so the next request retries.
 */
export class SharedRuntime {
  readonly #url: URL;
  readonly #onChange: () => void;
  readonly #fetch: ((url: URL | string) => Promise<Response>) | undefined;
  #runtime: Promise<Runtime> | undefined;
  #status: RuntimeStatus = { phase: "idle", loaded: 0, total: 0 };
  #lastReport = 0;

  /** `fetch` reads the wasm (a built site's offline cache); the network when omitted. */
  constructor(url: URL, onChange: () => void, fetch?: (url: URL | string) => Promise<Response>) {
    this.#url = url;
    this.#onChange = onChange;
    this.#fetch = fetch;
  }

  get status(): RuntimeStatus {
    return { ...this.#status };
  }

  get(): Promise<Runtime> {
    this.#runtime ??= this.#load();
    return this.#runtime;
  }

  async #load(): Promise<Runtime> {
    this.#set({ phase: "downloading", loaded: 0, total: 0 });
    try {
      const runtime = await loadRuntimeBrowser(this.#url, {
        fetch: this.#fetch,
        onProgress: (loaded, total) => {
          this.#status = { phase: "downloading", loaded, total };
          // Progress events are for a progress bar: a few per second is plenty.
          if (performance.now() - this.#lastReport > 50) this.#set(this.#status);
        },
        onCompile: () => this.#set({ ...this.#status, phase: "compiling" }),
      });
      this.#set({ ...this.#status, phase: "ready" });
      return runtime;
    } catch (error) {
      this.#runtime = undefined;
      this.#set({ ...this.#status, phase: "failed", error: String((error as Error)?.message ?? error) });
      throw error;
    }
  }

  #set(status: RuntimeStatus): void {
    this.#status = status;
    this.#lastReport = performance.now();
    this.#onChange();
  }
}
