// Dicts past 1,024 slots take wasm/spreadMapHash.mjs's paths: positions from the multiplied
// hash, growth at 3/4 by doubling, old keys put into the new table without comparisons (keys
// whose hash is known without Python: small ints, interned strings, strs with a stored hash;
// every other key through mp_map_lookup). Each kind must still be found, deleted and grown
// past, next to keys of the other kinds.
import { expect, test } from "vitest";
import { run, sandbox } from "./sandboxHarness.ts";

const PROGRAM = `
class H:
    def __init__(self, v):
        self.v = v
    def __hash__(self):
        return hash(self.v)
    def __eq__(self, other):
        return isinstance(other, H) and other.v == self.v

class S(str):
    pass

interned = sorted(set(dir(str) + dir(dict) + dir(list) + dir(bytes) + dir(set)))
KINDS = {
    "small ints": lambda i: i,
    "negative ints": lambda i: -i * 7919,
    "big ints": lambda i: (1 << 70) + i,
    "short strs": lambda i: "key-%d" % i,
    "interned strs": lambda i: interned[i] if i < len(interned) else "k%d" % i,
    "long strs (hash computed on use)": lambda i: "x" * 300 + str(i),
    "str subclass": lambda i: S("s%d" % i),
    "__hash__ in Python": lambda i: H(i),
    "tuples": lambda i: (i, "t"),
    "floats": lambda i: i + 0.5,
    "bytes": lambda i: b"b%d" % i,
}

def check(make, n):
    d = {}
    for i in range(n):
        d[make(i)] = i
    found = len(d) == n and all(d[make(i)] == i for i in range(n))
    for i in range(0, n, 2):
        del d[make(i)]
    for i in range(n, 2 * n):
        d[make(i)] = i
    kept = len(d) == n + n // 2 and all((make(i) in d) == (i % 2 == 1 or i >= n) for i in range(2 * n))
    return found and kept and sorted(d.values()) == [i for i in range(2 * n) if i % 2 == 1 or i >= n]

mixed = {}
for i in range(3000):
    for make in KINDS.values():
        mixed[make(i)] = i
print(all(check(make, N) for make in KINDS.values()), len(mixed) == 3000 * len(KINDS) - 1,
      [name for name, make in KINDS.items() if not all(mixed[make(i)] == i for i in range(1, 3000))])
`;

test("dicts of every key kind stay correct through growth past 1,024 slots, deletion and more growth", async () => {
  const box = await sandbox({ timeoutMs: 20_000 });
  expect(run(box.py, PROGRAM.replace("check(make, N)", "check(make, 5000)"))).toBe(null);
  // In the mixed dict only 0 and -0 are one key.
  expect(box.output()).toBe("True True []\n");
});
