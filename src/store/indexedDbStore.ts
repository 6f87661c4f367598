import { type IDBPDatabase, openDB } from "idb";
import { type DataChanges, type DataStore, QuotaError } from "./protocol.ts";

const DB_NAME = "swasgi";
const DB_VERSION = 1;
/** One record per file: key [app, path]. */
const FILES = "files";
/** Cookie jars: key [app, cookie key] (src/host/cookieJar.ts). */
export const COOKIES = "cookies";

let db: Promise<IDBPDatabase> | undefined;

/** The shared database of a Service Worker: opened on first use, not at import. */
export function swasgiDb(): Promise<IDBPDatabase> {
  db ??= openDB(DB_NAME, DB_VERSION, {
    upgrade(database) {
      database.createObjectStore(FILES);
      database.createObjectStore(COOKIES);
    },
  });
  return db;
}

/**
 * An app's `/data` in IndexedDB. A commit is one readwrite transaction over all changed
 * files, so it lands whole or not at all; a full quota rejects with QuotaError.
 */
export class IndexedDbStore implements DataStore {
  constructor(readonly app: string) {}

  async load(): Promise<Map<string, Uint8Array>> {
    const database = await swasgiDb();
    const range = IDBKeyRange.bound([this.app, ""], [this.app, "\uffff"]);
    const tx = database.transaction(FILES, "readonly");
    const files = new Map<string, Uint8Array>();
    let cursor = await tx.store.openCursor(range);
    while (cursor) {
      files.set((cursor.key as [string, string])[1], new Uint8Array(cursor.value as ArrayBuffer));
      cursor = await cursor.continue();
    }
    await tx.done;
    return files;
  }

  async commit({ put, remove }: DataChanges): Promise<void> {
    const database = await swasgiDb();
    const tx = database.transaction(FILES, "readwrite");
    try {
      for (const path of remove) void tx.store.delete([this.app, path]);
      for (const [path, bytes] of put) void tx.store.put(bytes.slice().buffer, [this.app, path]);
      await tx.done;
    } catch (error) {
      if ((error as DOMException)?.name === "QuotaExceededError") {
        throw new QuotaError(`the browser's storage quota for this site is used up (${(error as Error).message})`);
      }
      throw error;
    }
  }
}
