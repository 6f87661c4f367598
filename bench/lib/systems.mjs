// The three systems under test. Each is a folder served on its own origin, with a Service
// Worker (`sw`, registered with `type`) that answers under /app/, and the files a visitor
// downloads for its runtime (`runtimeFiles`, counted gzip -9).
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { buildFloor, buildPyodide, buildSwasgiSite, ROOT } from "./build.mjs";

/** swasgi: the site `swasgi build` writes, serving the bench app at /app/. */
export async function swasgiSystem(node, log) {
  const { dir, kind } = await buildSwasgiSite(node, log);
  return { name: "swasgi", kind, dir, sw: "sw.js", type: "classic", runtimeFiles: ["sw.js", "micropython.wasm"] };
}

/** swasgi serving the workload app (bench/workloads) at /work/, a site of its own. */
export async function swasgiWorkloadSystem(node, log) {
  const { dir, kind } = await buildSwasgiSite(node, log, "swasgi-workloads", [["bench/workloads", "/work/"]]);
  return { name: "swasgi", kind, dir, sw: "sw.js", type: "classic" };
}

export function floorSystem(responses) {
  const dir = buildFloor(responses);
  return { name: "floor", kind: "answers from memory", dir, sw: "sw.js", type: "module", runtimeFiles: ["sw.js"] };
}

export function pyodideSystem() {
  const dir = buildPyodide();
  return {
    name: "pyodide",
    kind: "Pyodide inside a module Service Worker",
    dir,
    sw: "sw.js",
    type: "module",
    runtimeFiles: ["sw.js", "pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json", "asgi_host.py"],
  };
}

/** The Pyodide peer's folder serves the workload app at /work/ too (served on an origin of its own). */
export function pyodideWorkloadSystem(pyodide) {
  return { name: "pyodide", kind: pyodide.kind, dir: pyodide.dir, sw: pyodide.sw, type: pyodide.type };
}

/** gzip -9 size of each runtime file and their total. */
export function runtimeGzip(system) {
  const files = {};
  let total = 0;
  for (const file of system.runtimeFiles) {
    const size = zlib.gzipSync(fs.readFileSync(path.join(system.dir, file)), { level: 9 }).byteLength;
    files[file] = size;
    total += size;
  }
  return { total, files };
}

export { ROOT };
