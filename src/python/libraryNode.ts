import frozen from "../../build/runtime/frozen.json";
import { pythonLib } from "./index.ts";
import { FROZEN_PATCH, type LibraryFiles, libraryFor } from "./library.ts";

// Node only (the CLI, builds, tests): a Service Worker fetches the library as a file instead,
// so none of this is in sw.js.
const sources = import.meta.glob(["./lib/**/*.py", "!./lib/_sqlite3.py"], { query: "?raw", import: "default", eager: true }) as Record<
  string,
  string
>;

/** Every library source, compacted, by path relative to `/lib` (the boot files left out). */
export const librarySources: ReadonlyMap<string, string> = new Map(
  Object.entries(sources)
    .map(([path, text]): [string, string] => [path.replace(/^\.\/lib\//, ""), text])
    .filter(([path]) => !pythonLib.has(path)),
);

let encoded: LibraryFiles | undefined;

/**
 * The library for an app that imports `imported` (Runtime.library for Node hosts), with the
 * runtime's frozen module patch (build/runtime/frozen.json).
 */
export async function libraryNode(imported: ReadonlySet<string>): Promise<LibraryFiles> {
  const encoder = new TextEncoder();
  encoded ??= new Map([
    ...[...librarySources].map(([path, text]): [string, Uint8Array] => [path, encoder.encode(text)]),
    [FROZEN_PATCH, Buffer.from(frozen.patch, "base64")],
  ]);
  return libraryFor(encoded, imported);
}
