/**
 * The modules of swasgi's Python library (src/python/lib less the files sw.js embeds), by
 * name: a test keeps it equal to the library (tests/unit/python/bootLib.test.ts). sw.js carries
 * only this list, for the hint an app gets when it imports one where the import scan could not
 * see it (an import built at run time).
 */
export const LIBRARY_MODULES: readonly string[] = [
  "__future__", "_swasgi_classbody", "_swasgi_frozen", "_swasgi_urandom", "collections", "contextlib", "csv", "dataclasses",
  "datetime", "enum", "errno", "functools", "hashlib", "hmac", "http", "itertools", "logging", "mimetypes", "os", "random", "re",
  "secrets", "signal", "textwrap", "traceback", "typing", "urllib", "uuid",
];

/**
 * The runtime's frozen modules that ship with the library rather than in the wasm
 * (wasm/lazyFrozen.mjs), by top-level name, less `time` (a boot file stands in front of it): a
 * test keeps it equal to what the build took out.
 */
export const FROZEN_LIBRARY_MODULES: readonly string[] = [
  "abc", "base64", "binascii", "collections", "copy", "datetime", "fnmatch", "functools", "gzip", "hmac", "html", "inspect",
  "itertools", "locale", "logging", "operator", "os", "pathlib", "stat", "string", "tarfile", "types", "unittest", "uu",
];
