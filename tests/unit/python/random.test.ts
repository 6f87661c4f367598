import { beforeAll, describe, expect, test } from "vitest";
import { type PySession, startPython } from "./loadLib.ts";

// swasgi's random in the real runtime. Every expected value is CPython 3.11's output for the
// same snippet; where this runtime must differ, a separate test says why.

let python: PySession;
beforeAll(async () => {
  python = await startPython();
});

describe("random", () => {
  test("shuffle, sample, choices, uniform, randint, choice, random", () => {
    expect(python.run("import random\nrandom.seed(7)\nx = list(range(10)); random.shuffle(x); print(sorted(x) == list(range(10)), len(x))\ns = random.sample(range(100), 5); print(len(s), len(set(s)), all(0 <= v < 100 for v in s))\nc = random.choices(\"ab\", weights=[0, 1], k=4); print(c, len(random.choices([1, 2, 3], k=7)))\nprint(all(1 <= random.randint(1, 3) <= 3 for _ in range(50)), 2 <= random.uniform(2, 3) <= 3, random.choice(\"z\"), 0 <= random.random() < 1)\ntry:\n    random.sample([1, 2], 3)\nexcept ValueError:\n    print(\"ValueError\")\n")).toBe("True 10\n5 5 True\n['b', 'b', 'b', 'b'] 7\nTrue True z True\nValueError\n");
  });
});
