import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import frozen from "../../../build/runtime/frozen.json";
import { PyError } from "../../../src/runner/ffi/convert.ts";
import { readFrozenPatch } from "../../../src/runner/frozenPatch.ts";
import { Interpreter } from "../../../src/runner/interpreter.ts";
import { loadRuntimeNode } from "../../../src/runner/loadRuntimeNode.ts";
import { randomModule } from "../../../src/runner/randomModule.ts";

type FS = Interpreter["fs"];

/** `src/python/lib`: what the host copies into every interpreter's `/lib`. */
export const PYTHON_LIB = fileURLToPath(new URL("../../../src/python/lib/", import.meta.url));

/** `tests/fixtures/apps/<name>`. */
export function fixtureApp(name: string): string {
  return fileURLToPath(new URL(`../../fixtures/apps/${name}/`, import.meta.url));
}

/**
 * Copies a host directory into the interpreter's file system, recursively (`__pycache__` skipped).
 * @example copyTree(py.fs, fixtureApp("microlike"), "/app");
 */
export function copyTree(fs: FS, from: string, to: string): void {
  fs.mkdirTree(to);
  for (const name of readdirSync(from)) {
    if (name === "__pycache__") continue;
    const source = join(from, name);
    const target = `${to}/${name}`;
    if (statSync(source).isDirectory()) copyTree(fs, source, target);
    else fs.writeFile(target, readFileSync(source));
  }
}

/**
 * Copies `src/python/lib` into `/lib` and puts back the frozen modules that ship with it
 * (build/runtime/frozen.json), as the host does for an app that imports the library.
 */
export function loadLib(py: Interpreter): void {
  copyTree(py.fs, PYTHON_LIB, "/lib");
  py.restoreFrozen(readFrozenPatch(Buffer.from(frozen.patch, "base64")));
}

/** An interpreter with the lib loaded, for tests that read what Python prints. */
export interface PySession {
  readonly py: Interpreter;
  /** Background failures (a task's exception, a timer's), as printed tracebacks. */
  readonly backgroundErrors: string[];
  /** Runs `code` in `__main__`; answers what it printed; throws with the traceback on a Python error. */
  run(code: string): string;
  /** Runs `code` and parses the one JSON line it printed. */
  json(code: string): unknown;
  /** Lets the JS event loop (and so asyncio) turn until the Python expression `condition` is true. */
  until(condition: string, timeoutMs?: number): Promise<void>;
}

/**
 * Starts an interpreter with `src/python/lib` in `/lib`, after `import _swasgi_compat` unless
 * `compat` is false.
 * @example
 *   const s = await startPython();
 *   expect(s.run("import signal\nprint(signal.SIGTERM)")).toBe("15\n");
 */
export async function startPython(options: { compat?: boolean } = {}): Promise<PySession> {
  const chunks: Uint8Array[] = [];
  const backgroundErrors: string[] = [];
  // Granted as the runner grants it to every app (appRunner.ts).
  const random = randomModule(() => py.memory);
  const py: Interpreter = await Interpreter.create(await loadRuntimeNode(), {
    modules: { _swasgi_random: random },
    timeoutMs: 5000,
    graceMs: 500,
    memoryBytes: 64 << 20,
    onOutput: (_stream, bytes) => chunks.push(bytes.slice()),
    onBackgroundError: (error) => backgroundErrors.push(error instanceof PyError ? error.traceback : String(error)),
  });
  loadLib(py);
  const run = (code: string): string => {
    chunks.length = 0;
    const result = py.exec(code);
    const printed = Buffer.concat(chunks).toString("utf8");
    chunks.length = 0;
    if (result instanceof PyError) throw new Error(`${result.type} in Python:\n${result.traceback}\nprinted:\n${printed}`);
    return printed;
  };
  if (options.compat !== false) run("import _swasgi_compat\n");
  return {
    py,
    backgroundErrors,
    run,
    json: (code) => JSON.parse(run(code)),
    async until(condition, timeoutMs = 1000) {
      const deadline = Date.now() + timeoutMs;
      while (run(`print(bool(${condition}))\n`).trim() !== "True") {
        if (Date.now() > deadline) throw new Error(`still false after ${timeoutMs} ms: ${condition}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    },
  };
}

/**
 * Runs `async def main(out)` (defined by `code`) as an asyncio task, lets the JS event loop
 * turn until it finishes, and answers the lines it appended to `out`.
 */
export async function drive(python: PySession, code: string): Promise<string[]> {
  python.run(`${code}
import asyncio
_out = []
_done = []
async def _runner():
    try:
        await main(_out)
    except Exception as e:
        _out.append('main raised %s: %s' % (type(e).__name__, e))
    _done.append(True)
asyncio.create_task(_runner())
`);
  await python.until("_done");
  return JSON.parse(python.run("import json\nprint(json.dumps([str(x) for x in _out]))\n")) as string[];
}
