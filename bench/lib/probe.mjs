// Cold-start profile (BENCH_PROFILE=1): a copy of a system's sw.js with performance.now()
// marks around what a starting worker waits for (script evaluation, fetch and Cache Storage
// reads, IndexedDB opens, wasm compile and instantiate, the response to the page), read back
// through `/__probe`, laid on one time line with the page's fetch. The code under test is not
// changed: the probe only wraps the platform APIs it calls.
import fs from "node:fs";
import path from "node:path";
import { serveFolder } from "./server.mjs";
import { median } from "./stats.mjs";

const PROBE = String.raw`
const __probe = { marks: [] };
{
  const mark = (name, t0, t1 = t0) => __probe.marks.push([name, t0, t1]);
  mark("script evaluation starts", performance.now());
  const timed = (owner, key, label) => {
    const original = owner[key];
    if (typeof original !== "function") return;
    owner[key] = function (...args) {
      const t0 = performance.now();
      const result = original.apply(this, args);
      Promise.resolve(result).then(() => mark(label(args), t0, performance.now()), () => mark(label(args) + " (failed)", t0, performance.now()));
      return result;
    };
  };
  const where = (input) => String(input?.url ?? input).replace(self.location.origin, "");
  if (self.__probeCodeCache) {
    // Experiment: hand compileStreaming the network Response itself (URL and HTTP-cache entry
    // intact, so Chromium's wasm code cache applies) instead of a re-wrapped one.
    let stash;
    const fetch0 = self.fetch;
    self.fetch = async function (input, init) {
      const response = await fetch0.call(this, input, init);
      if (String(input?.url ?? input).endsWith(".wasm")) stash = response.clone();
      return response;
    };
    const compile0 = WebAssembly.compileStreaming;
    WebAssembly.compileStreaming = function (source) {
      if (stash) {
        const s = stash;
        stash = undefined;
        return Promise.resolve(source).then((r) => { r.body?.cancel?.(); return compile0.call(this, s); });
      }
      return compile0.call(this, source);
    };
  }
  timed(self, "fetch", (a) => "fetch " + where(a[0]));
  timed(Cache.prototype, "match", (a) => "cache match " + where(a[0]));
  timed(CacheStorage.prototype, "match", (a) => "caches.match " + where(a[0]));
  timed(CacheStorage.prototype, "open", (a) => "caches.open " + a[0]);
  // Reading a body is a wait of its own (Cache Storage hands bodies over as blobs).
  for (const key of ["arrayBuffer", "blob", "json", "text"]) {
    const original = Response.prototype[key];
    Response.prototype[key] = function (...args) {
      const t0 = performance.now();
      const result = original.apply(this, args);
      const label = "body " + key + " " + (this.url ? where(this.url) : "");
      const size = (value) => value?.byteLength ?? value?.size ?? value?.length;
      result.then((value) => mark(label + (size(value) === undefined ? "" : " " + size(value) + " B"), t0, performance.now()), () => mark(label + " (failed)", t0, performance.now()));
      return result;
    };
  }
  timed(WebAssembly, "compileStreaming", () => "WebAssembly.compileStreaming");
  timed(WebAssembly, "compile", () => "WebAssembly.compile");
  timed(WebAssembly, "instantiate", () => "WebAssembly.instantiate");
  const open = IDBFactory.prototype.open;
  IDBFactory.prototype.open = function (...args) {
    const t0 = performance.now();
    const request = open.apply(this, args);
    request.addEventListener("success", () => mark("indexedDB.open " + args[0], t0, performance.now()));
    return request;
  };
  const respondWith = FetchEvent.prototype.respondWith;
  FetchEvent.prototype.respondWith = function (response) {
    const t0 = performance.now();
    const path = new URL(this.request.url).pathname;
    Promise.resolve(response).then(() => mark("respondWith " + path + " (headers ready)", t0, performance.now()), () => {});
    return respondWith.call(this, response);
  };
  self.addEventListener("fetch", (event) => {
    const url = new URL(event.request.url);
    if (url.pathname === "/__probe") {
      event.stopImmediatePropagation();
      // The worker's own performance.mark()s (swasgi marks its boot phases) join the time line.
      const own = performance.getEntriesByType("mark").map((m) => [m.name, m.startTime, m.startTime]);
      performance.clearMarks();
      event.respondWith(new Response(JSON.stringify({ timeOrigin: performance.timeOrigin, marks: __probe.marks.splice(0).concat(own) })));
    } else mark("fetch event " + url.pathname, performance.now());
  });
}
`;
const EPILOGUE = `\n;__probe.marks.push(["script evaluation ends", performance.now(), performance.now()]);\n`;

