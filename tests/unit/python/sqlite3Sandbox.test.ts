// What sqlite3 does in the sandbox that CPython's does not have to: where databases may live,
// the time limit, the memory share, and the ImportError when the engine was not loaded.
import fc from "fast-check";
import { expect, test } from "vitest";
import { startSqlite } from "./sqliteSession.ts";

test("databases open only under /data, /tmp or in memory; the error says where they may live", async () => {
  const s = await startSqlite();
  s.run("import sqlite3\n");
  for (const path of ["/app/x.db", "x.db", "/data/../app/x.db", "/data", "file:/data/x.db?vfs=kvvfs", "/etc/passwd"]) {
    expect(s.error(`sqlite3.connect(${JSON.stringify(path)})`)).toMatch(/^OperationalError: unable to open database file: ".*" is not under \/data or \/tmp/);
  }
  expect(s.run(`for p in ("/data/a.db", "/tmp/b.db", ":memory:", ""):\n    print(sqlite3.connect(p).execute("select 1").fetchone())\n`)).toBe("(1,)\n".repeat(4));
});

test("ATTACH reaches only the app's own /data and /tmp; VACUUM INTO elsewhere is refused", async () => {
  const s = await startSqlite();
  s.run(`import sqlite3\nc = sqlite3.connect("/data/main.db")\nc.isolation_level = None\n`);
  expect(s.run(`c.execute("attach '/tmp/other.db' as o"); c.execute("attach ':memory:' as m"); print(len(c.execute("pragma database_list").fetchall()))\n`)).toBe("3\n");
  for (const target of ["/app/x.db", "file:/tmp/x.db?vfs=kvvfs", "/tmp/../app/x.db"]) {
    expect(s.error(`c.execute("attach '${target}' as x")`)).toBe("DatabaseError: not authorized");
  }
  // Only a literal can be checked (CPython too maps SQLITE_AUTH to DatabaseError).
  expect(s.error(`c.execute("attach ? as x", ("/tmp/ok.db",))`)).toBe("DatabaseError: not authorized");
  expect(s.error(`c.execute("vacuum into '/app/copy.db'")`)).toBe("DatabaseError: authorization denied");
  expect(s.error(`c.execute("select load_extension('/tmp/x.so')")`)).toBe("OperationalError: no such function: load_extension");
});

test("modes that would keep a connection's own state across a /data rollback are refused", async () => {
  const s = await startSqlite();
  s.run(`import sqlite3\nc = sqlite3.connect("/data/m.db")\n`);
  for (const pragma of ["locking_mode=EXCLUSIVE", "main.locking_mode = exclusive", "journal_mode=memory", "journal_mode='off'"]) {
    expect(s.error(`c.execute("pragma ${pragma}")`), pragma).toBe("DatabaseError: not authorized");
  }
  // Asking for WAL is harmless: SQLite keeps the rollback journal here, and says so.
  expect(s.run(`for p in ("journal_mode", "journal_mode=truncate", "journal_mode=delete", "journal_mode=WAL", "locking_mode", "locking_mode=normal"):\n    print(c.execute("pragma " + p).fetchone())\n`)).toBe("('delete',)\n('truncate',)\n('delete',)\n('delete',)\n('normal',)\n('normal',)\n");
});

test("cursors left half-read do not pile up: past 256 the oldest is closed, and reading it again says so", async () => {
  const s = await startSqlite();
  s.run(`import sqlite3\nc = sqlite3.connect(":memory:")\nc.execute("create table t(x)")\nc.executemany("insert into t values (?)", [(i,) for i in range(300)])\n`);
  // Each query has more rows than one batch: its statement stays open after fetchone().
  s.run(`first = c.execute("select x from t")\nprint(first.fetchone())\nfor i in range(300):\n    c.execute("select x from t").fetchone()\n`);
  expect(s.run(`print(c.execute("select count(*) from t").fetchone())\n`)).toBe("(300,)\n");
  expect(s.run(`print(len(first.fetchmany(255)))\n`)).toBe("255\n");
  expect(s.error(`first.fetchall()`)).toMatch(/^OperationalError: this cursor was closed: more than 256 cursors were left unfinished/);
});

test("a runaway recursive CTE stops at the time limit and the connection works afterwards", async () => {
  const s = await startSqlite({ timeoutMs: 300 });
  s.run(`import sqlite3\nc = sqlite3.connect("/data/t.db")\nc.execute("create table t(x)")\nc.execute("insert into t values (42)")\nc.commit()\n`);
  const last = s.error(`c.execute("with recursive n(i) as (select 1 union all select i + 1 from n) select count(*) from n").fetchone()`);
  expect(last).toMatch(/^(KeyboardInterrupt|OperationalError: interrupted)/);
  expect(s.py.dead).toBeUndefined();
  expect(s.run(`print(c.execute("select x from t").fetchone(), c.in_transaction)\n`)).toBe("(42,) False\n");
});

