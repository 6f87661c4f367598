// The Pyodide peer: a minimal Service Worker ASGI host on the `pyodide` npm package, running
// bench/app/app.py in CPython inside the Service Worker itself (a module Service Worker;
// Pyodide's loader takes `createPyodideModule`, so its wasm glue is a static import and no
// dynamic import() is needed, which Service Workers forbid).
// As swasgi's worker does, it loads its runtime on the first request after each start, from
// the HTTP cache once visited, and claims open pages when activated.
import { loadPyodide } from "./pyodide.mjs";
import createPyodideModule from "./pyodide.asm.mjs";

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

let handler;

function boot() {
  handler ??= (async () => {
    const py = await loadPyodide({
      indexURL: new URL("./", self.location.href).href,
      createPyodideModule,
      stdout: () => {},
      stderr: (line) => console.warn(line),
    });
    for (const file of ["app.py", "asgi_host.py"]) {
      py.FS.writeFile(`/home/pyodide/${file}`, await (await fetch(new URL(file, self.location.href))).text());
    }
    py.runPython("import sys; sys.path.insert(0, '/home/pyodide')");
    return py.pyimport("asgi_host").handle;
  })();
  return handler;
}

async function serve(request) {
  const handle = await boot();
  const url = new URL(request.url);
  const below = url.pathname.slice("/app".length);
  const scope = JSON.stringify({
    method: request.method,
    scheme: url.protocol.slice(0, -1),
    path: decodeURIComponent(below),
    raw_path: below,
    query_string: url.search.slice(1),
    root_path: "/app",
    headers: [...request.headers],
    server: [url.hostname, Number(url.port) || 80],
  });
  const body = request.method === "GET" || request.method === "HEAD" ? new Uint8Array() : new Uint8Array(await request.arrayBuffer());
  const result = await handle(scope, body);
  const [status, headers, bytes] = result.toJs();
  result.destroy();
  return new Response(bytes, { status, headers });
}

self.addEventListener("fetch", (event) => {
  if (new URL(event.request.url).pathname.startsWith("/app/")) event.respondWith(serve(event.request));
});
