/**
 * The Node half of the benchmark, bundled by bench/lib/build.mjs into build/bench/node.mjs:
 * fuel overhead with the real Interpreter in Node, the app's responses through the real host
 * (AppHost.request), which the floor Service Worker then answers from memory, and the app
 * packed for the built site.
 */
import { loadDevApp } from "../../src/cli/devApps.ts";
import { AppHost } from "../../src/host/appHost.ts";
import type { SiteManifest } from "../../src/host/manifest.ts";
import { appConfig } from "../../src/runner/appConfig.ts";
import { AppRunner } from "../../src/runner/appRunner.ts";
import { loadRuntimeNode } from "../../src/runner/loadRuntimeNode.ts";
import { measureFuel, type FuelResult } from "./fuelWorkload.ts";

export async function fuelNode(reps: number): Promise<FuelResult> {
  return measureFuel(await loadRuntimeNode("instrumented"), await loadRuntimeNode("original"), reps);
}

export interface CapturedResponse {
  status: number;
  headers: [string, string][];
  /** base64 */
  body: string;
}

/** Runs each path through the app once (mounted at /app/) and returns the responses. */
export async function captureResponses(appPy: string, paths: string[]): Promise<Record<string, CapturedResponse>> {
  const files = new Map([["app.py", new TextEncoder().encode(appPy)]]);
  const runner = new AppRunner({ files, config: appConfig("bench", files, { mount: "/app/" }) }, { runtime: await loadRuntimeNode() });
  const host = new AppHost({ dev: false });
  host.mount({ mount: "/app/", runner });
  const out: Record<string, CapturedResponse> = {};
  for (const path of paths) {
    const reply = await host.request({ url: new URL(path, "http://127.0.0.1"), method: "GET", headers: [["host", "127.0.0.1"]], body: null });
    if (!reply) throw new Error(`no app at ${path}`);
    const body = reply.body ? new Uint8Array(await new Response(reply.body).arrayBuffer()) : new Uint8Array();
    out[path] = { status: reply.status, headers: reply.headers, body: Buffer.from(body).toString("base64") };
  }
  await runner.close();
  return out;
}

/**
 * The app as a built site carries it: the zip the Service Worker fetches and the manifest
 * that mounts it (`swasgi-apps.json`), made by the same code as `swasgi dev`.
 */
export async function siteApp(appDir: string, mount: string): Promise<{ manifest: SiteManifest; bundlePath: string; bundle: Uint8Array }> {
  const app = await loadDevApp({ dir: appDir, mount });
  return { manifest: { dev: false, apps: [app.entry] }, bundlePath: app.entry.bundle.replace(/\?.*$/, ""), bundle: app.bundle };
}
