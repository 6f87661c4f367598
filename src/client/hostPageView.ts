import type { AppInfo, HostStatus, NoticeEvent, OutputEvent, RequestEvent, UpdatedEvent } from "./protocol.ts";

const MAX_ROWS = 500;

/** The host page's DOM (index.html): pure rendering, no Service Worker calls. */
export class HostPageView {
  readonly #el = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

  setWorkerState(text: string): void {
    this.#el("sw-state").textContent = text;
  }

  setDev(dev: boolean): void {
    this.#el("mode").hidden = !dev;
  }

  /** A built site's build id in the header (short, the full id on hover). */
  setBuild(build: string | undefined): void {
    const el = this.#el("build");
    el.hidden = !build;
    el.textContent = build ? `build ${build.slice(0, 12)}` : "";
    el.title = build ?? "";
  }

  /** A new build took over: say so in the header and the output. */
  updated(event: UpdatedEvent): void {
    this.setBuild(event.build);
    const apps = event.apps.length ? ` (${event.apps.join(", ")} changed)` : "";
    this.#el("updated").hidden = false;
    this.#el("updated").textContent = `Updated to build ${event.build.slice(0, 12)}${apps}`;
    this.notice({ kind: "notice", app: "", level: "info", message: `swasgi: updated to build ${event.build}${apps}; /data and cookies are kept`, at: event.at });
  }

  /** The progress bar: download (0–70 %), compile, then one step per app booted. */
  progress(status: HostStatus): void {
    const bar = this.#el<HTMLProgressElement>("boot-bar");
    const text = this.#el("boot-text");
    const { runtime, apps } = status;
    const booted = apps.filter((app) => app.state === "ready" || app.state === "failed").length;
    const booting = apps.find((app) => app.state === "booting");
    let value = 0;
    let label = "Waiting for the Service Worker…";
    if (runtime.phase === "downloading") {
      value = runtime.total ? (0.7 * runtime.loaded) / runtime.total : 0.1;
      label = `Downloading the Python runtime… ${kb(runtime.loaded)}${runtime.total ? ` / ${kb(runtime.total)}` : ""}`;
    } else if (runtime.phase === "compiling") {
      value = 0.75;
      label = "Compiling the Python runtime…";
    } else if (runtime.phase === "ready") {
      value = 0.8 + (0.2 * booted) / Math.max(1, apps.length);
      label = booting
        ? `Starting ${booting.name}…`
        : apps.length && booted === apps.length
          ? `Ready: ${apps.length} app${apps.length === 1 ? "" : "s"} running`
          : "Runtime ready";
    } else if (runtime.phase === "failed") {
      label = `The runtime could not be loaded: ${runtime.error ?? "unknown error"}`;
    }
    bar.value = value;
    text.textContent = label;
    // No apps yet means the manifest is still on its way, not that there is nothing to boot.
    this.#el("boot").classList.toggle("done", runtime.phase === "ready" && apps.length > 0 && booted === apps.length && !booting);
    this.#el("boot").classList.toggle("failed", runtime.phase === "failed");
  }

  apps(apps: AppInfo[]): void {
    const list = this.#el("apps");
    list.replaceChildren();
    if (!apps.length) list.append(h("li", { class: "empty" }, "No apps are mounted. Start `swasgi dev APP_DIR`."));
    for (const app of apps) {
      list.append(
        h(
          "li",
          { "data-app": app.name },
          h("a", { href: app.mount }, app.name),
          h("span", { class: "mono" }, app.mount),
          h("span", { class: `state ${app.state}` }, app.state === "failed" ? `failed: ${app.error ?? ""}` : app.state),
          h("span", { class: "state mono", title: "version" }, app.version.slice(0, 8)),
          h("span", { class: "state" }, `${app.timeoutMs} ms · ${app.memoryMb} MB`),
        ),
      );
    }
  }

  request(event: RequestEvent): void {
    this.#el("log-empty").hidden = true;
    const body = this.#el("log");
    const row = h(
      "tr",
      { class: event.error || event.status >= 500 ? "error" : "", title: event.error ?? "" },
      h("td", { class: "mono" }, time(event.at)),
      h("td", {}, event.app),
      h("td", { class: "mono" }, event.method),
      h("td", { class: "mono path" }, event.path),
      h("td", { class: `num mono status-${String(event.status)[0]}` }, String(event.status)),
      h("td", { class: "num mono" }, String(event.ms)),
    );
    body.append(row);
    while (body.children.length > MAX_ROWS) body.firstElementChild?.remove();
    scrollToEnd(this.#el("log-wrap"));
  }

  output(event: OutputEvent): void {
    this.#line(h("div", { class: `line ${event.stream}` }, h("span", { class: "app-tag" }, `[${event.app}] `), event.text));
  }

  notice(event: NoticeEvent): void {
    const head = `${event.level === "error" ? "✖ " : event.level === "warn" ? "⚠ " : ""}${event.message}`;
    const line = event.detail
      ? h("details", { class: `line notice ${event.level}`, open: event.level === "error" ? "" : undefined }, h("summary", {}, head), h("pre", {}, event.detail))
      : h("div", { class: `line notice ${event.level}` }, head);
    this.#line(line);
  }

  #line(line: HTMLElement): void {
    this.#el("output-empty").hidden = true;
    const output = this.#el("output");
    output.append(line);
    while (output.children.length > MAX_ROWS) output.firstElementChild?.remove();
    scrollToEnd(output);
  }
}

function h(tag: string, attributes: Record<string, string | undefined>, ...children: (Node | string)[]): HTMLElement {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) if (value !== undefined) element.setAttribute(name, value);
  element.append(...children);
  return element;
}

const kb = (bytes: number) => `${Math.round(bytes / 1024)} KB`;
const time = (at: number) => new Date(at).toLocaleTimeString([], { hour12: false });

function scrollToEnd(element: HTMLElement): void {
  element.scrollTop = element.scrollHeight;
}
