// The floor: a module Service Worker that answers the app's exact responses (captured from
// the app through the swasgi host at build time) from memory. No Python: the physical limit
// of the Service Worker path. build/bench/floor/sw.js is this file with RESPONSES filled in.
const RESPONSES = /* RESPONSES */ {};

const decoded = new Map(
  Object.entries(RESPONSES).map(([path, r]) => [path, { ...r, bytes: Uint8Array.from(atob(r.body), (c) => c.charCodeAt(0)) }]),
);

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));
self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (!url.pathname.startsWith("/app/")) return;
  const r = decoded.get(url.pathname) ?? { status: 404, headers: [], bytes: new Uint8Array() };
  event.respondWith(new Response(r.bytes, { status: r.status, headers: r.headers }));
});
