#!/usr/bin/env node
// Which functions of the runtime keep their branch hints (wasm/trimBranchHints.mjs): those where
// Python spends its time. Run by hand after a change to the wasm passes (a unit test says when):
//   npm run build:wasm && npm run build:cli && node wasm/profileHints.mjs && npm run build:wasm
// It serves requests of the bench's CPU workloads (bytecode loops, calls, string building,
// JSON, dicts, sorting, allocation) with `swasgi request` under `node --cpu-prof`, adds up the
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
const profiles = path.join(dir, "profiles");

for (let run = 0; run < RUNS; run++) {
  const args = ["--cpu-prof", `--cpu-prof-dir=${profiles}`, path.join(ROOT, "bin/swasgi.js"), "request", dir, "/"];
  const out = execFileSync(process.execPath, args, { encoding: "utf8" });
  if (!/^HTTP\/1\.1 200/.test(out)) throw new Error(`the profiled app did not answer 200: ${out.slice(0, 400)}`);
}

const self = new Map();
for (const file of fs.readdirSync(profiles)) {
  const profile = JSON.parse(fs.readFileSync(path.join(profiles, file), "utf8"));
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  profile.samples.forEach((id, i) => {
    const match = /^wasm-function\[(\d+)\]$/.exec(nodes.get(id).callFrame.functionName);
    if (match) self.set(Number(match[1]), (self.get(Number(match[1])) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
}
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
