import { escapeHtml } from "../errorPage.ts";

/**
 * 503 for when the host itself cannot serve (manifest or runtime did not load): the app never
 * ran, so this is not one of the app error pages of src/host/errorPage.ts.
 */
export function unavailablePage(message: string, head: boolean): Response {
  const html =
    `<!doctype html><html><head><meta charset="utf-8"><title>503 Service Unavailable</title></head>` +
    `<body style="font:15px system-ui,sans-serif;margin:2rem"><h1>503 Service Unavailable</h1>` +
    `<p>${escapeHtml(message)}</p><p>Reload to try again.</p><p><small>swasgi</small></p></body></html>\n`;
  return new Response(head ? null : html, {
    status: 503,
    headers: { "content-type": "text/html; charset=utf-8", "retry-after": "1", "x-swasgi-error": "unavailable" },
  });
}
