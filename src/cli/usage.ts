/** A mistake in how swasgi was called: exit 2 with this message. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** A problem with the app itself (folder, swasgi.json, Python import): exit 1. */
export class AppLoadError extends Error {
  constructor(message: string, readonly detail?: string) {
    super(message);
    this.name = "AppLoadError";
  }
}

/** "Name: value" → [name, value]; names the flag and the text when malformed. */
export function parseHeader(text: string): [string, string] {
  const colon = text.indexOf(":");
  const name = colon > 0 ? text.slice(0, colon).trim() : "";
  if (!name || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
    throw new UsageError(`-H "${text}": expected "Name: value" with a valid header name`);
  }
  const value = text.slice(colon + 1).trim();
  if (/[\r\n\0]/.test(value)) throw new UsageError(`-H "${text}": header values cannot contain CR, LF or NUL`);
  return [name, value];
}

export function parsePositiveInt(flag: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`${flag} expects a positive whole number, got "${String(value)}"`);
  return n;
}

/**
 * The values of value-taking flags exactly as typed, in order, by flag key. cac's parser (mri)
 * turns `-d 007` into the number 7 and, when both `-H` and `--header` appear, keeps only one
 * spelling's values; curl-like flags need the text as given.
 * @example rawFlagValues(["-d", "007", "--header=A: 1"], { "-d": "data", "--header": "header" }) // { data: ["007"], header: ["A: 1"] }
 */
export function rawFlagValues(argv: string[], keys: Record<string, string>): Record<string, string[]> {
  const values: Record<string, string[]> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--") break;
    const eq = arg.startsWith("--") ? arg.indexOf("=") : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    if (!Object.hasOwn(keys, flag)) continue;
    const key = keys[flag];
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value !== undefined) (values[key] ??= []).push(value);
  }
  return values;
}

/** A flag given more than once: the last one wins, as with curl. */
export function lastOf<T>(value: T | T[] | undefined): T | undefined {
  return Array.isArray(value) ? value.at(-1) : value;
}