test("SQLite's memory is capped: a query past the app's share fails with MemoryError, the connection lives on", async () => {
  const s = await startSqlite();
  s.run(`import sqlite3\nc = sqlite3.connect(":memory:")\n`);
  const last = s.error(`c.execute("with recursive n(i) as (select 1 union all select i + 1 from n where i < 100000) select length(group_concat(randomblob(1000))) from n").fetchone()`);
  expect(last).toMatch(/^MemoryError: out of memory/);
  expect(s.run(`print(c.execute("select 6 * 7").fetchone())\n`)).toBe("(42,)\n");
});

test("without the engine (the import scan found no `import sqlite3`), the import fails and says why", async () => {
  const s = await startSqlite({ engine: false });
  expect(s.error("import sqlite3")).toMatch(/^ImportError: sqlite3 is not available: swasgi loads the SQLite engine only for apps that import sqlite3/);
});

test("a database written in one interpreter is a plain SQLite file: another interpreter reads it", async () => {
  const a = await startSqlite();
  a.run(`import sqlite3\nc = sqlite3.connect("/data/x.db")\nc.execute("create table t(v)")\nc.executemany("insert into t values (?)", [(i,) for i in range(1000)])\nc.commit()\n`);
  const bytes = a.py.fs.readFile("/data/x.db");
  expect(new TextDecoder().decode(bytes.subarray(0, 15))).toBe("SQLite format 3");
  const b = await startSqlite();
  b.py.fs.writeFile("/data/x.db", bytes);
  expect(b.run(`import sqlite3\nprint(sqlite3.connect("/data/x.db").execute("select count(*), sum(v) from t").fetchone())\n`)).toBe("(1000, 499500)\n");
});

test("parameters: an app's dict never passes for a blob, nested containers are refused by name", async () => {
  const s = await startSqlite();
  s.run(`import sqlite3\nc = sqlite3.connect(":memory:")\n`);
  expect(s.error(`c.execute("select ?", ({"b": "00"},))`)).toBe("ProgrammingError: Error binding parameter 1: type 'dict' is not supported");
  expect(s.error(`c.execute("select ?", (b"x", {"b": "00"}))`)).toBe("ProgrammingError: Error binding parameter 2: type 'dict' is not supported");
  expect(s.error(`c.execute("select :a", {"a": [1]})`)).toBe("ProgrammingError: Error binding parameter :a: type 'list' is not supported");
  expect(s.run(`print(c.execute("select ?, ?, ?", (b'{"b": "00"}', '{"b":"00"}', bytearray(b"\\x01"))).fetchone())\n`)).toBe(`(b'{"b": "00"}', '{"b":"00"}', b'\\x01')\n`);
});

test("property: any int64, finite float, str and bytes comes back equal and of the same type", async () => {
  const s = await startSqlite();
  s.run(`import sqlite3, json, struct\nc = sqlite3.connect(":memory:")\n`);
  const value = fc.oneof(
    fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map((n) => `${n}`),
    fc.double({ noNaN: true }).map((d) => {
      const bytes = Buffer.alloc(8);
      bytes.writeDoubleLE(d);
      return `struct.unpack("<d", bytes.fromhex("${bytes.toString("hex")}"))[0]`;
    }),
    fc.string({ unit: "binary" }).map((t) => `json.loads(${JSON.stringify(JSON.stringify(t))})`),
    fc.uint8Array({ maxLength: 64 }).map((b) => `bytes.fromhex("${Buffer.from(b).toString("hex")}")`),
  );
  fc.assert(
    fc.property(fc.array(value, { minLength: 1, maxLength: 8 }), (literals) => {
      const printed = s.run(
        `vals = [${literals.join(", ")}]\n` +
          `got = c.execute("select " + ", ".join("?" * len(vals)), vals).fetchone()\n` +
          `print(all(type(a) is type(b) and (a == b or a != a) for a, b in zip(vals, got)) and len(got) == len(vals))\n`,
      );
      expect(printed).toBe("True\n");
    }),
    { numRuns: 200 },
  );
});

