import { STATUS_CODES } from "node:http";
import type { HostResponse } from "../host/protocol.ts";

/**
 * Writes a response as raw HTTP/1.1: status line, one line per header (repeats kept), a blank
 * line, the body bytes. Lines end in CRLF as on the wire.
 */
export async function writeRawResponse(response: HostResponse, out: (chunk: Uint8Array) => Promise<void>): Promise<void> {
  const reason = STATUS_CODES[response.status] ?? "";
  const head = [`HTTP/1.1 ${response.status} ${reason}`, ...response.headers.map(([n, v]) => `${n}: ${v}`), "", ""].join("\r\n");
  await out(new TextEncoder().encode(head));
  if (!response.body) return;
  const reader = response.body.getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    await out(value);
  }
}
