import { importedModules } from "../python/importedModules.ts";
import { importStub } from "./importStub.ts";

/** Where the stubs live (src/python/lib/_swasgi_precompiled.py has the same path). */
export const STUB_DIR = "/lib/.precompiled";

/** One module to compile ahead of its import. */
export interface PrecompileEntry {
  /** Its file below the stub directory, as below `/app` or `/lib`: "pkg/__init__.py". */
  stub: string;
  /** Its file as MicroPython's import names it (in tracebacks, `__file__`). */
  source: string;
  /** Its module name: "pkg", "pkg.sub". */
  module: string;
}

type Files = ReadonlyMap<string, Uint8Array>;

/** What the stubs need of the interpreter's file system. */
interface StubFs {
  mkdir(path: string): void;
  writeFile(path: string, data: Uint8Array): void;
  chmod(path: string, mode: number): void;
}

const IDENTIFIER = /^[A-Za-z_]\w*$/;

/**
 * What to compile before an app is imported: every Python file of the app, and the files of
 * `/lib` it may import (the scan of importedModules.ts, followed through the library's own
 * imports). A library module the app shadows with a file or directory of its own is left out,
 * as the import would leave it; an app that ships `.mpy` files is left to the import alone.
 * @example precompilePlan(new Map([["main.py", src]]), lib) // [{ stub: "main.py", source: "main.py", module: "main" }, ...]
 */
export function precompilePlan(app: Files, lib: Files): PrecompileEntry[] {
  const entries: PrecompileEntry[] = [];
  const appPaths = [...app.keys()];
  if (appPaths.some((path) => path.endsWith(".mpy"))) return entries;
  for (const path of appPaths) {
    const module = moduleName(path);
    if (module) entries.push({ stub: path, source: path, module });
  }
  const shadowed = new Set(appPaths.map((path) => path.split("/")[0].replace(/\.m?py$/, "")));
  const byTop = new Map<string, string[]>();
  for (const path of lib.keys()) {
    if (!moduleName(path)) continue;
    const top = path.split("/")[0].replace(/\.py$/, "");
    byTop.set(top, [...(byTop.get(top) ?? []), path]);
  }
  const wanted = [...importedModules(app)];
  const seen = new Set<string>();
  while (wanted.length) {
    const top = wanted.pop()!;
    if (seen.has(top) || shadowed.has(top) || !byTop.has(top)) continue;
    seen.add(top);
    const paths = byTop.get(top)!;
    for (const path of paths) entries.push({ stub: path, source: `/lib/${path}`, module: moduleName(path)! });
    wanted.push(...importedModules(new Map(paths.map((path) => [path, lib.get(path)!]))));
  }
  return entries;
}

/** "pkg/sub.py" → "pkg.sub", "pkg/__init__.py" → "pkg"; undefined for a file no import names. */
function moduleName(path: string): string | undefined {
  if (!path.endsWith(".py")) return undefined;
  const parts = path.slice(0, -3).split("/");
  if (parts.length > 1 && parts[parts.length - 1] === "__init__") parts.pop();
  return parts.every((part) => IDENTIFIER.test(part)) ? parts.join(".") : undefined;
}

/** Where `compile_all` copies each stub from. */
export function writeStubTemplate(fs: StubFs): void {
  fs.writeFile(`${STUB_DIR}.mpy`, importStub());
}

/**
 * Writes again what `compile_all` left in the stub directory (its listing: "pkg/" a directory,
 * "pkg/__init__.mpy" a stub), over an interpreter restored from the app image: the file
 * system is not part of an image.
 */
export function writeStubs(fs: StubFs, listing: readonly string[]): void {
  fs.mkdir(STUB_DIR);
  for (const path of listing) {
    if (path.endsWith("/")) fs.mkdir(`${STUB_DIR}/${path.slice(0, -1)}`);
    else {
      fs.writeFile(`${STUB_DIR}/${path}`, importStub());
      fs.chmod(`${STUB_DIR}/${path}`, 0o444);
    }
  }
}
