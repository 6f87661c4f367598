import { releaseProxy, type Remote, wrap } from "comlink";
import { type AppInfo, type ClaimMessage, type ConnectMessage, eventChannelName, type HostStatus, type SwasgiApi, type SwasgiEvent } from "./protocol.ts";

export interface RegisterOptions {
  /** URL of the built Service Worker (default "sw.js" beside the page). Its folder is the site base. */
  swUrl?: string | URL;
  /** Registration scope (default: the site base). */
  scope?: string;
  /** How long a call may wait for the Service Worker before it rejects (default 30 s). */
  timeoutMs?: number;
}

/** The page side of swasgi; every call wakes the Service Worker if the browser stopped it. */
export interface SwasgiClient {
  readonly registration: ServiceWorkerRegistration;
  /** The site base, e.g. "/" or "/sub/". */
  readonly base: string;
  apps(): Promise<AppInfo[]>;
  status(): Promise<HostStatus>;
  /** Downloads the runtime and boots every app (progress arrives as events). */
  warm(): Promise<HostStatus>;
  /** Re-reads the manifest and reloads changed apps; resolves with their names. */
  sync(): Promise<string[]>;
  recent(): Promise<SwasgiEvent[]>;
  /** Live events: request log, app output, notices, progress, reloads. Returns an unsubscribe. */
  onLog(callback: (event: SwasgiEvent) => void): () => void;
}

/**
 * Registers the swasgi Service Worker, waits until it controls this page, and returns the API.
 *
 * Calls go over comlink on a fresh MessageChannel each: the browser stops idle Service Workers,
 * and a port handed to a stopped worker is dead, while a new `postMessage` starts it again.
 * @example
 *   const swasgi = await registerSwasgi({ swUrl: "/sw.js" });
 *   for (const app of await swasgi.apps()) console.log(app.name, app.mount);
 *   swasgi.onLog((event) => event.kind === "request" && console.log(event.method, event.path, event.status));
 */
export async function registerSwasgi(options: RegisterOptions = {}): Promise<SwasgiClient> {
  if (!("serviceWorker" in navigator)) {
    throw new Error("swasgi: this browser has no Service Workers here (they need https:// or http://localhost, and no private mode in some browsers).");
  }
  const swUrl = new URL(options.swUrl ?? "sw.js", location.href);
  const base = new URL("./", swUrl).pathname;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const registration = await navigator.serviceWorker.register(swUrl, { scope: options.scope ?? base });
  await controlled(timeoutMs);

  const call = async <K extends keyof SwasgiApi>(method: K, ...args: Parameters<SwasgiApi[K]>): Promise<Awaited<ReturnType<SwasgiApi[K]>>> => {
    const worker = navigator.serviceWorker.controller ?? (await navigator.serviceWorker.ready).active;
    if (!worker) throw new Error("swasgi: no active Service Worker");
    const { port1, port2 } = new MessageChannel();
    worker.postMessage({ type: "swasgi:connect" } satisfies ConnectMessage, [port2]);
    const api: Remote<SwasgiApi> = wrap<SwasgiApi>(port1);
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const fn = api[method] as unknown as (...a: unknown[]) => Promise<Awaited<ReturnType<SwasgiApi[K]>>>;
      return await Promise.race([
        fn(...args),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`swasgi: the Service Worker did not answer ${method}() within ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
    } finally {
      clearTimeout(timer);
      api[releaseProxy]();
      port1.close();
    }
  };

  return {
    registration,
    base,
    apps: () => call("apps"),
    status: () => call("status"),
    warm: () => call("warm"),
    sync: () => call("sync"),
    recent: () => call("recent"),
    onLog(callback) {
      const channel = new BroadcastChannel(eventChannelName(base));
      // The Service Worker posts events in batches, as JSON (src/host/sw/swEvents.ts).
      channel.onmessage = (event: MessageEvent<string>) => {
        for (const item of JSON.parse(event.data) as SwasgiEvent[]) callback(item);
      };
      return () => channel.close();
    },
  };
}

/**
 * Resolves once a Service Worker controls this page. A first visit gets control when the new
 * worker activates and claims its clients; a hard reload (Shift+Reload) leaves the page
 * uncontrolled under an active worker, so it is asked to claim again.
 */
async function controlled(timeoutMs: number): Promise<void> {
  if (navigator.serviceWorker.controller) return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`swasgi: the Service Worker did not take control of this page within ${timeoutMs} ms`)),
      timeoutMs,
    );
    navigator.serviceWorker.addEventListener(
      "controllerchange",
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
    void navigator.serviceWorker.ready.then((registration) => {
      if (!navigator.serviceWorker.controller) registration.active?.postMessage({ type: "swasgi:claim" } satisfies ClaimMessage);
    });
  });
}
