#!/usr/bin/env node
// Which functions of the runtime keep their branch hints (wasm/trimBranchHints.mjs): those where
// Python spends its time. Run by hand after a change to the wasm passes (a unit test says when):
//   npm run build:wasm && npm run build:cli && node wasm/profileHints.mjs && npm run build:wasm
// It serves requests of the bench's CPU workloads (bytecode loops, calls, string building,
// JSON, dicts, sorting, allocation, SQLite inserts) with `swasgi request` under `node --cpu-prof`, adds up the
// time each wasm function spends itself, and writes the functions that make up COVER of it to
// wasm/hotFunctions.json, with the fingerprint of the code they were measured on.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { codeFingerprint } from "./trimBranchHints.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const COVER = 0.97;
const RUNS = 5;

const APP = `import workloads as w
from fuel import fib, loop, strings


async def app(scope, receive, send):
    if scope["path"] == "/sqlite":
        w.sqlite_insert(5000)
    else:
        loop(300000)
        fib(21)
        strings(20000)
        w.table_concat(5000)
        w.table_join(5000)
        w.json_round_trip(5000)
        w.dict_keys(50000)
        w.sort_strings(50000)
        w.throwaway(200000, 1000)
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"ok"})
`;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "swasgi-hints-"));
fs.writeFileSync(path.join(dir, "app.py"), APP);
fs.copyFileSync(path.join(ROOT, "bench/workloads/workloads.py"), path.join(dir, "workloads.py"));
fs.copyFileSync(path.join(ROOT, "bench/workloads/fuel.py"), path.join(dir, "fuel.py"));
fs.writeFileSync(path.join(dir, "swasgi.json"), JSON.stringify({ timeoutMs: 60000, memoryMb: 256 }));

/** Profiles of RUNS requests of `target`: wasm function → its own time, per module (by URL). */
function profile(target) {
  const out = path.join(dir, `profiles${target.replace(/\//g, "-")}`);
  for (let run = 0; run < RUNS; run++) {
    const args = ["--cpu-prof", `--cpu-prof-dir=${out}`, path.join(ROOT, "bin/swasgi.js"), "request", dir, target];
    const answer = execFileSync(process.execPath, args, { encoding: "utf8" });
    if (!/^HTTP\/1\.1 200/.test(answer)) throw new Error(`the profiled app did not answer 200: ${answer.slice(0, 400)}`);
  }
  const modules = new Map();
  for (const file of fs.readdirSync(out)) {
    const profile = JSON.parse(fs.readFileSync(path.join(out, file), "utf8"));
    const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
    profile.samples.forEach((id, i) => {
      const frame = nodes.get(id).callFrame;
      const match = /^wasm-function\[(\d+)\]$/.exec(frame.functionName);
      if (!match) return;
      if (!modules.has(frame.url)) modules.set(frame.url, new Map());
      const self = modules.get(frame.url);
      self.set(Number(match[1]), (self.get(Number(match[1])) ?? 0) + (profile.timeDeltas[i] ?? 0));
    });
  }
  return modules;
}

// MicroPython's module is where the CPU workloads spend their wasm time (the SQLite engine's,
// instantiated for an app that imports sqlite3, idles there); V8 names a module by a hash of
// its bytes, which picks the same module out of the SQLite workload's profile.
const cpu = profile("/");
const sum = (times) => [...times.values()].reduce((a, b) => a + b, 0);
const [[url, self]] = [...cpu].sort((a, b) => sum(b[1]) - sum(a[1]));
if (sum(self) < 0.9 * [...cpu.values()].reduce((a, times) => a + sum(times), 0)) throw new Error("no wasm module dominates the CPU workloads' profile");
for (const [index, time] of profile("/sqlite").get(url) ?? []) self.set(index, (self.get(index) ?? 0) + time);
const total = [...self.values()].reduce((sum, t) => sum + t, 0);
const functions = [];
let covered = 0;
for (const [index, time] of [...self].sort((a, b) => b[1] - a[1])) {
  if (covered >= COVER * total) break;
  functions.push(index);
  covered += time;
}
const wasm = fs.readFileSync(path.join(ROOT, "build/runtime/micropython.wasm"));
const out = {
  about: "Functions of build/runtime/micropython.wasm that keep their branch hints; written by wasm/profileHints.mjs",
  code: codeFingerprint(wasm),
  cover: `${Math.round((100 * covered) / total)} % of the wasm's own time in the profiled workloads`,
  functions: functions.sort((a, b) => a - b),
};
fs.writeFileSync(path.join(ROOT, "wasm/hotFunctions.json"), JSON.stringify(out, null, 1) + "\n");
fs.rmSync(dir, { recursive: true, force: true });
console.log(`wasm/hotFunctions.json: ${functions.length} functions, ${out.cover}`);
