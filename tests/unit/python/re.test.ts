import { beforeAll, describe, expect, test } from "vitest";
import { type PySession, startPython } from "./loadLib.ts";

// swasgi's re in the real runtime. Every expected value is CPython 3.11's output for the
// same snippet; where this runtime must differ, a separate test says why.

let python: PySession;
beforeAll(async () => {
  python = await startPython();
});

describe("re", () => {
  test("counted repetition matches as in CPython", () => {
    expect(python.run("import re\nprint(bool(re.match(r\"\\d{4}\", \"2024\")), re.match(r\"\\d{4}\", \"202\"), re.match(r\"\\d{2,3}\", \"12345\").group(0))\nprint(re.match(r\"\\d{2,}\", \"12345\").group(0), re.match(r\"\\d{2,3}?\", \"12345\").group(0), re.findall(r\"\\d{1,3}\", \"12345\"))\nprint(re.search(r\"(ab){2}\", \"xababab\").group(0, 1), re.match(r\"(?:ab){1,2}c\", \"ababc\").group(0), re.match(r\"a{,2}\", \"aaa\").group(0))\nprint(re.match(r\"x{2\", \"x{2\").group(0), bool(re.match(r\"[0-9a-f]{8}-[0-9a-f]{4}\", \"deadbeef-cafe\")))\n")).toBe("True None 123\n12345 12 ['123', '45']\n('abab', 'ab') ababc aa\nx{2 True\n");
  });
  test("named groups, groupdict, groups, spans", () => {
    expect(python.run("import re\nm = re.match(r\"(?P<year>\\d{4})-(?P<month>\\d\\d)\", \"2024-05-01\")\nprint(m.group(\"year\"), m.group(\"month\"), m.groupdict(), m.groups(), m.span(), m.start(2), m.end(\"year\"), m[1])\nm = re.match(r\"(a)(b)?\", \"ac\")\nprint(m.groups(), m.groups(\"-\"), m.span(2), m.group(0, 1), m.lastindex)\nprint(re.search(r\"b+\", \"aabbbc\").span(), re.search(\"c\", \"abcabc\").start(), re.compile(r\"\\d\").search(\"ab1\", 1).group(0))\n")).toBe("2024 05 {'year': '2024', 'month': '05'} ('2024', '05') (0, 7) 5 4 2024\n('a', None) ('a', '-') (-1, -1) ('a', 'a') 1\n(2, 5) 2 1\n");
  });
  test("findall, finditer, split, sub, subn, fullmatch, escape", () => {
    expect(python.run("import re\nprint(re.findall(r\"\\w+\", \"hello big world\"), re.findall(r\"(\\w)(\\d)\", \"a1 b2 c\"), re.findall(r\"x*\", \"axb\"))\nprint([m.span() for m in re.finditer(r\"\\d+\", \"a12b345c6\")], re.compile(r\"(\\d)\\.(\\d)\").findall(\"1.2 3.4\"))\nprint(re.split(r\",\\s*\", \"a, b,c,   d\"), re.split(r\"(,)\", \"a,b,c\", maxsplit=1), re.split(r\"\\s+\", \" a b \"))\nprint(re.sub(r\"(\\w+)@(\\w+)\", r\"\\2 at \\1\", \"me@host you@there\"), re.sub(r\"a\", \"b\", \"aaaa\", count=2), re.sub(\"x*\", \"-\", \"abc\"))\nprint(re.subn(r\"\\d\", \"#\", \"a1b22\"), re.sub(r\"(?P<w>\\w+)\", r\"<\\g<w>>\", \"hi there\"), re.sub(r\"\\d+\", lambda m: str(int(m.group(0)) * 2), \"a1 b20\"))\nprint(re.fullmatch(r\"\\d+\", \"123\").group(0), re.fullmatch(r\"\\d+\", \"123a\"), bool(re.fullmatch(r\"a|ab\", \"ab\")), re.sub(r\"[^a-z0-9]+\", \"-\", \"Hello, World!\"))\nprint(re.escape(\"a.b*c?d (x) 1-2\"), bool(re.match(re.escape(\"a.b\"), \"a.b\")), re.match(re.escape(\"a.b\"), \"axb\"))\n")).toBe("['hello', 'big', 'world'] [('a', '1'), ('b', '2')] ['', 'x', '', '']\n[(1, 3), (4, 7), (8, 9)] [('1', '2'), ('3', '4')]\n['a', 'b', 'c', 'd'] ['a', ',', 'b,c'] ['', 'a', 'b', '']\nhost at me there at you bbaa -a-b-c-\n('a#b##', 3) <hi> <there> a2 b40\n123 None True -ello-orld-\na\\.b\\*c\\?d\\ \\(x\\)\\ 1\\-2 True None\n");
  });
  test("flags: IGNORECASE, DOTALL, VERBOSE, inline (?i)", () => {
    expect(python.run("import re\nprint(bool(re.match(\"hello\", \"HeLLo\", re.IGNORECASE)), bool(re.match(\"[a-c]+$\", \"AbC\", re.I)), re.search(\"(?i)world\", \"Hello WORLD\").group(0))\nprint(re.match(\"a.b\", \"a\\nb\"), bool(re.match(\"a.b\", \"a\\nb\", re.DOTALL)), re.findall(\".\", \"a\\nb\"))\nprint(re.search(r\"\"\"\\d+  # digits\n   \\s* x\"\"\", \"ab 12 x\", re.VERBOSE).group(0), re.I | re.S == re.IGNORECASE | re.DOTALL)\nprint(re.search(r\"\\x41\\t\", \"zA\\t\").span(), re.search(\"\u00e9+\", \"a\u00e9\u00e9\").span(), re.sub(r\"\\s+\", \" \", \"a  b\\n\\tc\"))\n")).toBe("True True WORLD\nNone True ['a', 'b']\n12 x True\n(1, 3) (1, 3) a b c\n");
  });
});

