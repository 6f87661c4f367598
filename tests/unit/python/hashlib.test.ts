import { beforeAll, describe, expect, test } from "vitest";
import { type PySession, startPython } from "./loadLib.ts";

// swasgi's hashlib in the real runtime. Every expected value is CPython 3.11's output for the
// same snippet; where this runtime must differ, a separate test says why.

let python: PySession;
beforeAll(async () => {
  python = await startPython();
});

describe("hashlib", () => {
  test("md5, sha1, sha256 hexdigest; copy; hmac", () => {
    expect(python.run("import hashlib, hmac\nprint(hashlib.md5(b\"hello\").hexdigest(), hashlib.sha1(b\"hello\").hexdigest())\nprint(hashlib.sha256(b\"hello\").hexdigest(), hashlib.md5().hexdigest(), hashlib.sha1(b\"a\" * 200).hexdigest())\nh = hashlib.sha256(); h.update(b\"hel\"); g = h.copy(); h.update(b\"lo\"); print(h.hexdigest() == hashlib.sha256(b\"hello\").hexdigest(), g.hexdigest() == hashlib.sha256(b\"hel\").hexdigest(), h.digest_size, h.name)\nprint(hashlib.new(\"md5\", b\"x\").hexdigest(), hmac.new(b\"key\", b\"msg\", hashlib.sha256).hexdigest())\nprint(hmac.new(b\"key\", b\"msg\", \"md5\").hexdigest(), hmac.digest(b\"k\" * 100, b\"m\", \"sha1\").hex(), hmac.compare_digest(\"abc\", \"abc\"), hmac.compare_digest(b\"abc\", b\"abd\"))\nprint(hashlib.pbkdf2_hmac(\"sha256\", b\"pw\", b\"salt\", 10).hex())\n")).toBe("5d41402abc4b2a76b9719d911017c592 aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d\n2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824 d41d8cd98f00b204e9800998ecf8427e e61cfffe0d9195a525fc6cf06ca2d77119c24a40\nTrue True 32 sha256\n9dd4e461268c8034f5c8564e155c67a6 2d93cbc1be167bcb1637a4a23cbff01a7878f0c50ee833954ea5221bb1b8c628\n18e3548c59ad40dd03907b7aeee71d67 014f08e9aabf7980d07a205a4c638743915ff915 True False\n72aecd14244887c316e24019c7e020b58888f029861490804d36e20b42d9321a\n");
  });
});

describe("hashlib: big data", () => {
  test("sha256 over 12 MB streams through the C hash; digest() twice answers the same", () => {
    // CPython: hashlib.sha256(bytes(range(256)) * 49152).hexdigest()
    expect(python.run(`
import hashlib
h = hashlib.sha256()
block = bytes(range(256)) * 4096
for _ in range(12):
    h.update(block)
print(h.hexdigest() == h.hexdigest(), h.hexdigest())
try:
    h.copy()
except ValueError:
    print('ValueError')
`)).toBe("True 8b54debaa89f78212f6afb00c7ebb2780f3604c4caa8c97c395576a50d5d6a6a\nValueError\n");
  });
});
