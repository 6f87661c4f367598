/// <reference lib="webworker" />
// The Service Worker: listeners only; everything else is src/host (DESIGN.md). Static imports
// only: a Service Worker may not import() at run time (and sw.js is built as a classic script).
import { clientsClaim } from "workbox-core";
import { SwHost } from "./src/host/sw/swHost.ts";

declare const self: ServiceWorkerGlobalScope;

const host = new SwHost(self);

// A new version caches its files (a built site), then takes over at once and claims open
// pages: the runner lives here, and pages must never talk to an outdated worker.
self.addEventListener("install", (event) => event.waitUntil(host.install().then(() => self.skipWaiting())));
self.addEventListener("activate", (event) => event.waitUntil(host.activate()));
clientsClaim();

self.addEventListener("fetch", (event) => host.onFetch(event));
self.addEventListener("message", (event) => host.onMessage(event));
