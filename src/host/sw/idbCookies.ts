import type { CookiePersistence } from "../persistentCookieStore.ts";
import { COOKIES, databaseFor, swasgiDb } from "../../store/indexedDbStore.ts";

/**
 * One app's cookie jar in the `cookies` object store of its site's swasgi database. Keys are
 * `[app, "domain\tpath\tname"]`, so an app's jar is one key range and no app reads another's.
 */
export function idbCookiePersistence(app: string, database = databaseFor("/")): CookiePersistence {
  const range = () => IDBKeyRange.bound([app, ""], [app, "\uffff"]);
  return {
    async loadAll() {
      return (await swasgiDb(database)).getAll(COOKIES, range());
    },
    async put(key, cookie) {
      await (await swasgiDb(database)).put(COOKIES, cookie, [app, key]);
    },
    async delete(keys) {
      if (!keys.length) return;
      const tx = (await swasgiDb(database)).transaction(COOKIES, "readwrite");
      for (const key of keys) void tx.store.delete([app, key]);
      await tx.done;
    },
    async clear() {
      await (await swasgiDb(database)).delete(COOKIES, range());
    },
  };
}
