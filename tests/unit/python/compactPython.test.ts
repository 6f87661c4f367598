import { expect, test } from "vitest";
import { compactPython } from "../../../src/python/compactPython.ts";
import { pythonLib } from "../../../src/python/index.ts";
import { Interpreter } from "../../../src/runner/interpreter.ts";
import { loadRuntimeNode } from "../../../src/runner/loadRuntimeNode.ts";

test("comments, blank lines and docstrings go; code and other strings stay", () => {
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
    '    s = """keep',
    "# this is inside a string",
    '"""',
    "    return s + x  # trailing comments stay",
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
      '    s = """keep',
      "# this is inside a string",
      '"""',
      "    return s + x  # trailing comments stay",
      "class Empty:",
      "    pass",
      "y = 1",
      "",
    ].join("\n"),
  );
});

test("every embedded module still compiles after compaction", async () => {
  const py = await Interpreter.create(await loadRuntimeNode(), { timeoutMs: 5000, graceMs: 500, memoryBytes: 64 << 20 });
  for (const [path, source] of pythonLib) {
    const compact = compactPython(source);
    expect(compact.length).toBeLessThanOrEqual(source.length);
    const result = py.exec(`compile(${JSON.stringify(compact)}, ${JSON.stringify(path)}, "exec")\n`);
    expect(result, path).toBe(null);
  }
});
