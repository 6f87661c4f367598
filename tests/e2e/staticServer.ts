// A plain static file server for the built site, as GitHub Pages serves a project site: the
// folder under a path prefix, `/sub` redirected to `/sub/`, index.html for folders, and the
// folder's 404.html (status 404) for anything missing. It knows nothing of swasgi.
import { readFile, stat } from "node:fs/promises";
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { lookup } from "mrmime";

export interface StaticServer {
  /** The origin with a trailing slash, e.g. http://127.0.0.1:4321/ (the site is at `${url}sub/`). */
  url: string;
  /** Paths asked for, in order (with their query). */
  requests: string[];
  /** Down: every request is dropped (the connection closes without an answer), as when offline. */
  setDown(down: boolean): void;
  close(): Promise<void>;
}

/** Serves `dir` at `prefix` ("/" or "/sub/") on a free port of 127.0.0.1. */
export async function staticServer(dir: string, prefix = "/"): Promise<StaticServer> {
  const root = path.resolve(dir);
  const requests: string[] = [];
  let down = false;
  const server = createServer((req, res) => {
    requests.push(req.url ?? "");
    if (down) return req.socket.destroy();
    serve(req.url ?? "/", res).catch((error: unknown) => {
      res.writeHead(500, { "content-type": "text/plain" });
      res.end(String(error));
    });
  });

  async function serve(target: string, res: ServerResponse): Promise<void> {
    const { pathname } = new URL(target, "http://localhost");
    const decoded = decodeURIComponent(pathname);
    if (`${decoded}/` === prefix) return void res.writeHead(301, { location: prefix }).end();
    if (decoded.startsWith(prefix)) {
      const below = decoded.slice(prefix.length);
      const file = path.resolve(root, below.endsWith("/") || below === "" ? `${below}index.html` : below);
      if (file.startsWith(root)) {
        const info = await stat(file).catch(() => undefined);
        if (info?.isFile()) return send(res, 200, file);
      }
      const notFound = path.join(root, "404.html");
      if (await stat(notFound).catch(() => undefined)) return send(res, 404, notFound);
    }
    res.writeHead(404, { "content-type": "text/plain" });
    res.end("not found\n");
  }

  async function send(res: ServerResponse, status: number, file: string): Promise<void> {
    const body = await readFile(file);
    // GitHub Pages caches for ten minutes: the site must not depend on fresh answers.
    res.writeHead(status, { "content-type": lookup(file) ?? "application/octet-stream", "content-length": body.byteLength, "cache-control": "max-age=600" });
    res.end(body);
  }

  const port = await new Promise<number>((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)));
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    setDown(value) {
      down = value;
    },
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
