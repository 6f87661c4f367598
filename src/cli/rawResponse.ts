import { STATUS_CODES } from "node:http";
import type { HostResponse } from "../host/protocol.ts";

/**
 * Writes a response as raw HTTP/1.1: status line, one line per header (repeats kept), a blank
 * line, the body bytes. Lines end in CRLF as on the wire.
 *
 * Resolves to undefined when the body was complete, or to the reason it was cut short (the
 * app failed after starting its response): what arrived is written, as a client would see it.
 * A failing `out` (a closed pipe) rejects, after the body is cancelled so the app stops.
 */
export async function writeRawResponse(response: HostResponse, out: (chunk: Uint8Array) => Promise<void>): Promise<string | undefined> {
  const reason = STATUS_CODES[response.status] ?? "";
  const head = [`HTTP/1.1 ${response.status} ${reason}`, ...response.headers.map(([n, v]) => `${n}: ${v}`), "", ""].join("\r\n");
  await out(new TextEncoder().encode(head));
  if (!response.body) return undefined;
  const reader = response.body.getReader();
  for (;;) {
    let next: ReadableStreamReadResult<Uint8Array>;
    try {
      next = await reader.read();
    } catch (error) {
      return (error as Error).message ?? String(error);
    }
    if (next.done) return undefined;
    try {
      await out(next.value);
    } catch (error) {
      await reader.cancel().catch(() => {});
      throw error;
    }
  }
}
