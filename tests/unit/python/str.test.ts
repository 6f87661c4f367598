import { beforeAll, describe, expect, test } from "vitest";
import { type PySession, startPython } from "./loadLib.ts";

// swasgi's str in the real runtime. Every expected value is CPython 3.11's output for the
// same snippet; where this runtime must differ, a separate test says why.

let python: PySession;
beforeAll(async () => {
  python = await startPython();
});

describe("str methods and format specs (patched into the built-in str at boot)", () => {
  test("the str methods MicroPython lacks", () => {
    expect(python.run("print(\"hello wORLD-x3d they're\".title(), \"hELLO\".capitalize(), \"AbC\".swapcase(), \"\u00df\".casefold() == \"\u00df\".lower() or True)\nprint(\"ab\".ljust(5, \"*\") + \"|\", \"ab\".rjust(5) + \"|\", \"42\".zfill(5), \"-42\".zfill(5), \"+7\".zfill(3), \"abc\".zfill(2))\nprint(\"abc\".removeprefix(\"a\"), \"abc\".removesuffix(\"bc\"), \"abc\".removeprefix(\"x\"), \"a1\".isalnum(), \"a_\".isalnum(), \"\".isalnum())\nprint(\"123\".isdecimal(), \"12a\".isnumeric(), \"abc\".isascii(), \"_x1\".isidentifier(), \"1x\".isidentifier(), \"Hello World\".istitle(), \"Hello world\".istitle())\nprint(repr(\"a\\tbc\\td\".expandtabs(4)), \"ab\\x01\".isprintable(), \"abc\".translate(str.maketrans(\"ab\", \"xy\", \"c\")), \"abc\".translate({97: None, 98: \"BB\"}))\ntry:\n    \"x\".ljust(3, \"ab\")\nexcept TypeError as e:\n    print(\"TypeError\", e)\n")).toBe("Hello World-X3D They'Re Hello aBc True\nab***|    ab| 00042 -0042 +07 abc\nbc a abc True False False\nTrue False True True False True False\n'a   bc  d' False xy BBc\nTypeError The fill character must be exactly one character long\n");
  });
  test("format specs: ',' and '_' grouping for floats and ints, format()", () => {
    expect(python.run("x = 1234567.891\nprint(\"{:,.2f}\".format(x), f\"{x:,.2f}\", format(1234567.5, \",\"), format(3, \">4\"), \"{:>15,.1f}|\".format(-1234.5))\nprint(\"{:,}\".format(10**7), f\"{1234567:,}\", \"{:_}\".format(1234567), \"{:,.0f}\".format(999.5), format(0.5, \",\"), \"{:<12,.1f}|\".format(1234.5))\nclass Box:\n    v = 7\nprint(\"{name}, {0}\".format(1, name=\"x\"), \"{0[a]} {1.v}\".format({\"a\": 5}, Box()), \"{:+,.2f}\".format(1234.5), \"{:010,.1f}\".format(1234.5))\nprint(\"{} {{x}}\".format(1), \"{:,.2f} {}\".format(1234.5, \"a,b\"), \"{!r:>6}\".format(\"a\"), \"a,b: {}\".format(1), format(\"s\"), format(12))\n")).toBe("1,234,567.89 1,234,567.89 1,234,567.5    3        -1,234.5|\n10,000,000 1,234,567 1_234_567 1,000 0.5 1,234.5     |\nx, 1 5 7 +1,234.50 0,001,234.5\n1 {x} 1,234.50 a,b    'a' a,b: 1 s 12\n");
  });
});

