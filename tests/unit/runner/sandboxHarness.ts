// Shared by the runner's attack suites: a real interpreter on the real runtime, its output,
// and the one check every attack ends with ("nothing outside the sandbox was reached").
import { expect } from "vitest";
import { PyError } from "../../../src/runner/ffi/convert.ts";
import type { PyValue } from "../../../src/runner/ffi/records.ts";
import { Interpreter, InterpreterDead, type InterpreterOptions } from "../../../src/runner/interpreter.ts";
import { loadRuntimeNode } from "../../../src/runner/loadRuntimeNode.ts";
import { HardStop } from "../../../src/runner/sliceClock.ts";

/** A secret in the host's environment: if Python ever prints it, it read `process.env`. */
export const CANARY = `swasgi-canary-${Math.random().toString(36).slice(2)}`;
process.env.SWASGI_ESCAPE_CANARY = CANARY;

/** Small limits keep the suites fast; tests that need more pass their own. */
export const DEFAULTS = { timeoutMs: 300, graceMs: 100, memoryBytes: 64 << 20 } as const;

export interface Sandbox {
  py: Interpreter;
  /** Everything written to stdout and stderr so far, decoded. */
  output(): string;
  /** Bytes delivered through onOutput (counted even when the text is not kept). */
  outputBytes(): number;
  hostErrors: { where: string; error: unknown }[];
  backgroundErrors: (PyError | HardStop | InterpreterDead)[];
}

/** What an exec may end with: a value, a Python error, or one of the two sanctioned throws. */
export type Outcome = PyValue | PyError | HardStop | InterpreterDead;

const KEEP_TEXT_BYTES = 4 << 20;

export async function sandbox(options: Partial<InterpreterOptions> = {}): Promise<Sandbox> {
  const decoder = new TextDecoder();
  let text = "";
  let bytes = 0;
  const hostErrors: Sandbox["hostErrors"] = [];
  const backgroundErrors: Sandbox["backgroundErrors"] = [];
  const py = await Interpreter.create(await loadRuntimeNode(), {
    ...DEFAULTS,
    onOutput(_stream, chunk) {
      bytes += chunk.byteLength;
      if (text.length < KEEP_TEXT_BYTES) text += decoder.decode(chunk);
    },
    onHostError: (where, error) => hostErrors.push({ where, error }),
    onBackgroundError: (error) => backgroundErrors.push(error),
    ...options,
  });
  return { py, output: () => text, outputBytes: () => bytes, hostErrors, backgroundErrors };
}

/** Runs `code`; any JS exception other than HardStop/InterpreterDead fails the test. */
export function run(py: Interpreter, code: string): Outcome {
  try {
    return py.exec(code);
  } catch (error) {
    if (error instanceof HardStop || error instanceof InterpreterDead) return error;
    throw error;
  }
}

/** Lets timers Python scheduled fire (escapes could hide in a callback). */
export const settle = (ms = 20): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The end of every attack: no JS global was written, no secret was read, and Python still
 * runs (in the same interpreter, or in a fresh one when the attack killed it).
 */
export async function expectContained(box: Sandbox): Promise<void> {
  await settle();
  expect((globalThis as Record<string, unknown>).__pwned).toBeUndefined();
  expect(box.output()).not.toContain(CANARY);
  const alive = box.py.dead ? await sandbox() : box;
  expect(run(alive.py, "print('still', 6 * 7)")).toBe(null);
  expect(alive.output()).toContain("still 42");
}

/** The Python error's type, or undefined for anything else. */
export function pyErrorType(outcome: Outcome): string | undefined {
  return outcome instanceof PyError ? outcome.type : undefined;
}
