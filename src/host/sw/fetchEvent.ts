import type { HostRequest, HostResponse, RequestContext } from "../protocol.ts";

/**
 * A fetch event's request as the host core takes it. The body is handed on as the browser's
 * stream when it exposes one (Chromium does), else read once into memory; never both.
 */
export async function toHostRequest(request: Request, url: URL, origin: string): Promise<HostRequest> {
  let body: HostRequest["body"] = null;
  if (request.method !== "GET" && request.method !== "HEAD") {
    if (request.body) body = request.body;
    else {
      const bytes = new Uint8Array(await request.arrayBuffer());
      body = bytes.byteLength ? bytes : null;
    }
  }
  return { url, method: request.method, headers: [...request.headers], body, signal: request.signal, context: requestContext(request, origin) };
}

/**
 * The same-site context for cookies (RFC 6265bis §5.2). A Service Worker only sees requests of
 * pages of its own origin, plus navigations into its scope from anywhere: the latter are
 * same-site when the referrer is ours, "lax" when a cross-site link opens a page at top level,
 * "none" otherwise. Sec-Fetch-Site would say it directly, but the network stack adds it after
 * the Service Worker. Without a referrer, a top-level GET counts as typed in the address bar
 * (same-site, as browsers treat it), and anything else as cross-site, so a no-referrer form
 * POST from another site never carries Lax or Strict cookies.
 */
export function requestContext(
  request: Pick<Request, "mode" | "credentials" | "referrer" | "method" | "destination">,
  origin: string,
): RequestContext {
  const credentials = request.credentials === "omit" ? "omit" : "include";
  if (request.mode !== "navigate") return { sameSite: "strict", credentials };
  let referrer = "";
  try {
    referrer = request.referrer ? new URL(request.referrer).origin : "";
  } catch {
    // "about:client" and the like: no usable origin.
  }
  if (referrer === origin) return { sameSite: "strict", credentials };
  const safe = request.method === "GET" || request.method === "HEAD";
  const topLevel = request.destination === "document";
  if (!referrer && safe && topLevel) return { sameSite: "strict", credentials };
  return { sameSite: safe && topLevel ? "lax" : "none", credentials };
}

/**
 * The fetch Response for a host response. `set-cookie` never reaches the browser (the jar took
 * it; a browser would drop it from a Service Worker's Response anyway). A header value the
 * Headers class refuses is dropped and reported rather than failing the whole response.
 */
export function toResponse(response: HostResponse, onBadHeader: (name: string, error: unknown) => void): Response {
  const pairs = response.headers.some(([name]) => name === "set-cookie") ? response.headers.filter(([name]) => name !== "set-cookie") : response.headers;
  try {
    // All at once when every header is valid (the usual case: one native call).
    return new Response(response.body, { status: response.status, headers: pairs });
  } catch {
    // A value Headers refuses: rebuilt one by one below, dropping and reporting the bad ones.
  }
  const headers = new Headers();
  for (const [name, value] of response.headers) {
    if (name === "set-cookie") continue;
    try {
      headers.append(name, value);
    } catch (error) {
      onBadHeader(name, error);
    }
  }
  return new Response(response.body, { status: response.status, headers });
}

/**
 * Dev: appends the live-reload client to HTML pages, after the app's last byte (so streaming
 * is untouched). Content-Length no longer holds and is dropped.
 */
export function withDevClient(response: HostResponse, scriptUrl: string): HostResponse {
  const type = response.headers.find(([name]) => name === "content-type")?.[1] ?? "";
  if (!response.body || !/^text\/html\b/i.test(type)) return response;
  const tag = new TextEncoder().encode(`\n<script type="module" src="${scriptUrl}"></script>\n`);
  return {
    ...response,
    headers: response.headers.filter(([name]) => name !== "content-length"),
    body: response.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        flush(controller) {
          controller.enqueue(tag);
        },
      }),
    ),
  };
}
