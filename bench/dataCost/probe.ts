// Host time of a request that changes nothing in /data, with /data empty and with 10,000
// files (50 MB): issue 10's target is at most 1 ms more. Run by bench/dataCost/run.mjs.
import { AppHost } from "../../src/host/appHost.ts";
import { AppRunner } from "../../src/runner/appRunner.ts";
import { appConfig } from "../../src/runner/appConfig.ts";
import { loadRuntimeNode } from "../../src/runner/loadRuntimeNode.ts";
import { type DataStore, MemoryStore, type StoredTree } from "../../src/store/protocol.ts";

const APP = `
async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    if scope["path"] == "/touch":
        with open("/data/d0/f0", "r+b") as f:
            f.write(b"x")
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"ok"})
`;

/** A store whose first load is `tree`. */
class Prefilled extends MemoryStore {
  constructor(private readonly tree: StoredTree) {
    super();
  }
  override async load(): Promise<StoredTree> {
    return this.tree;
  }
}

function tree(files: number, bytesEach: number): StoredTree {
  const out: StoredTree = new Map();
  for (let i = 0; i < files; i++) {
    const dir = `d${i % 100}`;
    if (!out.has(dir)) out.set(dir, { kind: "dir" });
    out.set(`${dir}/f${Math.floor(i / 100)}`, { kind: "file", bytes: new Uint8Array(bytesEach).fill(i & 255) });
  }
  return out;
}

async function serve(store: DataStore) {
  const files = new Map([["app.py", new TextEncoder().encode(APP)]]);
  const t0 = performance.now();
  const runner = new AppRunner({ files, config: appConfig("cost", files, { mount: "/" }) }, { runtime: await loadRuntimeNode(), store });
  await runner.start();
  const bootMs = performance.now() - t0;
  const host = new AppHost({ dev: false });
  host.mount({ mount: "/", runner });
  const get = async (path: string) => {
    const res = (await host.request({ url: new URL(path, "http://localhost"), method: "GET", headers: [], body: null }))!;
    await new Response(res.body).arrayBuffer();
    await res.done;
    if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
  };
  return { runner, get, bootMs };
}

/** Median and 90th percentile of `n` timed calls, after `warm` untimed ones. */
async function time(fn: () => Promise<void>, n = 400, warm = 100): Promise<{ p50: number; p90: number }> {
  for (let i = 0; i < warm; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    samples.push(performance.now() - t);
  }
  samples.sort((a, b) => a - b);
  return { p50: samples[Math.floor(n / 2)], p90: samples[Math.floor(n * 0.9)] };
}

export async function main(): Promise<void> {
  const round = (x: number) => Math.round(x * 1000) / 1000;
  const results: Record<string, unknown> = {};
  const empty = await serve(new MemoryStore());
  const full = await serve(new Prefilled(tree(10_000, 5 * 1024)));
  results.bootMs = { empty: Math.round(empty.bootMs), full: Math.round(full.bootMs) };
  // Alternate, so that both see the same machine load.
  const rounds: { empty: number; full: number; touch: number }[] = [];
  for (let r = 0; r < 5; r++) {
    const a = await time(() => empty.get("/"));
    const b = await time(() => full.get("/"));
    const c = await time(() => full.get("/touch"));
    rounds.push({ empty: a.p50, full: b.p50, touch: c.p50 });
  }
  const median = (key: "empty" | "full" | "touch") => rounds.map((r) => r[key]).sort((x, y) => x - y)[2];
  results.requestMsP50 = { emptyData: round(median("empty")), tenThousandFiles50MB: round(median("full")), oneByteWrittenOf50MB: round(median("touch")) };
  results.differenceMs = round(median("full") - median("empty"));
  results.rounds = rounds.map((r) => ({ empty: round(r.empty), full: round(r.full), touch: round(r.touch) }));
  console.log(JSON.stringify(results, null, 2));
  await empty.runner.close();
  await full.runner.close();
}
