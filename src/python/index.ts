/**
 * The Python half of swasgi, embedded at build time: every file under ./lib is copied into
 * each interpreter's `/lib` (on MicroPython's sys.path) before the app is imported.
 */
// `_sqlite3.py` ships with the SQLite engine, loaded on demand (src/runner/sqliteBackend.ts).
const sources = import.meta.glob(["./lib/**/*.py", "!./lib/_sqlite3.py"], { query: "?raw", import: "default", eager: true }) as Record<
  string,
  string
>;

/** Python files by path relative to `/lib`, e.g. "urllib/parse.py". */
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
