import { expect, test } from "vitest";
import { Interpreter } from "../../../src/runner/interpreter.ts";
import { loadRuntimeNode } from "../../../src/runner/loadRuntimeNode.ts";

test("smoke", async () => {
  const runtime = await loadRuntimeNode();
  const out: string[] = [];
  const t0 = performance.now();
  const py = await Interpreter.create(runtime, {
    timeoutMs: 1000, graceMs: 300, memoryBytes: 64 << 20,
    onOutput: (s, b) => out.push(new TextDecoder().decode(b)),
    onHostError: (w, e) => console.log("hosterr", w, e),
    onBackgroundError: (e) => console.log("bg", e),
  });
  console.log("create ms", performance.now() - t0);
  expect(py.exec("print(1+1)\n")).toBe(null);
  expect(out.join("")).toBe("2\n");
  console.log(py.exec("import js\nprint(dir(js))\ntry:\n  js.Object\nexcept AttributeError as e:\n  print('AE', e)\n"));
  console.log(py.exec("import asyncio\nasync def f():\n  await asyncio.sleep(0.01)\n  print('slept')\nasyncio.create_task(f())\n"));
  await new Promise((r) => setTimeout(r, 100));
  const t1 = performance.now();
  console.log(py.exec("while True:\n  pass\n"), performance.now() - t1);
  const t2 = performance.now();
  try { console.log(py.exec("while True:\n  try:\n    while True: pass\n  except KeyboardInterrupt: pass\n")); } catch (e) { console.log("thrown", String(e)); }
  console.log(performance.now() - t2, py.dead);
  console.log(out.join(""));
});
