import { LIBRARY_FILE, type LibraryFiles, libraryFor, parseLibraryJson } from "../../python/library.ts";

/**
 * Runtime.library in the Service Worker: the library file from the site (its offline cache,
 * or the dev server), read once per worker start and only when an app boots. A built site
 * ships the file only when one of its apps imports the library (`swasgi build`); without it
 * every app gets the boot modules alone.
 */
export function libraryLoader(base: URL, ships: () => boolean, fetchFile: (url: URL) => Promise<Response>): (imported: ReadonlySet<string>) => Promise<LibraryFiles> {
  let loaded: Promise<LibraryFiles> | undefined;
  const load = async (): Promise<LibraryFiles> => {
    const response = await fetchFile(new URL(LIBRARY_FILE, base));
    if (!response.ok) throw new Error(`${LIBRARY_FILE}: ${response.status} ${response.statusText}`);
    return parseLibraryJson(await response.text());
  };
  return async (imported) => {
    if (!ships()) return new Map();
    loaded ??= load();
    loaded.catch(() => (loaded = undefined));
    return libraryFor(await loaded, imported);
  };
}
