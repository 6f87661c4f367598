/**
 * The files of src/python/lib that sw.js embeds (src/python/index.ts has the same list: its
 * glob must be literal): what every interpreter imports at boot, and the `sqlite3` front, which
 * must answer with its reason even where the import scan did not see it. Everything else
 * there is the library.
 */
export const BOOT_FILES: readonly string[] = ["_swasgi_compat.py", "_swasgi_bridge.py", "_swasgi_str.py", "_swasgi_precompiled.py", "json.py", "time.py", "sqlite3.py"];
