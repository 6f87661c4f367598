// A static file server for one benchmark system: node:http on 127.0.0.1, an ephemeral port,
// one folder. It caches as GitHub Pages does (`cache-control: max-age=600` and an ETag), so a
// restarted Service Worker finds its runtime in the HTTP cache, as it would on a real host.
// Pages are cross-origin isolated (COOP + COEP) only so that performance.now() in the harness
// page has microsecond resolution instead of Chromium's 100 µs clamp; every system gets the
// same headers, and all their traffic is same-origin.
import fs from "node:fs/promises";
import http from "node:http";
import path from "node:path";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".mjs": "text/javascript",
  ".json": "application/json",
  ".wasm": "application/wasm",
  ".zip": "application/zip",
  ".py": "text/x-python; charset=utf-8",
  ".css": "text/css",
};

/**
 * @param {string} root folder to serve
 * @returns {Promise<{ url: string, bytesServed: () => number, close: () => Promise<void> }>}
 */
export async function serveFolder(root) {
  let served = 0;
  const server = http.createServer(async (req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    const file = path.join(root, pathname.endsWith("/") ? `${pathname}index.html` : pathname);
    if (!file.startsWith(root)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const info = await fs.stat(file);
      if (!info.isFile()) throw new Error("not a file");
      const etag = `"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
      const headers = {
        "cache-control": "max-age=600",
        etag,
        "cross-origin-opener-policy": "same-origin",
        "cross-origin-embedder-policy": "require-corp",
      };
      if (req.headers["if-none-match"] === etag) {
        res.writeHead(304, headers).end();
        return;
      }
      const body = await fs.readFile(file);
      served += body.byteLength;
      res.writeHead(200, {
        ...headers,
        "content-type": TYPES[path.extname(file)] ?? "application/octet-stream",
        "content-length": body.byteLength,
      });
      res.end(req.method === "HEAD" ? undefined : body);
    } catch {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = /** @type {import("node:net").AddressInfo} */ (server.address());
  return {
    url: `http://127.0.0.1:${port}`,
    bytesServed: () => served,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
