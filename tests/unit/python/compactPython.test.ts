import { expect, test } from "vitest";
import { compactPython } from "../../../src/python/compactPython.ts";
import { pythonLib } from "../../../src/python/index.ts";
import { librarySources } from "../../../src/python/libraryNode.ts";
import { Interpreter } from "../../../src/runner/interpreter.ts";
import { loadRuntimeNode } from "../../../src/runner/loadRuntimeNode.ts";

test("comments, blank lines and docstrings go; blocks indent one space; code and other strings stay", () => {
  const source = [
    '"""Module doc."""',
    "# a comment",
    "import sys",
    "",
    "def f(x):",
    '    """Doc of f,',
    "    on two lines.",
    '    """',
    "    # inner comment",
    '    s = """keep   ',
    "    # this is inside a string",
    '"""',
    "    return s + x  # a trailing comment",
    "",
    "class Empty:",
    "    '''Only a docstring.'''",
    "",
    "y = 1",
  ].join("\n");
  expect(compactPython(source)).toBe(
    [
      "import sys",
      "def f(x):",
      ' s = """keep   ',
      "    # this is inside a string",
      '"""',
      " return s + x",
      "class Empty:",
      " pass",
      "y = 1",
      "",
    ].join("\n"),
  );
});

test("a # inside a string is not a comment, and continued lines keep their tokens apart", () => {
  const source = [
    "if a:",
    "        x = '#not' + \"# either\"  # gone",
    "        y = f(1,  # gone",
    "              '# kept',",
    "              )",
    "        z = a and \\",
    "            b",
    "        w = 'it''s \\'#\\''",
    "    # a comment at another width does not open a block",
    "else:",
    "  pass",
  ].join("\n");
  expect(compactPython(source)).toBe(
    [
      "if a:",
      " x = '#not' + \"# either\"",
      " y = f(1,",
      " '# kept',",
      " )",
      " z = a and \\",
      " b",
      " w = 'it''s \\'#\\''",
      "else:",
      " pass",
      "",
    ].join("\n"),
  );
});

test("a dedent to a width no open block has fails the build", () => {
  expect(() => compactPython("if a:\n    b\n  c\n")).toThrow(/inconsistent dedent/);
});

test("every embedded module compiles, and compacting again changes nothing", async () => {
  const py = await Interpreter.create(await loadRuntimeNode(), { timeoutMs: 5000, graceMs: 500, memoryBytes: 64 << 20 });
  for (const [path, compact] of [...pythonLib, ...librarySources]) {
    expect(compactPython(compact), path).toBe(compact);
    const result = py.exec(`compile(${JSON.stringify(compact)}, ${JSON.stringify(path)}, "exec")\n`);
    expect(result, path).toBe(null);
  }
});
