import { type IDBPDatabase, type IDBPTransaction, openDB } from "idb";
import { CHUNK_BYTES, checkPath, type DataChanges, type DataStore, QuotaError, type StoredTree } from "./protocol.ts";

const DB_VERSION = 2;
/** Version 1 kept one record per file: key [app, path], value its bytes. Migrated, then gone. */
const FILES_V1 = "files";
/** Files and folders: key [app, path], value `{ kind: "dir" }` or `{ kind: "file", id, size }`. */
const ENTRIES = "entries";
/** File bytes: key [app, file id, chunk index], value CHUNK_BYTES (the last chunk fewer). */
const CHUNKS = "chunks";
/** Cookie jars: key [app, cookie key] (src/host/cookieJar.ts). */
export const COOKIES = "cookies";

type Entry = { kind: "dir" } | { kind: "file"; id: number; size: number };

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
    const opened: Promise<IDBPDatabase> = openDB(name, DB_VERSION, {
      async upgrade(database, oldVersion, _newVersion, tx) {
        if (oldVersion < 1) database.createObjectStore(COOKIES);
        database.createObjectStore(ENTRIES);
        database.createObjectStore(CHUNKS);
        if (oldVersion >= 1) await migrateV1(tx as unknown as IDBPTransaction<unknown, string[], "versionchange">);
      },
      // A newer swasgi (a deploy's next worker) upgrades the database: let it, and reopen later.
      blocking() {
        databases.delete(name);
        void opened.then((database) => database.close());
      },
    });
    db = opened;
    // A failed open is not kept: the next use tries again.
    db.catch(() => databases.delete(name));
    databases.set(name, db);
  }
  return db;
}

/** Version 1's whole files become entries and chunks (folders implied by paths become entries). */
async function migrateV1(tx: IDBPTransaction<unknown, string[], "versionchange">): Promise<void> {
  const files = tx.objectStore(FILES_V1);
  const entries = tx.objectStore(ENTRIES);
  const chunks = tx.objectStore(CHUNKS);
  let id = 1;
  let cursor = await files.openCursor();
  while (cursor) {
    const [app, path] = cursor.key as [string, string];
    const bytes = new Uint8Array(cursor.value as ArrayBuffer);
    const parts = path.split("/");
    for (let i = 1; i < parts.length; i++) void entries.put({ kind: "dir" }, [app, parts.slice(0, i).join("/")]);
    void entries.put({ kind: "file", id, size: bytes.byteLength }, [app, path]);
    for (let index = 0; index * CHUNK_BYTES < bytes.byteLength; index++) {
      void chunks.put(bytes.slice(index * CHUNK_BYTES, (index + 1) * CHUNK_BYTES).buffer, [app, id, index]);
    }
    id++;
    cursor = await cursor.continue();
  }
  tx.db.deleteObjectStore(FILES_V1);
}

/** Every key of `app` in a store keyed [app, ...]: arrays sort after strings and numbers. */
const appRange = (app: string) => IDBKeyRange.bound([app], [app, []]);
/** Everything below `path` ("/" sorts right before "0"). */
const belowRange = (app: string, path: string) => IDBKeyRange.bound([app, `${path}/`], [app, `${path}0`], false, true);
/** Chunks of file `id` from index `from` on. */
const chunkRange = (app: string, id: number, from = 0) => IDBKeyRange.bound([app, id, from], [app, id, Infinity]);

/**
 * An app's `/data` in IndexedDB: entries by path, file bytes in CHUNK_BYTES records by file
 * id, so a commit writes only the chunks a request changed (a one-row insert into a 50 MB
 * SQLite file is a few chunks) and a rename moves no bytes. A commit is one readwrite
 * transaction, so it lands whole or not at all; a full quota rejects with QuotaError.
 */
export class IndexedDbStore implements DataStore {
  constructor(
    readonly app: string,
    readonly dbName = databaseFor("/"),
  ) {}

  async load(): Promise<StoredTree> {
    const database = await swasgiDb(this.dbName);
    const tx = database.transaction([ENTRIES, CHUNKS], "readonly");
    const entries = new Map<string, Entry>();
    let cursor = await tx.objectStore(ENTRIES).openCursor(appRange(this.app));
    while (cursor) {
      entries.set((cursor.key as [string, string])[1], cursor.value as Entry);
      cursor = await cursor.continue();
    }
    const files = new Map<number, Uint8Array>();
    for (const entry of entries.values()) if (entry.kind === "file") files.set(entry.id, new Uint8Array(entry.size));
    let chunk = await tx.objectStore(CHUNKS).openCursor(appRange(this.app));
    while (chunk) {
      const [, id, index] = chunk.key as [string, number, number];
      const bytes = files.get(id);
      const start = index * CHUNK_BYTES;
      if (bytes && start < bytes.byteLength) bytes.set(new Uint8Array(chunk.value as ArrayBuffer).subarray(0, bytes.byteLength - start), start);
      chunk = await chunk.continue();
    }
    await tx.done;
    const tree: StoredTree = new Map();
    // Keys come sorted, so parents come before their children.
    for (const [path, entry] of entries) {
      tree.set(path, entry.kind === "dir" ? { kind: "dir" } : { kind: "file", id: entry.id, bytes: files.get(entry.id)! });
    }
    return tree;
  }

  async commit({ ops, dropped }: DataChanges): Promise<void> {
    for (const op of ops) checkPath(op.path);
    const database = await swasgiDb(this.dbName);
    const tx = database.transaction([ENTRIES, CHUNKS], "readwrite");
    const entries = tx.objectStore(ENTRIES);
    const chunks = tx.objectStore(CHUNKS);
    try {
      // Requests run in the order made: no await until tx.done, so the transaction stays open.
      for (const op of ops) {
        const key = [this.app, op.path];
        if (op.op === "remove") {
          void entries.delete(key);
          void entries.delete(belowRange(this.app, op.path));
        } else if (op.op === "mkdir") {
          void entries.put({ kind: "dir" } satisfies Entry, key);
        } else {
          void entries.put({ kind: "file", id: op.id, size: op.size } satisfies Entry, key);
          for (const [index, bytes] of op.chunks) void chunks.put(bytes.slice().buffer, [this.app, op.id, index]);
          void chunks.delete(chunkRange(this.app, op.id, Math.ceil(op.size / CHUNK_BYTES)));
        }
      }
      for (const id of dropped) void chunks.delete(chunkRange(this.app, id));
      await tx.done;
    } catch (error) {
      if ((error as DOMException)?.name === "QuotaExceededError") {
        throw new QuotaError(`the browser's storage quota for this site is used up (${(error as Error).message})`);
      }
      throw error;
    }
  }
}
