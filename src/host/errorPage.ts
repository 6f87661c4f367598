import type { Failure, FailureCode } from "../runner/protocol.ts";
import type { HostResponse } from "./protocol.ts";

const STATUS: Record<FailureCode, number> = {
  "load-error": 500,
  "startup-failed": 500,
  "app-exception": 500,
  "no-response": 500,
  timeout: 504,
  memory: 500,
  crashed: 500,
  "body-too-large": 413,
  "response-too-large": 500,
  quota: 507,
};

const REASON: Record<number, string> = { 413: "Content Too Large", 500: "Internal Server Error", 504: "Gateway Timeout", 507: "Insufficient Storage" };

export function failureStatus(failure: Failure): number {
  return STATUS[failure.code];
}

/**
 * The page shown when the app gave no response. In dev it carries the traceback; a built
 * site shows a plain page and leaves the details to the console log.
 */
export function errorPage(app: string, failure: Failure, options: { dev: boolean; head?: boolean }): HostResponse {
  const status = failureStatus(failure);
  const where = failure.file ? ` (${failure.file}${failure.line ? `, line ${failure.line}` : ""})` : "";
  // Runner messages start with the app's name (they are log lines too): say it once.
  const message = failure.message.startsWith(`${app}: `) ? failure.message.slice(app.length + 2) : failure.message;
  const details = options.dev && failure.traceback ? `<pre>${escapeHtml(failure.traceback)}</pre>` : "";
  const hint = options.dev ? "" : "<p>Details are in the browser console.</p>";
  const html =
    `<!doctype html><html><head><meta charset="utf-8"><title>${status} ${REASON[status] ?? ""}</title>` +
    `<style>body{font:15px system-ui,sans-serif;margin:2rem;max-width:60rem}pre{background:#f6f6f6;padding:1rem;overflow:auto}</style></head>` +
    `<body><h1>${status} ${REASON[status] ?? ""}</h1><p><b>${escapeHtml(app)}</b>: ${escapeHtml(message)}${escapeHtml(where)}</p>` +
    `${details}${hint}<p><small>swasgi · ${failure.code}</small></p></body></html>\n`;
  const bytes = new TextEncoder().encode(html);
  return {
    status,
    headers: [
      ["content-type", "text/html; charset=utf-8"],
      ["content-length", String(bytes.byteLength)],
      ["x-swasgi-error", failure.code],
    ],
    body: options.head ? null : new ReadableStream({ start: (c) => (c.enqueue(bytes), c.close()) }),
    done: Promise.resolve({ ok: false, bytes: 0, error: failure.message }),
  };
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
