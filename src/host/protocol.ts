/**
 * What a host adapter (Service Worker, CLI) hands the host core and gets back. The adapter
 * turns a `HostResponse` into a fetch `Response` or raw HTTP/1.1 bytes.
 */
export interface HostRequest {
  url: URL;
  method: string;
  /** Arrival order, repeats kept. */
  headers: [string, string][];
  body: ReadableStream<Uint8Array> | Uint8Array | null;
  signal?: AbortSignal;
  /** Where the request comes from, for cookies; omitted: same-site, with credentials. */
  context?: RequestContext;
}

/** RFC 6265bis "same-site" context of a request (tough-cookie's `sameSiteContext`). */
export type SameSiteContext = "strict" | "lax" | "none";

export interface RequestContext {
  sameSite: SameSiteContext;
  /** "omit" for fetches made with `credentials: "omit"`: no cookie sent or stored. */
  credentials: "include" | "omit";
}

export interface HostResponse {
  status: number;
  /** Lowercased names, in order, repeats kept (two set-cookie stay two). */
  headers: [string, string][];
  /** null for HEAD and null-body statuses. */
  body: ReadableStream<Uint8Array> | null;
  /** Settles when the body has been fully produced (or failed). */
  done: Promise<{ ok: boolean; bytes: number; error?: string }>;
}
