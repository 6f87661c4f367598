import type { ClaimMessage } from "./protocol.ts";

/**
 * The page a server returns for a deep link into an app before the Service Worker is installed
 * (the dev server, a static host's 404.html): it registers the worker, waits until it controls
 * the page, and reloads, so the app then answers the same URL. Self-contained (inline script),
 * so it works at any depth of path. A guard in sessionStorage stops a reload loop when the
 * worker does not take the URL after all.
 *
 * With `mounts` (a built site's 404.html, served for every unknown path), an address under no
 * app says "not found" at once instead of installing the worker, and a site served under
 * another path than it was built for (`--base`) says so instead of failing quietly.
 * @example bootstrapHtml({ swUrl: "/repo/sw.js", scope: "/repo/", mounts: ["/repo/app/"] })
 */
export function bootstrapHtml({ swUrl, scope, mounts }: { swUrl: string; scope: string; mounts?: string[] }): string {
  const claim: ClaimMessage = { type: "swasgi:claim" };
  const script = `
const status = document.getElementById("status");
const key = "swasgi-bootstrap:" + location.pathname + location.search;
const last = Number(sessionStorage.getItem(key) || 0);
const scope = ${JSON.stringify(scope)};
const mounts = ${JSON.stringify(mounts ?? null)};
const covered = (mount) => location.pathname.startsWith(mount) || location.pathname === mount.slice(0, -1);
if (mounts && !location.pathname.startsWith(scope)) {
  document.title = "Not found";
  status.textContent = "This swasgi site was built for " + scope + " but is served at " + location.pathname + ": rebuild it with swasgi build --base matching the path it is served under.";
} else if (mounts && !mounts.some(covered)) {
  document.title = "Not found";
  status.textContent = "Not found: " + location.pathname + ". ";
  status.append(Object.assign(document.createElement("a"), { href: scope, textContent: "Go to the start page" }));
} else if (!("serviceWorker" in navigator)) {
  status.textContent = "This browser cannot run swasgi apps here: Service Workers need https:// or http://localhost.";
} else if (Date.now() - last < 10000) {
  sessionStorage.removeItem(key);
  status.textContent = "The swasgi Service Worker is active but did not serve this address. Is an app mounted here?";
} else {
  const sw = navigator.serviceWorker;
  const controlled = new Promise((resolve) => sw.controller ? resolve() : sw.addEventListener("controllerchange", resolve, { once: true }));
  sw.register(${JSON.stringify(swUrl)}, { scope: ${JSON.stringify(scope)} })
    .then(() => sw.ready)
    .then((registration) => new Promise((resolve) => {
      // The worker claims this page and re-reads its manifest, then answers.
      const channel = new MessageChannel();
      channel.port1.onmessage = resolve;
      (sw.controller || registration.active).postMessage(${JSON.stringify(claim)}, [channel.port2]);
      setTimeout(resolve, 10000);
    }))
    .then(() => Promise.race([controlled, new Promise((resolve) => setTimeout(resolve, 5000))]))
    .then(() => {
      sessionStorage.setItem(key, String(Date.now()));
      location.reload();
    }, (error) => {
      status.textContent = "Could not start the swasgi Service Worker: " + error;
    });
}`;
  return (
    `<!doctype html><html><head><meta charset="utf-8"><title>Loading…</title>` +
    `<meta name="viewport" content="width=device-width, initial-scale=1"></head>` +
    `<body style="font:15px system-ui,sans-serif;margin:2rem"><p id="status">Starting the app…</p>` +
    `<script type="module">${script}</script></body></html>\n`
  );
}
