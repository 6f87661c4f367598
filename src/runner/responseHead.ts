import type { ResponseHead } from "./protocol.ts";

/** RFC 9110 §5.6.2 `tchar`, by byte value. */
const TOKEN = new Uint8Array(256);
for (const c of "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") TOKEN[c.charCodeAt(0)] = 1;
const CR = 13;
const LF = 10;
const NUL = 0;
/** Caps a forged call cannot get past: the bridge sends one length per name and per value. */
const MAX_HEADERS = 10_000;

/**
 * Checks a response head the way a server checks what it puts on the wire, whatever Python
 * handed over (the bridge, or app code calling `_swasgi_host` directly): a final status
 * 200-599, names that are RFC 9110 tokens, values without CR, LF or NUL (no response
 * splitting). `lengths` are the byte lengths of name, value, name, value... laid end to end in
 * `blob`. Linear in the bytes: megabytes of header values cost milliseconds.
 *
 * Returns the head (lowercased latin-1 names, latin-1 values) or a message naming the problem.
 * @example parseResponseHead(200, [12, 9], bytes("content-typetext/html")) // { status: 200, headers: [["content-type", "text/html"]] }
 */
export function parseResponseHead(status: unknown, lengths: unknown, blob: Uint8Array): ResponseHead | string {
  if (typeof status !== "number" || !Number.isInteger(status) || status < 200 || status > 599) {
    return `ASGI 'http.response.start' status must be an int from 200 to 599, got ${String(status)}`;
  }
  if (!Array.isArray(lengths) || lengths.length % 2 !== 0 || lengths.length > 2 * MAX_HEADERS) {
    return "ASGI 'http.response.start' headers must be a list of (name, value) pairs";
  }
  const headers: [string, string][] = [];
  let at = 0;
  for (let i = 0; i < lengths.length; i += 2) {
    const nameLength: unknown = lengths[i];
    const valueLength: unknown = lengths[i + 1];
    if (!isLength(nameLength) || !isLength(valueLength) || at + nameLength + valueLength > blob.byteLength) {
      return "ASGI 'http.response.start' headers do not match their bytes";
    }
    const name = blob.subarray(at, at + nameLength);
    const value = blob.subarray(at + nameLength, at + nameLength + valueLength);
    at += nameLength + valueLength;
    if (name.byteLength === 0 || !name.every((byte) => TOKEN[byte] === 1)) {
      return `Invalid HTTP header name ${JSON.stringify(latin1(name))}: a name is a token (letters, digits, !#$%&'*+-.^_\`|~)`;
    }
    if (value.includes(CR) || value.includes(LF) || value.includes(NUL)) {
      return `Invalid HTTP header value for ${JSON.stringify(latin1(name))}: CR, LF and NUL are not allowed`;
    }
    headers.push([latin1(name).toLowerCase(), latin1(value)]);
  }
  if (at !== blob.byteLength) return "ASGI 'http.response.start' headers do not match their bytes";
  return { status, headers };
}

function isLength(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= 0;
}

/** Bytes as a string of the same char codes (what `Headers` calls a ByteString). */
function latin1(bytes: Uint8Array): string {
  let text = "";
  // fromCharCode's argument count is bounded by the JS stack: go in slices.
  for (let i = 0; i < bytes.byteLength; i += 8192) text += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return text;
}
