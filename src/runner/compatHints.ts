import { FROZEN_LIBRARY_MODULES, LIBRARY_MODULES } from "../python/libraryModules.ts";

/**
 * One-line hints for the errors an app meets when it reaches for a name this runtime does not
 * have: each entry names the ImportError or AttributeError (as MicroPython words it) of a name on
 * docs/compatibility.md's "not available" lists, and what to write instead; a few other messages
 * of MicroPython's that the page explains get one too.
 */
interface Hint {
  /** Matched against the exception's last traceback line, e.g. `ImportError: no module named 'sqlite3'`. */
  readonly error: RegExp;
  readonly hint: string;
}

const NO_NETWORK = "the sandbox has no network access; the app can only answer the requests it is given";

const MODULE_HINTS: Record<string, string> = {
  threading: "there are no threads in the sandbox: use asyncio tasks",
  _thread: "there are no threads in the sandbox: use asyncio tasks",
  multiprocessing: "there are no processes in the sandbox: use asyncio tasks",
  subprocess: "there are no processes in the sandbox",
  "concurrent.futures": "there are no threads in the sandbox: use asyncio tasks (loop.run_in_executor runs the call inline)",
  socket: NO_NETWORK,
  ssl: NO_NETWORK,
  requests: NO_NETWORK,
  httpx: NO_NETWORK,
  aiohttp: NO_NETWORK,
  "urllib.request": NO_NETWORK,
  "http.client": NO_NETWORK,
  smtplib: NO_NETWORK,
  pickle: "pickle is not available: store data as JSON (json.dumps / json.loads)",
  shelve: "shelve is not available: store data as JSON files in /data",
  shutil: "shutil is not available: use os (os.remove, os.rename, os.makedirs, os.walk)",
  tempfile: "tempfile is not available: write scratch files under /tmp",
  decimal: "decimal is not available: use integers (e.g. cents) or float with round()",
  fractions: "fractions is not available in this runtime",
  statistics: "statistics is not available: compute with sum(), len() and sorted()",
  zoneinfo: "zoneinfo is not available: the runtime's clock is UTC (datetime.timezone.utc, fixed offsets with timezone(timedelta(...)))",
  pytz: "pytz is not available: the runtime's clock is UTC (datetime.timezone.utc, fixed offsets with timezone(timedelta(...)))",
  ctypes: "ctypes is not available in the sandbox",
  email: "email is not available in this runtime",
  xml: "xml is not available: exchange data as JSON",
  "xml.etree.ElementTree": "xml is not available: exchange data as JSON",
  argparse: "argparse is not available: an app is configured through swasgi.json, not a command line",
  "collections.abc": "collections.abc is not available: test for dict, list and tuple, or hasattr(x, 'keys'), instead of Mapping and Sequence",
};

const ATTRIBUTE_HINTS: Record<string, string> = {
  SystemRandom: "random.SystemRandom is not available: use the secrets module for tokens and keys",
  title: "str.title is not available in this runtime: write the conversion yourself or use .capitalize() per word",
  ljust: "str.ljust is not available in this runtime: use '{:<N}'.format(s)",
  rjust: "str.rjust is not available in this runtime: use '{:>N}'.format(s)",
  zfill: "str.zfill is not available in this runtime: use '{:0>N}'.format(s)",
  removeprefix: "str.removeprefix is not available in this runtime: use s[len(p):] if s.startswith(p) else s",
  removesuffix: "str.removesuffix is not available in this runtime: use s[:-len(x)] if x and s.endswith(x) else s",
  move_to_end: "OrderedDict.move_to_end is not available in this runtime: pop the key and set it again",
  exc_info: "sys.exc_info is not available in this runtime: use traceback.exc_info(), traceback.format_exc(), or the exception from 'except ... as e'",
  strerror: "use e.args[1], or str(e)",
  run_in_executor: "there are no threads in the sandbox: call the function directly",
  to_thread: "there are no threads in the sandbox: call the function directly",
  sha512: "hashlib has md5, sha1 and sha256 in this runtime",
  sha384: "hashlib has md5, sha1 and sha256 in this runtime",
  sha224: "hashlib has md5, sha1 and sha256 in this runtime",
  blake2b: "hashlib has md5, sha1 and sha256 in this runtime",
  strptime: "time.strptime is not available: use datetime.datetime.strptime(text, format)",
  system: "there are no processes in the sandbox",
  fork: "there are no processes in the sandbox",
  popen: "there are no processes in the sandbox",
};

/** Other messages of MicroPython's that the compatibility page explains. */
const MESSAGE_HINTS: readonly Hint[] = [
  {
    error: /^SyntaxError: \*x must be assignment target$/,
    hint: "[*a, *b] unpacking inside a list, tuple or set is not supported by MicroPython: write a + b",
  },
];

const HINTS: readonly Hint[] = [
  ...MESSAGE_HINTS,
  ...Object.entries(MODULE_HINTS).map(([name, hint]) => ({
    error: new RegExp(`^ImportError: no module named '${name.replace(/\./g, "\\.")}'$`),
    hint,
  })),
  // Reached only when the library was not loaded: the app imports it where the scan cannot see.
  ...[...new Set([...LIBRARY_MODULES, ...FROZEN_LIBRARY_MODULES])].map((name) => ({
    error: new RegExp(`^ImportError: no module named '${name}(\\.[\\w.]+)?'$`),
    hint: `${name} is part of swasgi's Python library, which is loaded for apps whose files import it: write \`import ${name}\` in one of the app's .py files (an import built at run time, such as __import__(name), is not seen)`,
  })),
  ...Object.entries(ATTRIBUTE_HINTS).map(([name, hint]) => ({
    error: new RegExp(`^AttributeError: .* has no attribute '${name}'$`),
    hint,
  })),
];

/**
 * The hint for an exception's last traceback line, if it is one this page knows.
 * @example compatHint("ImportError: no module named 'threading'") // "there are no threads in the sandbox: use asyncio tasks"
 */
export function compatHint(lastLine: string): string | undefined {
  const line = lastLine.trim();
  return HINTS.find((entry) => entry.error.test(line))?.hint;
}

/**
 * `lastLine` with its hint appended, for failure messages (error page and log alike).
 * @example withCompatHint("ImportError: no module named 'pickle'") // "ImportError: no module named 'pickle' (hint: pickle is not available: ...)"
 */
export function withCompatHint(lastLine: string): string {
  const hint = compatHint(lastLine);
  return hint ? `${lastLine} (hint: ${hint}; see docs/compatibility.md)` : lastLine;
}
