// `swasgi build` ships the SQLite engine only to sites with an app that imports sqlite3.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { buildSite } from "../../../src/cli/buildSite.ts";
import { usesSqlite } from "../../../src/runner/sqliteEngine.ts";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "swasgi-sqlite-build-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const engineFiles = async (apps: string[]) =>
  (await buildSite({ apps: apps.map((name) => ({ dir: `examples/${name}`, mount: `/${name}/` })), out: path.join(dir, apps.join("-")), check: false })).files
    .map((file) => file.path)
    .filter((file) => file.startsWith("swasgi-sqlite/"))
    .sort();

test("a site without sqlite3 has no engine files; one app that imports it brings them", async () => {
  expect(await engineFiles(["hello", "notes"])).toEqual([]);
  expect(await engineFiles(["hello", "todo"])).toEqual(["swasgi-sqlite/sqlite-engine.js", "swasgi-sqlite/sqlite3.wasm"]);
});

test("the import scan finds the forms of import an app writes, and not the word elsewhere", () => {
  const scan = (source: string) => usesSqlite(new Map([["pkg/db.py", new TextEncoder().encode(source)]]));
  for (const yes of ["import sqlite3", "import os, sqlite3", "import json as j, sqlite3 as db", "from sqlite3 import Row", "    import sqlite3  # lazily"]) {
    expect(scan(`x = 1\n${yes}\n`), yes).toBe(true);
  }
  for (const no of ["# import sqlite3", "s = 'sqlite3'", "import sqlite3x", "import mysqlite3"]) expect(scan(`${no}\n`), no).toBe(false);
  expect(usesSqlite(new Map([["notes.txt", new TextEncoder().encode("import sqlite3\n")]]))).toBe(false);
});

test("swasgi's Python library ships only to sites with an app that imports one of its modules", async () => {
  const shipped = async (apps: string[]) =>
    (await buildSite({ apps: apps.map((name) => ({ dir: `examples/${name}`, mount: `/${name}/` })), out: path.join(dir, `lib-${apps.join("-")}`), check: false })).files.some(
      (file) => file.path === "swasgi-pylib.json",
    );
  expect(await shipped(["hello", "stream"])).toBe(false);
  expect(await shipped(["hello", "notes"])).toBe(true);
});
