// The Pyodide peer: a minimal Service Worker ASGI host on the `pyodide` npm package, running
// bench/app/app.py in CPython inside the Service Worker itself (a module Service Worker;
// Pyodide's loader takes `createPyodideModule`, so its wasm glue is a static import and no
// dynamic import() is needed, which Service Workers forbid).
// As swasgi's worker does, it loads its runtime on the first request after each start, from
// the HTTP cache once visited, and claims open pages when activated. The workload app
// (/work/, workloads.py) is fetched on its first request, so the /app/ figures do not pay for it.
import { loadPyodide } from "./pyodide.mjs";
import createPyodideModule from "./pyodide.asm.mjs";

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

const MOUNTS = ["/app", "/work"];
let handler;
let workloads;

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
    return { handle: py.pyimport("asgi_host").handle, py };
  })();
  return handler;
}

function loadWorkloads(py) {
  workloads ??= (async () => {
    py.FS.writeFile("/home/pyodide/workloads.py", await (await fetch(new URL("workloads.py", self.location.href))).text());
    // The import system caches directory listings; this file came after the first import.
    py.runPython("import importlib; importlib.invalidate_caches()");
  })();
  return workloads;
}

function mountOf(pathname) {
  return MOUNTS.find((mount) => pathname.startsWith(`${mount}/`));
}

async function serve(request) {
  const peer = await boot();
  const url = new URL(request.url);
  const mount = mountOf(url.pathname);
  if (mount === "/work") await loadWorkloads(peer.py);
  const below = url.pathname.slice(mount.length);
  const scope = JSON.stringify({
    method: request.method,
    scheme: url.protocol.slice(0, -1),
    path: decodeURIComponent(below),
    raw_path: below,
    query_string: url.search.slice(1),
    root_path: mount,
    headers: [...request.headers],
    server: [url.hostname, Number(url.port) || 80],
  });
  const body = request.method === "GET" || request.method === "HEAD" ? new Uint8Array() : new Uint8Array(await request.arrayBuffer());
  const result = await peer.handle(scope, body);
  const [status, headers, bytes] = result.toJs();
  result.destroy();
  return new Response(bytes, { status, headers });
}

self.addEventListener("fetch", (event) => {
  if (mountOf(new URL(event.request.url).pathname)) event.respondWith(serve(event.request));
});