/** Copies `system.dir` with the probe around its worker script; returns the copy's folder. */
function probedCopy(system, outDir, codeCache = false) {
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.cpSync(system.dir, outDir, { recursive: true });
  const file = path.join(outDir, system.sw);
  const source = fs.readFileSync(file, "utf8");
  // Static imports first (module workers hoist them anyway), the probe, the worker, the end mark.
  const imports = source.match(/^(\s*import[^;]+;)*/)?.[0] ?? "";
  fs.writeFileSync(file, imports + (codeCache ? "self.__probeCodeCache = true;\n" : "") + PROBE + source.slice(imports.length) + EPILOGUE);
  return outDir;
}

/**
 * Runs `runs` cold starts of `system` with the probe and returns, per mark, the median start and
 * end in ms since the page called fetch().
 */
export async function profileColdStart(browser, system, outDir, runs, log, { codeCache = false } = {}) {
  const dir = probedCopy(system, outDir, codeCache);
  const server = await serveFolder(dir);
  const context = await browser.newContext();
  const timelines = [];
  try {
    const page = await context.newPage();
    await page.goto(`${server.url}/bench.html?sw=${encodeURIComponent(system.sw)}&type=${system.type}`);
    const ready = await page.evaluate(() => window.ready);
    if (ready.error) throw new Error(ready.error);
    const cdp = await context.newCDPSession(page);
    await cdp.send("ServiceWorker.enable");
    for (let i = 0; i < runs; i++) {
      await cdp.send("ServiceWorker.stopAllWorkers");
      await new Promise((resolve) => setTimeout(resolve, 400));
      const timing = await page.evaluate(async () => {
        const t0 = performance.now();
        const response = await fetch("/app/");
        const reader = response.body.getReader();
        await reader.read();
        const t1 = performance.now();
        while (!(await reader.read()).done);
        const probe = await (await fetch("/__probe")).json();
        return { pageOrigin: performance.timeOrigin, t0, t1, probe };
      });
      const shift = timing.probe.timeOrigin - (timing.pageOrigin + timing.t0);
      const line = [["worker global scope created", shift, shift]];
      for (const [name, a, b] of timing.probe.marks) line.push([name, a + shift, b + shift]);
      line.push(["first byte at the page", timing.t1 - timing.t0, timing.t1 - timing.t0]);
      timelines.push(line);
    }
    await cdp.detach();
  } finally {
    await context.close();
    await server.close();
  }
  const names = [...new Set(timelines.flatMap((line) => line.map(([name]) => name)))];
  const rows = names.map((name) => {
    const hits = timelines.map((line) => line.find(([n]) => n === name)).filter(Boolean);
    return { name, start: median(hits.map((h) => h[1])), end: median(hits.map((h) => h[2])), seen: hits.length };
  });
  rows.sort((a, b) => a.start - b.start);
  log(`cold start profile of ${system.name} (median of ${runs}, ms since the page's fetch):`);
  for (const r of rows) log(`  ${r.start.toFixed(1).padStart(7)} → ${r.end.toFixed(1).padStart(7)}  (${(r.end - r.start).toFixed(1).padStart(6)})  ${r.name}${r.seen < runs ? ` [${r.seen}/${runs}]` : ""}`);
  return { runs, rows, timelines };
}
