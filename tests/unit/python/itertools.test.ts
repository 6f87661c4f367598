import { beforeAll, describe, expect, test } from "vitest";
import { type PySession, startPython } from "./loadLib.ts";

// swasgi's itertools in the real runtime. Every expected value is CPython 3.11's output for the
// same snippet; where this runtime must differ, a separate test says why.

let python: PySession;
beforeAll(async () => {
  python = await startPython();
});

describe("itertools", () => {
  test("the itertools apps use", () => {
    expect(python.run("from itertools import groupby, product, permutations, combinations, chain, islice, accumulate, count, cycle, repeat, zip_longest, starmap, takewhile, dropwhile, tee, combinations_with_replacement, pairwise, compress, filterfalse\nprint([(k, list(g)) for k, g in groupby(\"aaabccaa\")], [(k, len(list(g))) for k, g in groupby([1, 2, 4, 5, 7], key=lambda x: x // 3)])\nprint(list(product(\"ab\", [1, 2])), list(product([0, 1], repeat=2)), list(permutations([1, 2, 3], 2)), len(list(permutations(range(5)))))\nprint(list(combinations(\"abcd\", 2)), list(combinations_with_replacement(\"ab\", 2)), list(combinations([1], 2)))\nprint(list(chain([1], (2, 3))), list(chain.from_iterable([\"ab\", \"c\"])), list(islice(count(5, 2), 3)), list(islice(\"abcdefg\", 1, 6, 2)))\nprint(list(accumulate([1, 2, 3])), list(accumulate([1, 2, 3], lambda a, b: a * b, initial=10)), list(islice(cycle(\"ab\"), 5)), list(repeat(\"x\", 3)))\nprint(list(zip_longest(\"ab\", [1], fillvalue=\"-\")), list(starmap(pow, [(2, 3), (3, 2)])), list(takewhile(lambda x: x < 3, [1, 2, 3, 1])), list(dropwhile(lambda x: x < 3, [1, 2, 3, 1])))\na, b = tee([1, 2, 3]); print(list(a), list(b), list(pairwise(\"abc\")), list(compress(\"abc\", [1, 0, 1])), list(filterfalse(None, [0, 1, 2])))\n")).toBe("[('a', ['a', 'a', 'a']), ('b', ['b']), ('c', ['c', 'c']), ('a', ['a', 'a'])] [(0, 2), (1, 2), (2, 1)]\n[('a', 1), ('a', 2), ('b', 1), ('b', 2)] [(0, 0), (0, 1), (1, 0), (1, 1)] [(1, 2), (1, 3), (2, 1), (2, 3), (3, 1), (3, 2)] 120\n[('a', 'b'), ('a', 'c'), ('a', 'd'), ('b', 'c'), ('b', 'd'), ('c', 'd')] [('a', 'a'), ('a', 'b'), ('b', 'b')] []\n[1, 2, 3] ['a', 'b', 'c'] [5, 7, 9] ['b', 'd', 'f']\n[1, 3, 6] [10, 10, 20, 60] ['a', 'b', 'a', 'b', 'a'] ['x', 'x', 'x']\n[('a', 1), ('b', '-')] [8, 9] [1, 2] [3, 1]\n[1, 2, 3] [1, 2, 3] [('a', 'b'), ('b', 'c')] ['a', 'c'] [0]\n");
  });
});
