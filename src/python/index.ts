/**
 * The Python half of swasgi, embedded at build time: every file under ./lib is copied into
 * each interpreter's `/lib` (on MicroPython's sys.path) before the app is imported.
 */
const sources = import.meta.glob("./lib/**/*.py", { query: "?raw", import: "default", eager: true }) as Record<
  string,
  string
>;

/** Python files by path relative to `/lib`, e.g. "urllib/parse.py". */
export const pythonLib: ReadonlyMap<string, string> = new Map(
  Object.entries(sources).map(([path, text]) => [path.replace(/^\.\/lib\//, ""), text]),
);
