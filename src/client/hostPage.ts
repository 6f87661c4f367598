// The host page (index.html): lists the mounted apps, shows the runtime booting, and follows
// the request log and the apps' output live.
import { HostPageView } from "./hostPageView.ts";
import type { SwasgiEvent } from "./protocol.ts";
import { registerSwasgi } from "./registerSwasgi.ts";

const view = new HostPageView();

async function main(): Promise<void> {
  const client = await registerSwasgi({ swUrl: new URL("sw.js", location.href) });
  view.setWorkerState("Service Worker active");
  const show = (event: SwasgiEvent) => {
    if (event.kind === "request") view.request(event);
    else if (event.kind === "output") view.output(event);
    else if (event.kind === "notice") view.notice(event);
    else if (event.kind === "progress") {
      view.progress(event.status);
      view.apps(event.status.apps);
    } else if (event.kind === "reload") void client.apps().then((apps) => view.apps(apps));
    else if (event.kind === "updated") {
      view.updated(event);
      void client.apps().then((apps) => view.apps(apps));
    }
  };
  // Live events that arrive while the backlog loads are held, then shown unless the backlog
  // already had them.
  let held: SwasgiEvent[] | undefined = [];
  client.onLog((event) => (held ? held.push(event) : show(event)));
  const backlog = await client.recent();
  const known = new Set(backlog.map((event) => JSON.stringify(event)));
  for (const event of backlog) show(event);
  for (const event of held) if (!known.has(JSON.stringify(event))) show(event);
  held = undefined;
  const status = await client.status();
  view.setDev(status.dev);
  view.setBuild(status.build);
  view.progress(status);
  view.apps(await client.apps());
  if (status.dev) {
    new EventSource(new URL("__swasgi/events", new URL(client.base, location.href))).addEventListener("change", () => {
      void client.sync().then(async () => view.apps(await client.apps()));
    });
  }
  const warm = await client.warm();
  view.progress(warm);
  view.apps(warm.apps);
}

main().catch((error: unknown) => {
  view.setWorkerState("not running");
  view.notice({ kind: "notice", app: "", level: "error", message: String((error as Error)?.message ?? error), at: Date.now() });
});
