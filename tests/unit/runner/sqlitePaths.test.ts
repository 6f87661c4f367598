// allowedPath: the one check between SQL (ATTACH, VACUUM INTO, connect) and a file outside the
// app's /data and /tmp. It is a single regular expression (SQLite asks it at every read
// transaction); here it is held against the rule it encodes, written out part by part.
import fc from "fast-check";
import { expect, test } from "vitest";
import { allowedPath } from "../../../src/runner/sqliteVfs.ts";

/** The rule: absolute, at most 512 characters, no NUL, /data or /tmp then parts none of them empty, "." or "..". */
function byParts(path: string): boolean {
  if (path.length > 512 || path.includes("\0")) return false;
  const parts = path.split("/");
  return parts[0] === "" && (parts[1] === "data" || parts[1] === "tmp") && parts.length > 2 && parts.slice(1).every((part) => part !== "" && part !== "." && part !== "..");
}

test("examples", () => {
  for (const good of ["/data/a.db", "/tmp/b.db", "/tmp/a/b/c.db-journal", "/data/.x", "/data/..x", "/data/...", "/data/.. "]) expect(allowedPath(good)).toBe(true);
  for (const bad of ["/data", "/data/", "/data/../x", "/data/./x", "/data/x/..", "/data/x//y", "/data/x/", "/datax/y", "/app/x.db", "x.db", "/data/a\0b", "//data/x", `/data/${"x".repeat(600)}`]) {
    expect(allowedPath(bad)).toBe(false);
  }
});

test("property: the expression agrees with the rule", () => {
  const part = fc.oneof(fc.constantFrom("", ".", "..", "data", "tmp", "x", ".x", "..x", "a\0"), fc.string({ maxLength: 6 }));
  const path = fc.oneof(
    fc.array(part, { maxLength: 6 }).map((parts) => parts.join("/")),
    fc.tuple(fc.constantFrom("/data", "/tmp", "/app", ""), fc.array(part, { maxLength: 5 })).map(([root, parts]) => [root, ...parts].join("/")),
  );
  fc.assert(fc.property(path, (p) => allowedPath(p) === byParts(p)), { numRuns: 5000 });
});
