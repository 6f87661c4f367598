/** Where a built site keeps the library (below its base), as one JSON object path → source. */
export const LIBRARY_FILE = "swasgi-pylib.json";

/** Library files by path relative to `/lib`, e.g. "urllib/parse.py". */
export type LibraryFiles = ReadonlyMap<string, Uint8Array>;

/** The module names a set of library files provides: "csv.py" → csv, "os/__init__.py" → os. */
export function libraryModules(paths: Iterable<string>): Set<string> {
  return new Set([...paths].map((path) => path.replace(/\.py$/, "").split("/")[0]));
}

/**
 * The library for an app that imports `imported`: all of it when the app imports any library
 * module (the modules import one another; one file keeps it simple to cache), none otherwise.
 * @example libraryFor(new Map([["csv.py", source]]), new Set(["csv"])) // the whole library
 */
export function libraryFor(library: LibraryFiles, imported: ReadonlySet<string>): LibraryFiles {
  for (const name of libraryModules(library.keys())) if (imported.has(name)) return library;
  return new Map();
}

/** The files of a library JSON file, checked: a path outside `/lib` or a non-string is refused. */
export function parseLibraryJson(text: string): LibraryFiles {
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error(`${LIBRARY_FILE} is not a JSON object`);
  const encoder = new TextEncoder();
  const files = new Map<string, Uint8Array>();
  for (const [path, source] of Object.entries(parsed)) {
    if (typeof source !== "string" || !/^[\w-]+(\/[\w-]+)*\.py$/.test(path)) throw new Error(`${LIBRARY_FILE}: bad entry ${JSON.stringify(path)}`);
    files.set(path, encoder.encode(source));
  }
  return files;
}