test("forged calls into _swasgi_sqlite get an error answer: bad addresses, values the FFI cannot carry exactly, unknown handles and keys", async () => {
  const s = await startSqlite();
  s.run(`import sqlite3, array, uctypes, _swasgi_sqlite as H\nc = sqlite3.connect(":memory:")\nout = array.array("q", [7] * 5)\nat = uctypes.addressof(out)\n`);
  const answer = (call: string) => s.run(`print(repr(${call}))\n`).trim();
  for (const where of ["-1", "None", "2**30", "'x'"]) {
    expect(answer(`H.run(c._handle, ${where}, "select 1", 1, 0)`)).toBe(`'{"e":["InterfaceError","_swasgi_sqlite: out must be the address of 5 int64",-1,""]}'`);
  }
  // A value run() does not take (bytes, an int past 32 bits: the FFI would truncate it) is
  // answered 2 before anything runs, and _sqlite3.py sends the parameters again as JSON.
  for (const value of ['b"x"', "2**40", "-2**31 - 1", "[1]"]) expect(answer(`H.run(c._handle, at, "select ?", 1, 0, ${value})`)).toBe("2");
  expect(answer(`H.run(c._handle, at, "select ?, ?", 2, 0, -2**31, 2**31 - 1)`)).toBe(`'[["?","?"],[[-2147483648,2147483647]]]'`);
  expect(answer(`H.run(c._handle, at, 2**40, 1, 0)`)).toMatch(/^'\{"e":\["InterfaceError","_swasgi_sqlite: run\(/);
  expect(answer(`H.run(c._handle, at, "select ?, ?", 2, 0, 2.0, 2)`)).toBe(`'[["?","?"],[[2.0,2]]]'`);
  expect(s.run(`print(list(out))\n`)).toMatch(/^\[-1, 0, 0, \d+, \d+\]\n$/);
  // The key stands for the SQL text in later calls of this connection only; others name nothing (answer 1).
  s.run("key = out[4]\n");
  expect(answer(`H.run(c._handle, at, key, 2, out[3], 3.5, 4)`)).toBe(`'[[3.5,4]]'`);
  for (const key of ["999", "0", "-1", "True", "None"]) expect(answer(`H.run(c._handle, at, ${key}, 2, 0, 1, 2)`)).toMatch(/^(1|'\{"e":\["InterfaceError","_swasgi_sqlite: run\(.*)$/);
  expect(answer(`H.run(c._handle, at, 999, 2, 0, 1, 2)`)).toBe("1");
  expect(answer(`H.run(sqlite3.connect(":memory:")._handle, at, key, 2, 0, 1, 2)`)).toBe("1");
  expect(answer(`H.run(999, at, "select 1", 1, 0)`)).toBe(`'{"e":["ProgrammingError","Cannot operate on a closed database.",-1,""]}'`);
  expect(answer(`H.execute(c._handle, at, "select ?", "[", 1, 0)`)).toMatch(/^'\{"e":\["ProgrammingError","parameters could not be read/);
  expect(answer(`H.execute(c._handle, at, "select ?", None, 1, 0)`)).toMatch(/^'\{"e":\["InterfaceError","_swasgi_sqlite: execute\(/);
  // The implicit BEGIN is one of SQLite's forms, nothing else.
  expect(answer(`H.begin(c._handle, "BEGIN; DROP TABLE x")`)).toMatch(/^'\{"e":\["InterfaceError","_swasgi_sqlite: begin\(/);
  expect(answer(`H.begin(c._handle, "BEGIN IMMEDIATE")`)).toBe("'0'");
  // The connection is as it was.
  expect(s.run(`print(c.execute("select ?", (1,)).fetchone())\n`)).toBe("(1,)\n");
});

test("a connection keeps keys for its SQL texts: past the host's limit a dropped key is answered by sending the text again", async () => {
  const s = await startSqlite();
  s.run(`import sqlite3, _sqlite3\nc = sqlite3.connect(":memory:")\nc.execute("create table t(x)")\n`);
  // 1,100 distinct texts (the host keeps 1,024 keys), then the first ones again: their keys were dropped.
  expect(s.run(`for i in range(1100):\n    c.execute("insert into t values (%d)" % i)\nfor i in range(3):\n    assert c.execute("insert into t values (%d)" % i).rowcount == 1\nprint(c.execute("select count(*), sum(x) from t").fetchone())\n`)).toBe("(1103, 604453)\n");
  // Python's own cache starts over past 256 texts; a forgotten key is asked for again.
  s.run(`_sqlite3._NAMES_KEPT = 3\n`);
  expect(s.run(`for i in range(10):\n    print(c.execute("select x, %d as k from t where x = ?" % (i % 4), (i,)).fetchone(), end=" ")\nprint()\n`)).toBe("(0, 0) (1, 1) (2, 2) (3, 3) (4, 0) (5, 1) (6, 2) (7, 3) (8, 0) (9, 1) \n");
});
