/** `import a, b.c as d` (group 2) or `from a.b import x` (group 1), at any indentation. */
const IMPORT = /^[ \t]*(?:from[ \t]+([A-Za-z_][\w.]*)[ \t]+import\b|import[ \t]+([^\n#;]+))/gm;

/**
 * The top-level names of the modules an app's Python files import, read from the source
 * before the app runs (Python imports are synchronous: whatever the host loads on demand must
 * be there before the first line). Relative imports name the app's own modules and are left
 * out; an import built at run time (`__import__(name)`) cannot be seen.
 * @example importedModules(new Map([["app.py", bytes("import os.path, csv as c\nfrom json import dumps\n")]])) // Set {"os", "csv", "json"}
 */
export function importedModules(files: ReadonlyMap<string, Uint8Array>): Set<string> {
  const decoder = new TextDecoder();
  const names = new Set<string>();
  for (const [path, bytes] of files) {
    if (!path.endsWith(".py")) continue;
    for (const match of decoder.decode(bytes).matchAll(IMPORT)) {
      const modules = match[1] !== undefined ? [match[1]] : match[2].replace(/[()\\]/g, "").split(",");
      for (const module of modules) {
        const name = module.trim().split(/[\s.]/)[0];
        if (/^[A-Za-z_]\w*$/.test(name)) names.add(name);
      }
    }
  }
  return names;
}
