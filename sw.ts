/// <reference lib="webworker" />
// The Service Worker: listeners only; everything else is src/host (DESIGN.md). Static imports
// only: a module Service Worker may not import() at run time.
import { clientsClaim } from "workbox-core";
import { SwHost } from "./src/host/sw/swHost.ts";

declare const self: ServiceWorkerGlobalScope;

const host = new SwHost(self);

// A new version takes over at once and claims open pages: the runner lives here, and pages
// must never talk to an outdated worker.
self.addEventListener("install", (event) => event.waitUntil(self.skipWaiting()));
clientsClaim();

self.addEventListener("fetch", (event) => host.onFetch(event));
self.addEventListener("message", (event) => host.onMessage(event));
