import { describe, expect, test } from "vitest";
import { startPython } from "./loadLib.ts";

// src/python/lib/textwrap.py in the real runtime. Expected values are CPython 3.11's output for the
// same code, except where a comment says why the sandbox differs.

describe("textwrap", () => {
  test("wrap and fill: widths, indents, hyphens, long words", async () => {
    const python = await startPython();
    expect(python.run(`
import textwrap as tw
s = 'The quick brown fox jumps over the lazy dog. A well-known saying, used to test type-writers; supercalifragilisticexpialidocious words too.'
print(tw.wrap(s, 20))
print(tw.fill(s, 30, initial_indent='* ', subsequent_indent='  '))
print(tw.wrap(s, 15, break_long_words=False))
print(tw.wrap(s, 12, break_on_hyphens=False))
print(tw.wrap('a\\tb\\nc  d', 5), tw.wrap('', 10), tw.wrap('   ', 10), tw.wrap('  lead', 10), tw.wrap('--long-option-name is-here', 8))
try:
    tw.wrap('x', 0)
except ValueError as e:
    print(e)
`)).toBe("['The quick brown fox', 'jumps over the lazy', 'dog. A well-known', 'saying, used to test', 'type-writers; superc', 'alifragilisticexpial', 'idocious words too.']\n* The quick brown fox jumps\n  over the lazy dog. A well-\n  known saying, used to test\n  type-writers; supercalifragi\n  listicexpialidocious words\n  too.\n['The quick brown', 'fox jumps over', 'the lazy dog. A', 'well-known', 'saying, used to', 'test type-', 'writers;', 'supercalifragilisticexpialidocious', 'words too.']\n['The quick', 'brown fox', 'jumps over', 'the lazy', 'dog. A', 'well-known', 'saying, used', 'to test type', '-writers; su', 'percalifragi', 'listicexpial', 'idocious', 'words too.']\n['a', 'b c', 'd'] [] [] ['  lead'] ['--long-', 'option-', 'name is-', 'here']\ninvalid width 0 (must be > 0)\n");
  });

  test("shorten and max_lines", async () => {
    const python = await startPython();
    expect(python.run(`
import textwrap as tw
s = 'The quick brown fox jumps over the lazy dog. A well-known saying.'
print(tw.shorten(s, 40), '|', tw.shorten('Hello  world!', width=12), '|', tw.shorten('Hello world', 11), '|', tw.shorten(s, 25, placeholder='...'))
print(tw.wrap(s, 30, max_lines=2), tw.TextWrapper(width=20, max_lines=1).fill(s))
`)).toBe("The quick brown fox jumps over the [...] | Hello world! | Hello world | The quick brown fox...\n['The quick brown fox jumps over', 'the lazy dog. A well- [...]'] The quick [...]\n");
  });

  test("dedent and indent", async () => {
    const python = await startPython();
    expect(python.run(`
import textwrap as tw
print(repr(tw.dedent('    def f():\\n        return 1\\n  \\n    x = 2\\n')))
print(repr(tw.dedent('\\tA\\n\\t\\tB\\n')), repr(tw.dedent('  a\\n b\\n')), repr(tw.dedent('no margin\\n  b')))
print(repr(tw.indent('a\\n\\nb\\n  \\nc', '> ')), repr(tw.indent('a\\nb', '+', lambda line: True)))
`)).toBe("'def f():\\n    return 1\\n\\nx = 2\\n'\n'A\\n\\tB\\n' ' a\\nb\\n' 'no margin\\n  b'\n'> a\\n\\n> b\\n  \\n> c' '+a\\n+b'\n");
  });

  test("tabs, other whitespace kept, non-breaking spaces, runs of spaces", async () => {
    const python = await startPython();
    expect(python.run(`
import textwrap as tw
print(tw.wrap('a\\tbb\\tccc dddd\\teeeee', 12), tw.wrap('col1\\tcol2\\nx\\ty', 40, tabsize=4))
print(tw.wrap('keep\\nthe  newline\\tand tab here', 10, replace_whitespace=False, expand_tabs=False))
print(tw.wrap('no\\xa0break\\xa0space here', 8), tw.wrap('  two  spaces  between  ', 9), tw.wrap('x ' * 30, 10, max_lines=2))
`)).toBe("['a       bb', 'ccc dddd', 'eeeee'] ['col1    col2 x   y']\n['keep\\nthe', 'newline', 'and tab', 'here']\n['no\\xa0break', '\\xa0space', 'here'] ['  two', 'spaces', 'between'] ['x x x x x', 'x x [...]']\n");
  });
});
