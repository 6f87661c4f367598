import type { RuntimePhase } from "../../client/protocol.ts";
import type { Runtime } from "../../runner/interpreter.ts";
import { loadRuntimeBrowser } from "../../runner/loadRuntimeBrowser.ts";
import type { BootImageStore } from "./bootImageStore.ts";

export interface RuntimeStatus {
  phase: RuntimePhase;
  loaded: number;
  total: number;
  error?: string;
}

export interface SharedRuntimeOptions {
  /** Reads the wasm (a built site's offline cache); the network when omitted. */
  fetch?(url: URL | string): Promise<Response>;
  /** The bytes come from the site's own cache: compiled whole rather than streamed. */
  local?: boolean;
  /** Keeps the boot image across worker starts; without it each worker captures its own. */
  images?: BootImageStore;
  /** swasgi's Python library for the apps that import it (libraryLoader.ts). */
  library?: Runtime["library"];
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
  readonly #options: SharedRuntimeOptions;
  #runtime: Promise<Runtime> | undefined;
  #status: RuntimeStatus = { phase: "idle", loaded: 0, total: 0 };
  #lastReport = 0;

  constructor(url: URL, onChange: () => void, options: SharedRuntimeOptions = {}) {
    this.#url = url;
    this.#onChange = onChange;
    this.#options = options;
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
    // Read while the wasm compiles: restoring it spares every boot of this worker.
    const images = this.#options.images;
    const image = images?.load().catch(() => undefined);
    try {
      const compiled = await loadRuntimeBrowser(this.#url, {
        fetch: this.#options.fetch,
        local: this.#options.local,
        onProgress: (loaded, total) => {
          this.#status = { phase: "downloading", loaded, total };
          // Progress events are for a progress bar: a few per second is plenty.
          if (performance.now() - this.#lastReport > 50) this.#set(this.#status);
        },
        onCompile: () => this.#set({ ...this.#status, phase: "compiling" }),
      });
      const runtime: Runtime = { ...compiled, bootImages: images?.slot(await image), library: this.#options.library };
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
