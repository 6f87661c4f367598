import type { CookiePersistence } from "../persistentCookieStore.ts";
import { COOKIES, swasgiDb } from "../../store/indexedDbStore.ts";

/**
 * One app's cookie jar in the `cookies` object store of the swasgi database. Keys are
 * `[app, "domain\tpath\tname"]`, so an app's jar is one key range and no app reads another's.
 */
export function idbCookiePersistence(app: string): CookiePersistence {
  const range = () => IDBKeyRange.bound([app, ""], [app, "\uffff"]);
  return {
    async loadAll() {
      return (await swasgiDb()).getAll(COOKIES, range());
    },
    async put(key, cookie) {
      await (await swasgiDb()).put(COOKIES, cookie, [app, key]);
    },
    async delete(keys) {
      if (!keys.length) return;
      const tx = (await swasgiDb()).transaction(COOKIES, "readwrite");
      for (const key of keys) void tx.store.delete([app, key]);
      await tx.done;
    },
    async clear() {
      await (await swasgiDb()).delete(COOKIES, range());
    },
  };
}