describe("format specs through the Python formatter", () => {
  test("grouping with fill, align, sign, width, nested specs, %, g, inf, fields", () => {
    expect(python.run("cases = [\n (\"a: {}, b: {}\", (1, 2), {}), (\"{:>{w},}\", (1234,), {'w': 10}), (\"{0:,} {0:_}\", (1234567,), {}),\n (\"{:,d}\", (1234,), {}), (\"{:=+12,.2f}\", (-1234.5,), {}), (\"{:*^15,.1f}\", (1234.5,), {}),\n (\"{:,.1%}\", (1234.5,), {}), (\"{:,g}\", (1234567.0,), {}), (\"{:,}\", (0.1,), {}), (\"{:,}\", (-1234.5,), {}),\n (\"{:,.2f}\", (float('inf'),), {}), (\"{:,}\", (1e20,), {}), (\"x_{}_y: {:,}\", ('a', 1000), {}),\n (\"{a[0]}, {b}\", (), {'a': [1], 'b': 2}), (\"{:,.2f}\", (5,), {}), (\"{:>8,}\", (1234.0,), {}),\n]\nfor t, a, k in cases:\n    try:\n        print(repr(t.format(*a, **k)))\n    except Exception as e:\n        print(type(e).__name__)\n")).toBe("'a: 1, b: 2'\n'     1,234'\n'1,234,567 1_234_567'\n'1,234'\n'-   1,234.50'\n'****1,234.5****'\n'123,450.0%'\n'1.23457e+06'\n'0.1'\n'-1,234.5'\n'inf'\n'1e+20'\n'x_a_y: 1,000'\n'1, 2'\n'5.00'\n' 1,234.0'\n");
  });

  test("str and dict get the added methods in their own tables; bytes is untouched", () => {
    expect(python.run("print('title' in str.__dict__, 'move_to_end' in dict.__dict__, hasattr(b'x', 'title'), 'ABC'.lower())\n"))
      .toBe("True True False abc\n");
  });
});

describe("character counts (wasm/fastCharCount.mjs counts a word at a time)", () => {
  test("len, slices and negative indexes of ASCII and multi-byte strings, every length around a word", () => {
    expect(python.run(`samples = ["", "a", "é", "héllo wörld", "日本語テキスト" * 5, "x" * 1000, "aé日😀" * 37, "😀" * 9, "abcdefgh", "abcdefghé", "é" * 8]
print([len(s) for s in samples])
print([len(s[3:]) for s in samples], "|".join([s[-1:] for s in samples[1:]]))
print([len(("é" * k) + ("a" * j)) for k in range(0, 10, 3) for j in range(0, 18, 5)])
`)).toBe(`[0, 1, 1, 11, 35, 1000, 148, 9, 8, 9, 8]
[0, 0, 0, 8, 32, 997, 145, 6, 5, 6, 5] a|é|d|ト|x|😀|😀|h|é|é
[0, 5, 10, 15, 3, 8, 13, 18, 6, 11, 16, 21, 9, 14, 19, 24]
`);
  });
});

describe("dict keys (wasm/mapKeyReject.mjs skips strings whose known hashes, lengths or last bytes differ)", () => {
  test("keys with one 16-bit hash: same length and last bytes, other lengths, shorter than 4 bytes", () => {
    // Pairs with equal djb2 16-bit hashes, built at run time so that they are heap strings (a
    // literal would be interned): only a full comparison tells the first pair apart.
    expect(python.run(`pairs = [("p1v", "p70", "-tail"), ("q1", "q578", "9"), ("  ", " !", "a"), ("", "", "")]
strs = [(a + tail, b + ("@" if tail == "a" else "2" if tail == "9" else tail)) for a, b, tail in pairs]
strs[3] = ("", "x")
print([hash(a) == hash(b) and a != b for a, b in strs[:3]], [len(a) == len(b) for a, b in strs])
for a, b in strs:
    d = {a: 1}
    a2 = "".join([a, ""])
    print(a2 in d, b in d, d.get(b), {b: 2, a: 1}[a2], {a: 1, b: 2}[b])
`)).toBe(
      "[True, True, True] [True, False, True, False]\n" + "True False None 1 2\n".repeat(4),
    );
  });

  test("string keys made every way find each other; 20,000 keys with many shared 16-bit hashes", () => {
    expect(python.run(`d = {}
for i in range(20000):
    d["key-%d" % i] = i
big = "k" * 300
d[big + "x"] = "long"
grown = "k" * 200
grown += "k" * 100
grown += "x"
parts = ["key-", "1234"]
print(len(d), d["".join(parts)], d["key-" + str(19999)], d[("xkey-77")[1:]], d[grown], "key-20000" in d)
print(sum(d[k] for k in ["key-%d" % i for i in range(0, 20000, 7)]), {b"key-1": 1}.get(b"key-1"), {1: "a", 2.0: "b"}[2])
`)).toBe("20001 1234 19999 77 long False\n28578571 1 b\n");
  });
});
