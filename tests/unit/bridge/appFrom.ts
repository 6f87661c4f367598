import { AppHost } from "../../../src/host/appHost.ts";
import type { HostRequest, HostResponse } from "../../../src/host/protocol.ts";
import { appConfig } from "../../../src/runner/appConfig.ts";
import { AppRunner, type AppRunnerOptions, type LogEntry } from "../../../src/runner/appRunner.ts";
import { loadRuntimeNode } from "../../../src/runner/loadRuntimeNode.ts";
import type { AppConfig, AppSource } from "../../../src/runner/protocol.ts";

export interface TestApp {
  host: AppHost;
  runner: AppRunner;
  /** Everything the runner logged (app output and events). */
  logs: LogEntry[];
  /** `host.request` with defaults: GET, no headers, no body; the path is below the host root. */
  request(path: string, init?: Partial<Omit<HostRequest, "url">>): Promise<HostResponse>;
  /** Like `request`, then reads the whole body (rejects when the stream was aborted). */
  fetch(path: string, init?: Partial<Omit<HostRequest, "url">>): Promise<{ status: number; headers: [string, string][]; body: Uint8Array; text: string }>;
  close(): Promise<void>;
}

/**
 * Serves a one-file app given as Python source, the way the CLI and the Service Worker serve a
 * folder: `app.py` plus any extra files, mounted at `config.mount` (default "/").
 * @example
 *   const t = await appFrom(`async def app(scope, receive, send): ...`);
 *   const res = await t.fetch("/x");
 */
export async function appFrom(
  python: string,
  config: Partial<AppConfig> = {},
  options: Partial<AppRunnerOptions> & { extraFiles?: Record<string, string>; dev?: boolean } = {},
): Promise<TestApp> {
  const encode = (text: string) => new TextEncoder().encode(text);
  const files = new Map<string, Uint8Array>([["app.py", encode(dedent(python))]]);
  for (const [name, text] of Object.entries(options.extraFiles ?? {})) files.set(name, encode(text));
  const source: AppSource = { files, config: appConfig("t", files, { mount: "/", ...config }) };
  const logs: LogEntry[] = [];
  const { extraFiles: _files, ...runnerOptions } = options;
  const runner = new AppRunner(source, {
    runtime: await loadRuntimeNode(),
    dev: true,
    ...runnerOptions,
    onLog: (entry) => {
      logs.push(entry);
      options.onLog?.(entry);
    },
  });
  const host = new AppHost({ dev: options.dev ?? true });
  host.mount({ mount: source.config.mount, runner });
  const request = async (path: string, init: Partial<Omit<HostRequest, "url">> = {}): Promise<HostResponse> => {
    const response = await host.request({
      url: new URL(path, "http://localhost"),
      method: "GET",
      headers: [],
      body: null,
      ...init,
    });
    if (!response) throw new Error(`no app mounted for ${path}`);
    return response;
  };
  return {
    host,
    runner,
    logs,
    request,
    async fetch(path, init) {
      const response = await request(path, init);
      const body = new Uint8Array(await new Response(response.body).arrayBuffer());
      return { status: response.status, headers: response.headers, body, text: new TextDecoder().decode(body) };
    },
    close: () => runner.close(),
  };
}

/** Strips the common indentation of a template literal, so apps can be written inline. */
export function dedent(text: string): string {
  const lines = text.replace(/^\n/, "").split("\n");
  const indents = lines.filter((l) => l.trim()).map((l) => /^ */.exec(l)![0].length);
  const cut = Math.min(...indents, Infinity);
  return lines.map((l) => l.slice(Number.isFinite(cut) ? cut : 0)).join("\n");
}

/** A body stream that yields these chunks, one per pull. */
export function chunked(chunks: (string | Uint8Array)[]): ReadableStream<Uint8Array> {
  const queue = chunks.map((c) => (typeof c === "string" ? new TextEncoder().encode(c) : c));
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = queue.shift();
      if (next) controller.enqueue(next);
      else controller.close();
    },
  });
}

export function header(headers: [string, string][], name: string): string | undefined {
  return headers.find(([n]) => n === name)?.[1];
}

/** Polls `check` until it holds; rejects after `ms`. */
export async function waitFor(check: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Whether the app printed a line containing `text` (stdout or stderr). */
export function printed(t: TestApp, text: string): boolean {
  return t.logs.some((e) => e.kind === "output" && e.text.includes(text));
}