describe("re: what the engine cannot do raises re.error naming it, never a different match", () => {
  test("constructs outside re1.5 are refused at compile time", () => {
    // CPython compiles all of these; here each names its construct instead of matching wrongly.
    const printed = python.run(`
import re
for pattern, flags in [(r"\\bfoo", 0), (r"a\\B", 0), (r"(?=a)", 0), (r"(?!a)", 0), (r"(?<=a)b", 0), (r"(a)\\1", 0),
                       (r"(?P<x>a)(?P=x)", 0), (r"(a){1,2}", 0), (r"^a", re.M), (r"[é]", 0), (r"a++", 0)]:
    try:
        re.compile(pattern, flags)
        print("compiled", pattern)
    except re.error as e:
        print(str(e).split(" is not supported")[0])
`);
    expect(printed.trim().split("\n")).toEqual([
      "a word boundary \\b",
      "the escape \\B",
      "lookahead/lookbehind (?=...)",
      "lookahead/lookbehind (?!...)",
      "lookahead/lookbehind (?<=...)",
      "a backreference (\\1)",
      "a named backreference (?P=...)",
      "a variable count {n,m} of a group that captures; use (?:...)",
      "MULTILINE with ^ or $",
      "a non-ASCII character in a set [...]",
      "a possessive repeat",
    ]);
  });

  test("a subgroup whose text repeats inside the match has no span here", () => {
    expect(python.run(`
import re
m = re.search(r"(a)a", "xaa")
print(m.span(), m.group(1))
try:
    m.span(1)
except re.error as e:
    print("re.error")
print(re.search(r"x(b)", "axb").span(1))
`)).toBe("(1, 3) a\nre.error\n(2, 3)\n");
  });

  test("patterns are cached and Pattern/Match carry CPython's attributes", () => {
    expect(python.run(`
import re
p = re.compile(r"(?P<k>\\w+)=(\\d+)")
print(re.compile(r"(?P<k>\\w+)=(\\d+)") is p, p.groups, p.groupindex, p.pattern)
m = p.search("x: a=1")
print(m.re is p, m.string, m.pos, m.endpos, m.lastgroup, m.expand(r"\\2-\\g<k>"))
`)).toBe("True 2 {'k': 1} (?P<k>\\w+)=(\\d+)\nTrue x: a=1 0 6 None 1-a\n");
  });
});

describe("re: anchors", () => {
  test("\\A and \\Z are the string's ends; ^ does not match at pos > 0", () => {
    // CPython 3.11 prints the same.
    expect(python.run(`
import re
print(bool(re.match(r"\\Aab\\Z", "ab")), re.match(r"\\Aab\\Z", "abc"), re.compile("^b").match("ab", 1), re.compile("b").match("ab", 1).group(0))
`)).toBe("True None None b\n");
  });
});

describe("re: bytes patterns", () => {
  test("sub with templates, findall, split, spans, groupdict (CPython 3.11's output)", () => {
    expect(python.run("import re\nprint(re.sub(rb\"(\\d+)\", rb\"<\\1>\", b\"a12b3\"), re.sub(rb\"\\d\", b\"#\", b\"a1b2\"), re.findall(rb\"[a-z]+\", b\"ab 12 cd\"), re.split(rb\",\", b\"a,b\"), re.match(rb\"(?P<x>\\w+)\", b\"hey\").groupdict())\nprint(re.search(rb\"\\d+\", b\"xx42\").span(), re.fullmatch(rb\"\\d+\", b\"42\").group(0), re.sub(rb\"x*\", b\"-\", b\"ab\"))\n")).toBe("b'a<12>b<3>' b'a#b#' [b'ab', b'cd'] [b'a', b'b'] {'x': b'hey'}\n(2, 4) b'42' b'-a-b-'\n");
  });
});
