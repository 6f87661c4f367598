/**
 * The Python half of swasgi that every interpreter imports at boot (and the `sqlite3` front,
 * see bootFiles.ts), embedded at build time:
 * copied into each interpreter's `/lib` (first on MicroPython's sys.path) before the app is
 * imported, and part of the boot image. The rest of swasgi's Python (the modules apps import:
 * `csv`, `dataclasses`, `re`...) is the library, loaded only for apps that import it
 * (library.ts); `_sqlite3.py` ships with the SQLite engine (src/runner/sqliteBackend.ts).
 * A test checks that booting imports nothing of the library (tests/unit/python/bootLib.test.ts).
 */
const sources = import.meta.glob(
  ["./lib/_swasgi_compat.py", "./lib/_swasgi_bridge.py", "./lib/_swasgi_str.py", "./lib/_swasgi_precompiled.py", "./lib/json.py", "./lib/time.py", "./lib/sqlite3.py"],
  { query: "?raw", import: "default", eager: true },
) as Record<string, string>;

/** Python files by path relative to `/lib`, e.g. "_swasgi_bridge.py". */
export const pythonLib: ReadonlyMap<string, string> = new Map(
  Object.entries(sources).map(([path, text]) => [path.replace(/^\.\/lib\//, ""), text]),
);

let encoded: ReadonlyMap<string, Uint8Array> | undefined;

/**
 * The same files as UTF-8, encoded once per realm: the file system's own encoder is a
 * JavaScript loop, slow on the cold start of a Service Worker.
 */
export function pythonLibBytes(): ReadonlyMap<string, Uint8Array> {
  const encoder = new TextEncoder();
  encoded ??= new Map([...pythonLib].map(([path, text]) => [path, encoder.encode(text)]));
  return encoded;
}
