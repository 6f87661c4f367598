import { beforeAll, describe, expect, test } from "vitest";
import { type PySession, startPython } from "./loadLib.ts";

// swasgi's time in the real runtime. Every expected value is CPython 3.11's output for the
// same snippet; where this runtime must differ, a separate test says why.

let python: PySession;
beforeAll(async () => {
  python = await startPython();
});

describe("time", () => {
  test("clocks and strftime", () => {
    expect(python.run("import time\na = time.perf_counter(); b = time.perf_counter(); print(b >= a, type(a).__name__, time.monotonic() > 0)\nprint(type(time.perf_counter_ns()).__name__, type(time.monotonic_ns()).__name__, time.time_ns() > 1_600_000_000 * 10**9)\nt = (2024, 3, 5, 14, 7, 9, 1, 65, 0)\nprint(time.strftime(\"%Y-%m-%d %H:%M:%S %a %A %b %B %j %y %I %p %%\", t))\nprint(time.strftime(\"%c|%x|%X|%w\", t))\n")).toBe("True float True\nint int True\n2024-03-05 14:07:09 Tue Tuesday Mar March 065 24 02 PM %\nTue Mar  5 14:07:09 2024|03/05/24|14:07:09|2\n");
  });
});
