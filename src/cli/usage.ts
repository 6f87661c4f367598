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
