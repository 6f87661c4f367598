import { type IDBPDatabase, openDB } from "idb";
import { type DataChanges, type DataStore, QuotaError } from "./protocol.ts";

const DB_VERSION = 1;
/** One record per file: key [app, path]. */
const FILES = "files";
/** Cookie jars: key [app, cookie key] (src/host/cookieJar.ts). */
export const COOKIES = "cookies";

const databases = new Map<string, Promise<IDBPDatabase>>();

/**
 * The database of the swasgi site at this base: "swasgi" for a site at "/", "swasgi /repo/"
 * below. Sites under different paths of one origin (GitHub Pages project sites all share
 * `user.github.io`) then never mix two apps that happen to have the same name. Within a site,
 * records are keyed by app name, never by version, so new builds keep `/data` and cookies.
 */
export function databaseFor(base: string): string {
  return base === "/" ? "swasgi" : `swasgi ${base}`;
}

/** A site's database, shared within the Service Worker: opened on first use, not at import. */
export function swasgiDb(name = databaseFor("/")): Promise<IDBPDatabase> {
  let db = databases.get(name);
  if (!db) {
    db = openDB(name, DB_VERSION, {
      upgrade(database) {
        database.createObjectStore(FILES);
        database.createObjectStore(COOKIES);
      },
    });
    // A failed open is not kept: the next use tries again.
    db.catch(() => databases.delete(name));
    databases.set(name, db);
  }
  return db;
}

/**
 * An app's `/data` in IndexedDB. A commit is one readwrite transaction over all changed
 * files, so it lands whole or not at all; a full quota rejects with QuotaError.
 */
export class IndexedDbStore implements DataStore {
  constructor(
    readonly app: string,
    readonly dbName = databaseFor("/"),
  ) {}

  async load(): Promise<Map<string, Uint8Array>> {
    const database = await swasgiDb(this.dbName);
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
    const database = await swasgiDb(this.dbName);
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
