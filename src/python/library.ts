import { readFrozenPatch } from "../runner/frozenPatch.ts";
import { BOOT_FILES } from "./bootFiles.ts";

/** Where a built site keeps the library (below its base), as one JSON object path → source. */
export const LIBRARY_FILE = "swasgi-pylib.json";

/**
 * Library files by path relative to `/lib`, e.g. "urllib/parse.py", and under `FROZEN_PATCH`
 * the runtime's frozen modules that the shipped wasm leaves out (src/runner/frozenPatch.ts).
 */
export type LibraryFiles = ReadonlyMap<string, Uint8Array>;

/** The library entry that is a memory patch (frozen modules), not a file in /lib. */
export const FROZEN_PATCH = ".frozen";

/**
 * The module names a library provides: "csv.py" → csv, "os/__init__.py" → os, and the frozen
 * modules its patch brings back, less those a boot file stands in front of (time.py).
 */
export function libraryModules(library: LibraryFiles): Set<string> {
  const names = new Set([...library.keys()].filter((path) => path !== FROZEN_PATCH).map(moduleOf));
  const patch = library.get(FROZEN_PATCH);
  if (patch) for (const name of readFrozenPatch(patch).modules) names.add(name);
  for (const path of BOOT_FILES) names.delete(moduleOf(path));
  return names;
}

const moduleOf = (path: string) => path.replace(/\.py$/, "").split("/")[0];

/**
 * The library for an app that imports `imported`: all of it when the app imports any library
 * module (the modules import one another; one file keeps it simple to cache), none otherwise.
 * @example libraryFor(new Map([["csv.py", source]]), new Set(["csv"])) // the whole library
 */
export function libraryFor(library: LibraryFiles, imported: ReadonlySet<string>): LibraryFiles {
  for (const name of libraryModules(library)) if (imported.has(name)) return library;
  return new Map();
}

/**
 * The files of a library JSON file, checked: a path outside `/lib` or a non-string is refused;
 * the frozen module patch is base64 under FROZEN_PATCH.
 */
export function parseLibraryJson(text: string): LibraryFiles {
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error(`${LIBRARY_FILE} is not a JSON object`);
  const encoder = new TextEncoder();
  const files = new Map<string, Uint8Array>();
  for (const [path, source] of Object.entries(parsed)) {
    if (path === FROZEN_PATCH && typeof source === "string") {
      const bytes = Uint8Array.from(atob(source), (c) => c.charCodeAt(0));
      readFrozenPatch(bytes); // a malformed patch is refused here, by what is wrong
      files.set(path, bytes);
      continue;
    }
    if (typeof source !== "string" || !/^[\w-]+(\/[\w-]+)*\.py$/.test(path)) throw new Error(`${LIBRARY_FILE}: bad entry ${JSON.stringify(path)}`);
    files.set(path, encoder.encode(source));
  }
  return files;
}
