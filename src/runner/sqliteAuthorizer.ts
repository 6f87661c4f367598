import { allowedPath } from "./sqliteVfs.ts";

/** sqlite3_set_authorizer action codes swasgi looks at. */
const SQLITE_PRAGMA = 19;
const SQLITE_ATTACH = 24;

/**
 * What the authorizer refuses: ATTACH of anything but the app's own files (below), and the
 * modes in which a connection would keep pages or a journal of its own across requests
 * (`locking_mode=EXCLUSIVE` never re-reads the file, and WAL would need it; MEMORY and OFF
 * journals cannot roll back a failed request's transaction): after /data restored the file, such a
 * connection would go on from what the failed request had done.
 */
export function authorized(action: number, first: string | 0, second: string | 0): boolean {
  if (action === SQLITE_ATTACH) return attachable(first);
  if (action === SQLITE_PRAGMA && typeof second === "string" && typeof first === "string") {
    const pragma = first.toLowerCase();
    const value = second.toLowerCase().replace(/^['"]|['"]$/g, "");
    if (pragma === "locking_mode") return value === "normal";
    // WAL is let through: without shared memory (this VFS has none) and with locking_mode
    // NORMAL, SQLite keeps the rollback journal and answers the mode it kept, as apps that
    // ask for WAL out of habit expect.
    if (pragma === "journal_mode") return ["delete", "truncate", "persist", "wal"].includes(value);
  }
  return true;
}

/**
 * ATTACH targets the authorizer lets through: a new in-memory or temporary database, or a file
 * of the app's /data or /tmp. A name SQLite cannot show it (a bound parameter, an expression)
 * is refused: only a literal can be checked. (The VFS checks every path it opens as well.)
 */
function attachable(name: string | 0): boolean {
  return name !== 0 && (name === "" || name === ":memory:" || allowedPath(name));
}
