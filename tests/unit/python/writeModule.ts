import type { PySession } from "./loadLib.ts";

/**
 * Writes `source` as `/app/<name>.py` (the session's cwd, on sys.path), for code that must come
 * from a file: dataclasses and enum read class bodies from their module's source.
 * @example writeModule(python, "models", "from dataclasses import dataclass\n...");
 */
export function writeModule(python: PySession, name: string, source: string): void {
  python.py.fs.writeFile(`/app/${name}.py`, source);
}
