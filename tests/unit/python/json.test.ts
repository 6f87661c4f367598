import { beforeAll, describe, expect, test } from "vitest";
import { type PySession, startPython } from "./loadLib.ts";

// swasgi's json in the real runtime. Every expected value is CPython 3.11's output for the
// same snippet; where this runtime must differ, a separate test says why.

let python: PySession;
beforeAll(async () => {
  python = await startPython();
});

describe("json", () => {
  test("dumps(obj) and separators= go to the C encoder; loads as is", () => {
    expect(python.run("import json\nprint(json.dumps({\"a\": [1, 2.5, None, True]}), json.dumps([1, \"x\"], separators=(\",\", \":\")))\nprint(json.loads('{\"a\": [1, 2, {\"b\": null}]}'))\n")).toBe("{\"a\": [1, 2.5, null, true]} [1,\"x\"]\n{'a': [1, 2, {'b': None}]}\n");
  });
  test("indent=, sort_keys=, nested and empty containers", () => {
    expect(python.run("import json\nprint(json.dumps({\"b\": [1, {\"d\": 2, \"c\": []}], \"a\": {}}, indent=2, sort_keys=True))\nprint(json.dumps([1, [2, 3]], indent=\"\\t\"))\nprint(json.dumps({\"x\": 1, \"y\": 2}, sort_keys=True, separators=(\",\", \":\")))\n")).toBe("{\n  \"a\": {},\n  \"b\": [\n    1,\n    {\n      \"c\": [],\n      \"d\": 2\n    }\n  ]\n}\n[\n\t1,\n\t[\n\t\t2,\n\t\t3\n\t]\n]\n{\"x\":1,\"y\":2}\n");
  });
  test("default=, cls= with a JSONEncoder subclass, TypeError otherwise", () => {
    expect(python.run("import json\nclass Point:\n    def __init__(self, x, y):\n        self.x, self.y = x, y\nprint(json.dumps({\"p\": Point(1, 2)}, default=lambda o: [o.x, o.y]))\nclass Enc(json.JSONEncoder):\n    def default(self, o):\n        return {\"point\": [o.x, o.y]}\nprint(json.dumps([Point(3, 4)], cls=Enc))\ntry:\n    json.dumps(Point(1, 2), sort_keys=True)\nexcept TypeError as e:\n    print(\"TypeError\", e)\n")).toBe("{\"p\": [1, 2]}\n[{\"point\": [3, 4]}]\nTypeError Object of type Point is not JSON serializable\n");
  });
  test("ensure_ascii=True escapes, keys of other types become strings", () => {
    expect(python.run("import json\nprint(json.dumps({\"k\": \"caf\\u00e9 \\U0001f600\"}, ensure_ascii=True))\nprint(json.dumps({1: \"a\"}, indent=None, default=str), json.dumps({None: \"c\"}, default=str), json.dumps({2.5: True}, sort_keys=True))\ntry:\n    json.loads(\"{bad\")\nexcept json.JSONDecodeError:\n    print(\"JSONDecodeError\")\n")).toBe("{\"k\": \"caf\\u00e9 \\ud83d\\ude00\"}\n{\"1\": \"a\"} {\"null\": \"c\"} {\"2.5\": true}\nJSONDecodeError\n");
  });
});
