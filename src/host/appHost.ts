import type { AppRunner } from "../runner/appRunner.ts";
import type { AppConfig, Failure } from "../runner/protocol.ts";
import { buildScope } from "./buildScope.ts";
import { errorPage } from "./errorPage.ts";
import type { HostRequest, HostResponse } from "./protocol.ts";

/** Per-app additions a host may plug in: the Service Worker's cookie jar, say. */
export interface AppHooks {
  /** Extra request headers (a `cookie` header from the jar); they replace same-named ones. */
  requestHeaders?(url: URL, request: HostRequest): Promise<[string, string][]>;
  /** Sees the response headers first (stores `set-cookie`); returns the headers to pass on. */
  responseHeaders?(url: URL, headers: [string, string][], request: HostRequest): Promise<[string, string][]>;
}

export interface MountedApp {
  mount: string;
  runner: AppRunner;
  hooks?: AppHooks;
}

export interface AppHostOptions {
  /** Error pages show tracebacks. */
  dev: boolean;
  /** Sees every failure that became an error page (a built site logs it to the console). */
  onFailure?(app: string, failure: Failure, request: HostRequest): void;
}

/**
 * The host core: routes a request to the app mounted at the longest matching prefix, builds
 * the scope, and returns the app's response or an error page. Knows no adapter.
 */
export class AppHost {
  #apps: MountedApp[] = [];

  constructor(private readonly options: AppHostOptions) {}

  mount(app: MountedApp): void {
    this.unmount(app.mount);
    this.#apps.push(app);
    this.#apps.sort((a, b) => b.mount.length - a.mount.length);
  }

  unmount(mount: string): MountedApp | undefined {
    const index = this.#apps.findIndex((app) => app.mount === mount);
    return index >= 0 ? this.#apps.splice(index, 1)[0] : undefined;
  }

  get apps(): readonly MountedApp[] {
    return this.#apps;
  }

  /** The app whose mount covers this path ("/app" counts for "/app/"). */
  route(pathname: string): MountedApp | undefined {
    return this.#apps.find((app) => pathname.startsWith(app.mount) || pathname === app.mount.replace(/\/$/, ""));
  }

  /**
   * Serves one request; undefined when no app is mounted there.
   * @example const res = await host.request({ url: new URL("http://x/app/"), method: "GET", headers: [], body: null });
   */
  async request(request: HostRequest): Promise<HostResponse | undefined> {
    const app = this.route(request.url.pathname);
    if (!app) return undefined;
    const headers = [...request.headers];
    if (app.hooks?.requestHeaders) {
      const extra = await app.hooks.requestHeaders(request.url, request);
      for (const [name, value] of extra) {
        const i = headers.findIndex(([n]) => n.toLowerCase() === name.toLowerCase());
        if (i >= 0) headers.splice(i, 1);
        headers.push([name, value]);
      }
    }
    const scope = buildScope({ url: request.url, method: request.method, headers, mount: app.mount });
    const head = request.method.toUpperCase() === "HEAD";
    const contentLength = Number(headers.find(([n]) => n.toLowerCase() === "content-length")?.[1] ?? NaN);
    if (contentLength > app.runner.config.maxBodyBytes) {
      return errorPage(app.runner.config.name, {
        code: "body-too-large",
        message: `The request body (${contentLength} bytes) is larger than this app accepts (maxBodyBytes ${app.runner.config.maxBodyBytes}).`,
      }, { dev: this.options.dev, head });
    }
    const reply = await app.runner.request({ scope, body: request.body, signal: request.signal });
    if (reply.kind === "failure") {
      const failure = nameLimit(reply.failure, app.runner.config);
      this.options.onFailure?.(app.runner.config.name, failure, request);
      return errorPage(app.runner.config.name, failure, { dev: this.options.dev, head });
    }
    let responseHeaders = rebaseLocation(reply.headers, scope.root_path);
    if (app.hooks?.responseHeaders) responseHeaders = await app.hooks.responseHeaders(request.url, responseHeaders, request);
    // The runner already drops the body of these (RequestCycle.start); cancelling the stream
    // here would tell the app the client left while it may still be sending.
    const nullBody = head || reply.status < 200 || reply.status === 204 || reply.status === 205 || reply.status === 304;
    return {
      status: reply.status,
      headers: responseHeaders,
      body: nullBody ? null : reply.body,
      done: reply.done.then((outcome) => ({ ok: outcome.ok, bytes: outcome.bytes, error: outcome.failure?.message })),
    };
  }
}

/**
 * An app mounted at /app/ that redirects to "/done" means its own "/done": MicroPython
 * frameworks route on `path` and rarely know `root_path`. Locations already under the mount,
 * relative ones and absolute URLs are left alone.
 */
export function rebaseLocation(headers: [string, string][], rootPath: string): [string, string][] {
  if (!rootPath) return headers;
  return headers.map(([name, value]) => {
    if (name !== "location" || !value.startsWith("/") || value.startsWith("//")) return [name, value];
    if (value === rootPath || value.startsWith(`${rootPath}/`) || value.startsWith(`${rootPath}?`)) return [name, value];
    return [name, rootPath + value];
  });
}

/** A 504 or a memory failure says which limit was hit and where to raise it. */
export function nameLimit(failure: Failure, config: AppConfig): Failure {
  const hint =
    failure.code === "timeout" && !failure.message.includes(`${config.timeoutMs} ms`)
      ? ` The limit is ${config.timeoutMs} ms of CPU time per run ("timeoutMs" in swasgi.json).`
      : failure.code === "memory" && !failure.message.includes(`${config.memoryMb} MB`)
        ? ` The cap is ${config.memoryMb} MB ("memoryMb" in swasgi.json).`
        : "";
  return hint ? { ...failure, message: failure.message + hint } : failure;
}
