import { beforeAll, describe, expect, test } from "vitest";
import { type PySession, startPython } from "./loadLib.ts";

// swasgi's os in the real runtime. Every expected value is CPython 3.11's output for the
// same snippet; where this runtime must differ, a separate test says why.

let python: PySession;
beforeAll(async () => {
  python = await startPython();
});

describe("os", () => {
  test("makedirs, walk, environ, getenv, os.path", () => {
    expect(python.run("import os, os.path\nos.makedirs(\"/tmp/t1/a/b\", exist_ok=True); os.makedirs(\"/tmp/t1/a/b\", exist_ok=True)\nwith open(\"/tmp/t1/a/f.txt\", \"w\") as f:\n    f.write(\"hello\")\nprint(list(os.walk(\"/tmp/t1\")), sorted(e.name for e in os.scandir(\"/tmp/t1/a\")), os.stat(\"/tmp/t1/a/f.txt\").st_size)\nprint(os.path.getsize(\"/tmp/t1/a/f.txt\"), os.path.isdir(\"/tmp/t1/a\"), os.path.isfile(\"/tmp/t1/a/f.txt\"), os.path.exists(\"/tmp/nope\"), os.path.isfile(\"/tmp/t1\"))\nprint(os.path.join(\"a\", \"b\", \"/c\", \"d\"), os.path.splitext(\"x/y.tar.gz\"), os.path.splitext(\".bashrc\"), os.path.split(\"/a/b/\"), os.path.basename(\"/a/b.txt\"), os.path.dirname(\"/a/b.txt\"))\nprint(os.path.normpath(\"/a//b/./c/..\"), os.path.normpath(\"a/../../b\"), os.path.abspath(\"/x/../y\"), os.path.relpath(\"/a/b/c\", \"/a/d\"), os.path.isabs(\"/a\"))\nprint(hasattr(os.environ, \"get\"), os.getenv(\"SWASGI_NOPE\"), os.getenv(\"SWASGI_NOPE\", \"dflt\"), os.sep, os.linesep == \"\\n\")\ntry:\n    os.makedirs(\"/tmp/t1/a\")\nexcept FileExistsError as e:\n    print(\"FileExistsError\", e.errno)\n")).toBe("[('/tmp/t1', ['a'], []), ('/tmp/t1/a', ['b'], ['f.txt']), ('/tmp/t1/a/b', [], [])] ['b', 'f.txt'] 5\n5 True True False False\n/c/d ('x/y.tar', '.gz') ('.bashrc', '') ('/a/b', '') b.txt /a\n/a/b ../b /y ../b/c True\nTrue None dflt / True\nFileExistsError 17\n");
  });
});
