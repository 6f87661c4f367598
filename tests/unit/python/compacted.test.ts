import { expect, test } from "vitest";
import { pythonLib } from "../../../src/python/index.ts";
import { FROZEN_PATCH } from "../../../src/python/library.ts";
import { libraryNode, librarySources } from "../../../src/python/libraryNode.ts";
import { readFrozenPatch } from "../../../src/runner/frozenPatch.ts";
import { Interpreter } from "../../../src/runner/interpreter.ts";
import { loadRuntimeNode } from "../../../src/runner/loadRuntimeNode.ts";

// The other tests here load src/python/lib as written; the runner ships it compacted
// (compactPython.ts). The extended modules must work in that form too. Expected values are
// CPython 3.11's output for the same code.
test("the extended built-in modules work as they ship (compacted)", async () => {
  const out: Uint8Array[] = [];
  const py = await Interpreter.create(await loadRuntimeNode(), {
    timeoutMs: 5000,
    graceMs: 500,
    memoryBytes: 64 << 20,
    onOutput: (_stream, bytes) => out.push(bytes.slice()),
  });
  for (const [path, text] of [...pythonLib, ...librarySources]) {
    const dir = `/lib/${path}`.slice(0, `/lib/${path}`.lastIndexOf("/"));
    if (!py.fs.analyzePath(dir).exists) py.fs.mkdirTree(dir);
    py.fs.writeFile(`/lib/${path}`, text);
  }
  py.restoreFrozen(readFrozenPatch((await libraryNode(new Set(["json", "re"]))).get(FROZEN_PATCH)!));
  const result = py.exec(`
import _swasgi_compat
import json, re, os, os.path, time, random, hashlib, collections, functools, itertools, datetime, hmac, errno, asyncio
print(repr(json.dumps({'a': [1]}, indent=1)), re.findall(r'\\d{2}', '12345'), 'ab'.title(), '{:,.1f}'.format(1234.5))
print(hashlib.md5(b'x').hexdigest(), datetime.datetime(2024, 1, 2).strftime('%Y'), list(itertools.permutations('ab')), collections.Counter('aab').most_common(1))
print(functools.reduce(lambda a, b: a + b, [1, 2]), os.path.splitext('a.b'), hmac.new(b'k', b'm', 'sha1').hexdigest()[:8], errno.ENOTEMPTY)
`);
  expect(result).toBeNull();
  expect(Buffer.concat(out).toString()).toBe(
    `'{\\n "a": [\\n  1\\n ]\\n}' ['12', '34'] Ab 1,234.5\n` +
      "9dd4e461268c8034f5c8564e155c67a6 2024 [('a', 'b'), ('b', 'a')] [('a', 2)]\n" +
      "3 ('a', '.b') 772b71c8 39\n",
  );
  py.dispose();
});
