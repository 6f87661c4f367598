/**
 * Fuel overhead in Chromium: loaded by build/bench/swasgi/fuel.html, compiles both runtimes
 * from the same origin and exposes the result as `window.fuelResult` for the harness.
 */
import { measureFuel, type FuelResult } from "./fuelWorkload.ts";

declare global {
  interface Window {
    fuelResult?: FuelResult | { error: string };
  }
}

async function compile(file: string): Promise<WebAssembly.Module> {
  return WebAssembly.compileStreaming(fetch(new URL(file, location.href)));
}

const reps = Number(new URLSearchParams(location.search).get("reps") ?? "10");
Promise.all([compile("micropython.wasm"), compile("micropython.orig.wasm")])
  .then(([instrumented, original]) =>
    measureFuel({ wasm: instrumented, instrumented: true }, { wasm: original, instrumented: false }, reps),
  )
  .then(
    (result) => (window.fuelResult = result),
    (error: Error) => (window.fuelResult = { error: String(error.stack ?? error) }),
  );
