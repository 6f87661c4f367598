/**
 * Persistence of an app's `/data` directory. Paths are relative to `/data`, `/`-separated.
 * Implementations: a Node directory (src/store/directoryStore.ts) and IndexedDB
 * (src/store/indexedDbStore.ts); both run the same contract suite.
 */
export interface DataStore {
  /** Every file of the last committed state. */
  load(): Promise<Map<string, Uint8Array>>;
  /** Applies all changes or none of them. Rejects with `QuotaError` when storage is full. */
  commit(changes: DataChanges): Promise<void>;
}

export interface DataChanges {
  put: Map<string, Uint8Array>;
  remove: string[];
}

/** Storage refused the write for lack of space: the request that hit it gets a 507. */
export class QuotaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "QuotaError";
  }
}

/** A store that keeps nothing between interpreters: the CLI's default without --data-dir. */
export class MemoryStore implements DataStore {
  #files = new Map<string, Uint8Array>();
  async load(): Promise<Map<string, Uint8Array>> {
    return new Map(this.#files);
  }
  async commit({ put, remove }: DataChanges): Promise<void> {
    for (const path of remove) this.#files.delete(path);
    for (const [path, bytes] of put) this.#files.set(path, bytes);
  }
}
