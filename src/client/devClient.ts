// Dev only: the Service Worker appends this script to every HTML page of an app under
// `swasgi dev`. When the dev server says an app folder changed, it asks the Service Worker to
// reload that app's interpreter and refreshes this page if it belongs to that app.
import { registerSwasgi } from "./registerSwasgi.ts";

// This file is served from <base>__swasgi/dev.js: the site base is one folder up.
const base = new URL(/* @vite-ignore */ "../", import.meta.url);
const client = await registerSwasgi({ swUrl: new URL("sw.js", base) });

client.onLog((event) => {
  if (event.kind === "reload" && event.apps.some((app) => location.pathname.startsWith(app.mount) || location.pathname === app.mount.replace(/\/$/, ""))) {
    location.reload();
  }
});

const source = new EventSource(new URL("__swasgi/events", base));
source.addEventListener("change", () => {
  // Every open page hears this; the Service Worker reloads each app once and then broadcasts
  // the "reload" event that the listener above acts on.
  void client.sync().catch((error: unknown) => console.warn("swasgi dev:", error));
});
