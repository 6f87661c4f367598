#!/usr/bin/env node
// The request targets of issue 11, measured as a user meets them: `swasgi request` on an app at
// the default limits (64 MB, 5 s), each run a fresh process and interpreter. The app is
// bench/workloads/workloads.py (the bench's own workload code) behind a route that times one
// call with time.perf_counter (1 ms resolution here) and answers the milliseconds.
//   node bench/requestTargets.mjs [runs]     (default 9; sizes interleaved, medians printed)
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const runs = Number(process.argv[2] ?? 9);

const APP = `import time
import workloads as w


def deep(n):
    return 0 if n == 0 else 1 + deep(n - 1)


ROUTES = {
    "/concat": lambda n: w.table_concat(n),
    "/throw": lambda n: w.throwaway(n, 1000),
    "/dict": lambda n: w.dict_keys(n),
    "/json": lambda n: w.json_round_trip(n),
    "/deep": lambda n: deep(n),
}


async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    query = dict(pair.split("=") for pair in scope["query_string"].decode().split("&"))
    n, reps = int(query["n"]), int(query.get("reps", "1"))
    t = time.perf_counter()
    for _ in range(reps):
        ROUTES[scope["path"]](n)
    ms = (time.perf_counter() - t) * 1000 / reps
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
    await send({"type": "http.response.body", "body": b"%.1f" % ms})
`;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "swasgi-targets-"));
fs.writeFileSync(path.join(dir, "app.py"), APP);
fs.copyFileSync(path.join(ROOT, "bench/workloads/workloads.py"), path.join(dir, "workloads.py"));

/** Milliseconds one request took inside Python; throws with the answer if it was not a 200. */
function request(url) {
  const out = execFileSync(process.execPath, [path.join(ROOT, "bin/swasgi.js"), "request", dir, url], { encoding: "utf8" });
  const [head, body] = out.split(/\r?\n\r?\n/);
  if (!/^HTTP\/1\.1 200/.test(head)) throw new Error(`${url}: ${out.slice(0, 400)}`);
  return Number(body.trim());
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const cases = [
  ["20,000-row table by +=", "/concat?n=20000"],
  ["1,000,000 throwaway 1 KB strings", "/throw?n=1000000"],
  ["json.dumps + loads of 10,000 dicts", "/json?n=10000"],
  ["recursion 1,000 calls deep", "/deep?n=1000"],
  // Ten dicts in one request, timed together: one takes about 10 ms, and the clock ticks in ms.
  ["dict of 10,000 string keys", "/dict?n=10000&reps=10"],
  ["dict of 100,000 string keys", "/dict?n=100000"],
];
const times = new Map(cases.map(([name]) => [name, []]));
try {
  for (let i = 0; i < runs; i++) for (const [name, url] of cases) times.get(name).push(request(url));
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
for (const [name, ms] of times) console.log(`${name.padEnd(36)} median ${String(median(ms)).padStart(5)} ms  (${ms.join(", ")})`);
const ratio = median(times.get("dict of 100,000 string keys")) / median(times.get("dict of 10,000 string keys"));
console.log(`dict 100,000 / 10,000 keys: ${ratio.toFixed(1)}x (target 12x); medians of ${runs} runs (the 10,000-key time is a mean of 10 in one request)`);
