// sqlite3's API in the real runtime. Each case is Python that runs unchanged under CPython
// 3.11, and the expected output is what CPython printed for it (regenerate by running the
// code with python3); the few places where swasgi differs say why.
import { beforeAll, expect, test } from "vitest";
import { type SqliteSession, startSqlite } from "./sqliteSession.ts";

let s: SqliteSession;
beforeAll(async () => {
  s = await startSqlite();
});

/** Runs a case in a fresh namespace (every case starts with `import sqlite3`). */
function run(code: string): string {
  return s.run(`def _case():\n    import sqlite3\n${code.replace(/^/gm, "    ")}\n_case()\n`);
}

test("types round-trip exactly (64-bit ints, floats, text, bytes, None)", () => {
  expect(run(String.raw`c = sqlite3.connect(":memory:")
values = [None, 0, 1, -1, 2**53 + 1, 2**62, -2**63, 2**63 - 1, 0.1 + 0.2, 1e300, -2.5, float("inf"), "", "é ✓ 🐍", "a\x00b", b"", b"\x00\xff" * 3, True]
for v in values:
    got = c.execute("select ?, typeof(?)", (v, v)).fetchone()
    # (str values compared, not printed: MicroPython's repr escapes non-ASCII)
    print((got[0] == v, len(got[0]), got[1]) if type(v) is str else repr(got))`)).toBe(String.raw`(None, 'null')
(0, 'integer')
(1, 'integer')
(-1, 'integer')
(9007199254740993, 'integer')
(4611686018427387904, 'integer')
(-9223372036854775808, 'integer')
(9223372036854775807, 'integer')
(0.30000000000000004, 'real')
(1e+300, 'real')
(-2.5, 'real')
(inf, 'real')
(True, 0, 'text')
(True, 5, 'text')
(True, 3, 'text')
(b'', 'blob')
(b'\x00\xff\x00\xff\x00\xff', 'blob')
(1, 'integer')
`);
});

test("parameters by either route (the call's own arguments, or JSON) bind the same: edges of each", () => {
  expect(run(String.raw`c = sqlite3.connect(":memory:")
# Each value alone and in company: the fast path (ints within 32 bits, float, str, None, bool)
# and the JSON path (larger ints, bytes, subclasses) must agree to the bit.
class S(str):
    pass
class I(int):
    pass
edges = [2**30 - 1, -2**30, 2**30, -2**30 - 1, 2**31 - 1, -2**31, 2**31, -2**31 - 1, 2**53 + 1, -2**63, 2**63 - 1, 0, -0.0, 2.0, 2, 1e-310, True, False, None, "", "a\x00b", "é✓🐍", "x" * 70, "é" * 70, b"\x00", bytearray(b"ab"), S("s"), I(7)]
for v in edges:
    for params in ((v,), [v], (v, 1, "x"), (b"", v)):
        got = c.execute("select " + ", ".join("?" * len(params)) + ", typeof(?)", tuple(params) + (v,)).fetchone()
        want = tuple(int(x) if type(x) is bool else (bytes(x) if type(x) is bytearray else x) for x in params)
        ok = got[:-1] == want and [type(a) for a in got[:-1]] == [type(b) if type(b) not in (bool, S, I, bytearray) else {bool: int, S: str, I: int, bytearray: bytes}[type(b)] for b in want]
        if not ok:
            print("MISMATCH", repr(v), got)
    print(type(v).__name__, c.execute("select typeof(?)", (v,)).fetchone()[0])
many = tuple(range(300))
print(c.execute("select " + ", ".join("?" * 300), many).fetchone() == many)
print(c.execute("select " + ", ".join("?" * 200), many[:200]).fetchone() == many[:200])
for params in ((), (1,), (1, 2, 3), [1, 2, 3]):
    try:
        c.execute("select ?, ?", params)
    except sqlite3.ProgrammingError as e:
        print("ProgrammingError", e)
try:
    c.execute("select ?", 5)
except sqlite3.ProgrammingError as e:
    print("ProgrammingError", e)
try:
    c.execute("select ?", (object(),))
except sqlite3.ProgrammingError as e:
    print("ProgrammingError", e)
for v in (2**63, -2**63 - 1):
    try:
        c.execute("select ?, ?", (1, v))
    except OverflowError as e:
        print("OverflowError", e)`)).toBe(String.raw`int integer
int integer
int integer
int integer
int integer
int integer
int integer
int integer
int integer
int integer
int integer
int integer
float real
float real
int integer
float real
bool integer
bool integer
NoneType null
str text
str text
str text
str text
str text
bytes blob
bytearray blob
S text
I integer
True
True
ProgrammingError Incorrect number of bindings supplied. The current statement uses 2, and there are 0 supplied.
ProgrammingError Incorrect number of bindings supplied. The current statement uses 2, and there are 1 supplied.
ProgrammingError Incorrect number of bindings supplied. The current statement uses 2, and there are 3 supplied.
ProgrammingError Incorrect number of bindings supplied. The current statement uses 2, and there are 3 supplied.
ProgrammingError parameters are of unsupported type
ProgrammingError Error binding parameter 1: type 'object' is not supported
OverflowError Python int too large to convert to SQLite INTEGER
OverflowError Python int too large to convert to SQLite INTEGER
`);
});

test("column names follow the statement: per connection, after a schema change, for an empty result, on a reused cursor", () => {
  expect(run(String.raw`a = sqlite3.connect(":memory:")
b = sqlite3.connect(":memory:")
for c in (a, b):
    c.execute("create table t(x, y)")
b.execute("alter table t add column z")
q = "select * from t"
for c in (a, b, a, b):
    cur = c.execute(q)
    print(cur.description and [d[0] for d in cur.description], cur.fetchall())
cur = a.cursor()
for sql in ("select 1 as one", "insert into t values (1, 2)", "select x, y from t where x = ?", "select 1 as one", "select 2 as two where 0"):
    cur.execute(sql, (1,) if "?" in sql else ())
    print(cur.description and [d[0] for d in cur.description], cur.rowcount, cur.lastrowid, cur.fetchall())
a.row_factory = sqlite3.Row
for sql in ("select x as first from t", "select y as second from t", "select x as first from t"):
    print([tuple(r.keys()) + tuple(r) for r in a.execute(sql)])
half = a.execute("with recursive n(v) as (select 1 union all select v + 1 from n where v < 600) select v from n")
print(half.fetchone()[0], len(half.fetchmany(300)), half.execute("select 5").fetchone()[0])`)).toBe(String.raw`['x', 'y'] []
['x', 'y', 'z'] []
['x', 'y'] []
['x', 'y', 'z'] []
['one'] -1 0 [(1,)]
None 1 1 []
['x', 'y'] -1 1 [(1, 2)]
['one'] -1 1 [(1,)]
['two'] -1 1 []
[('first', 1)]
[('second', 2)]
[('first', 1)]
1 300 5
`);
});

test("a hot journal next to a database is found and rolled back, in /tmp, a folder of it, and /data", () => {
  expect(run(String.raw`import os
BASE = ""  # (under CPython, a scratch folder)
def copy(src, dst):
    with open(src, "rb") as f:
        data = f.read()
    with open(dst, "wb") as f:
        f.write(data)
for folder in (BASE + "/tmp", BASE + "/tmp/sub", BASE + "/data"):
    try:
        os.mkdir(folder)
    except OSError:
        pass
    a = sqlite3.connect(folder + "/a.db")
    a.execute("create table t(x)")
    a.execute("insert into t values ('before')")
    a.commit()
    a.execute("update t set x = 'during'")
    a.execute("insert into t select 'more' from t")
    # A copy of the file and its journal mid-transaction: to a new connection, a hot journal.
    copy(folder + "/a.db", folder + "/b.db")
    copy(folder + "/a.db-journal", folder + "/b.db-journal")
    a.rollback()
    a.close()
    b = sqlite3.connect(folder + "/b.db")
    print(folder[len(BASE):], b.execute("select x from t").fetchall(), os.path.exists(folder + "/b.db-journal"))
    b.close()`)).toBe(String.raw`/tmp [('before',)] True
/tmp/sub [('before',)] True
/data [('before',)] True
`);
});

test("integer overflow is OverflowError", () => {
  expect(run(String.raw`c = sqlite3.connect(":memory:")
for v in (2**63, -2**63 - 1):
    try:
        c.execute("select ?", (v,))
    except OverflowError as e:
        print("OverflowError", e)`)).toBe(String.raw`OverflowError Python int too large to convert to SQLite INTEGER
OverflowError Python int too large to convert to SQLite INTEGER
`);
});

test("qmark and named parameters; executemany", () => {
  expect(run(String.raw`c = sqlite3.connect(":memory:")
c.execute("create table t(id integer primary key, name text, n)")
cur = c.executemany("insert into t(name, n) values (?, ?)", [("a", 1), ("b", 2), ("c", 3)])
print(cur.rowcount, cur.lastrowid)
cur = c.executemany("insert into t(name, n) values (:name, :n)", ({"name": x, "n": i} for i, x in enumerate("de")))
print(cur.rowcount)
print(c.execute("select name from t where n >= :low order by name", {"low": 1}).fetchall())
print(c.execute("select count(*) from t where name like ?", ("%",)).fetchone())`)).toBe(String.raw`3 None
2
[('a',), ('b',), ('c',), ('e',)]
(5,)
`);
});

test("cursor: fetchone, fetchmany, fetchall, iteration, description, rowcount, lastrowid", () => {
  expect(run(String.raw`c = sqlite3.connect(":memory:")
c.execute("create table t(x)")
cur = c.cursor()
print(cur.description, cur.rowcount, cur.lastrowid, cur.fetchone())
cur.execute("insert into t values (1)")
print(cur.rowcount, cur.lastrowid, cur.description)
c.executemany("insert into t values (?)", [(i,) for i in range(2, 1001)])
cur.execute("select x, x * 2 as double from t order by x")
print(cur.description)
print(cur.rowcount)
print(cur.fetchone())
print(cur.fetchmany())
print(cur.fetchmany(3))
cur.arraysize = 2
print(cur.fetchmany())
rest = cur.fetchall()
print(len(rest), rest[0], rest[-1])
print(cur.fetchone(), cur.fetchall(), cur.fetchmany(5))
print(sum(x for (x,) in c.execute("select * from t")))
print(c.execute("update t set x = x + 1 where x > 990").rowcount)
print(c.execute("delete from t where x > 995").rowcount)
print(c.execute("select 1").rowcount)`)).toBe(String.raw`None -1 None None
1 1 None
(('x', None, None, None, None, None, None), ('double', None, None, None, None, None, None))
-1
(1, 2)
[(2, 4)]
[(3, 6), (4, 8), (5, 10)]
[(6, 12), (7, 14)]
993 (8, 16) (1000, 2000)
None [] []
500500
10
6
-1
`);
});

test("sqlite3.Row: index, name (any case), keys, len, iteration, equality", () => {
  expect(run(String.raw`c = sqlite3.connect(":memory:")
c.row_factory = sqlite3.Row
row = c.execute("select 1 as a, 'two' as Bee, null as c").fetchone()
print(type(row).__name__, row[0], row["a"], row["bee"], row["BEE"], row[-1], row.keys(), len(row), tuple(row), list(row))
print(row == c.execute("select 1 as a, 'two' as Bee, null as c").fetchone())
try:
    row["nope"]
except IndexError as e:
    print("IndexError", e)
c.row_factory = lambda cursor, values: sorted({d[0]: v for d, v in zip(cursor.description, values)}.items())
print(c.execute("select 1 as x, 2 as y").fetchall())`)).toBe(String.raw`Row 1 1 two two None ['a', 'Bee', 'c'] 3 (1, 'two', None) [1, 'two', None]
True
IndexError No item with that key
[[('x', 1), ('y', 2)]]
`);
});

test("transactions: implicit BEGIN before DML, commit, rollback, in_transaction, total_changes", () => {
  expect(run(String.raw`c = sqlite3.connect(":memory:")
print(c.isolation_level == "", c.in_transaction, c.total_changes)
c.execute("create table t(x)")
print(c.in_transaction)
c.execute("insert into t values (1)")
print(c.in_transaction, c.total_changes)
c.rollback()
print(c.in_transaction, c.execute("select count(*) from t").fetchone())
c.execute("insert into t values (2)")
c.commit()
c.execute("insert into t values (3)")
c.rollback()
print(c.execute("select x from t").fetchall(), c.total_changes)
c.isolation_level = None
c.execute("insert into t values (4)")
print(c.in_transaction)
c.execute("begin")
c.execute("insert into t values (5)")
print(c.in_transaction)
c.rollback()
print(c.execute("select x from t").fetchall())
try:
    c.isolation_level = "sometimes"
except ValueError as e:
    print("ValueError", e)`)).toBe(String.raw`True False 0
False
True 1
False (0,)
[(2,)] 3
False
True
[(2,), (4,)]
ValueError isolation_level string must be '', 'DEFERRED', 'IMMEDIATE', or 'EXCLUSIVE'
`);
});

test("the connection as a context manager commits, or rolls back on an exception", () => {
  expect(run(String.raw`c = sqlite3.connect(":memory:")
c.execute("create table t(x unique)")
with c:
    c.execute("insert into t values (1)")
try:
    with c:
        c.execute("insert into t values (2)")
        c.execute("insert into t values (1)")
except sqlite3.IntegrityError as e:
    print("IntegrityError", e, e.sqlite_errorcode, e.sqlite_errorname)
print(c.execute("select x from t").fetchall(), c.in_transaction)`)).toBe(String.raw`IntegrityError UNIQUE constraint failed: t.x 2067 SQLITE_CONSTRAINT_UNIQUE
[(1,)] False
`);
});

test("executescript commits first and runs every statement", () => {
  expect(run(String.raw`c = sqlite3.connect(":memory:")
c.execute("create table t(x)")
c.execute("insert into t values (1)")
c.executescript("""
    insert into t values (2);
    create table u(y); -- a comment
    insert into u select x * 10 from t;
""")
print(c.in_transaction, c.execute("select * from u order by y").fetchall())
try:
    c.executescript("insert into t values (3); selec 4;")
except sqlite3.OperationalError as e:
    print("OperationalError", e)
print(c.execute("select count(*) from t").fetchone())`)).toBe(String.raw`False [(10,), (20,)]
OperationalError near "selec": syntax error
(3,)
`);
});

test("errors: classes and SQLite's own messages", () => {
  expect(run(String.raw`c = sqlite3.connect(":memory:")
def attempt(f):
    try:
        f()
        print("no error")
    except sqlite3.Error as e:
        print(type(e).__name__, "|", e, "|", getattr(e, "sqlite_errorname", None))
attempt(lambda: c.execute("selec 1"))
attempt(lambda: c.execute("select * from missing"))
attempt(lambda: c.execute("select ?", (1, 2)))
attempt(lambda: c.execute("select ?"))
attempt(lambda: c.execute("select :a", {"b": 1}))
attempt(lambda: c.execute("select ?", {"b": 1}))
attempt(lambda: c.execute("select ?", ([1],)))
attempt(lambda: c.execute("select 1; select 2"))
attempt(lambda: c.execute("select 1; -- only a comment"))
attempt(lambda: c.execute("select 1;;"))
for sql in ("", "-- nothing", "  ;"):
    cur = c.execute(sql)
    print(repr(sql), cur.description, cur.fetchall(), cur.rowcount)
attempt(lambda: c.executemany("select ?", [(1,)]))
c.execute("create table t(x integer primary key, y not null, z check (z > 0))")
attempt(lambda: c.execute("insert into t values (1, null, 1)"))
attempt(lambda: c.execute("insert into t values (1, 1, 0)"))
attempt(lambda: c.execute("insert into t values ('a', 1, 1)"))
try:
    c.execute("select load_extension('x')")
except sqlite3.OperationalError:
    print("load_extension: OperationalError")  # CPython: "not authorized"; swasgi's build has none
print(issubclass(sqlite3.IntegrityError, sqlite3.DatabaseError), issubclass(sqlite3.DatabaseError, sqlite3.Error), issubclass(sqlite3.Error, Exception))
print(issubclass(sqlite3.ProgrammingError, sqlite3.DatabaseError), issubclass(sqlite3.InterfaceError, sqlite3.Error), issubclass(sqlite3.Warning, Exception), issubclass(sqlite3.NotSupportedError, sqlite3.DatabaseError), issubclass(sqlite3.DataError, sqlite3.DatabaseError), issubclass(sqlite3.InternalError, sqlite3.DatabaseError))`)).toBe(String.raw`OperationalError | near "selec": syntax error | SQLITE_ERROR
OperationalError | no such table: missing | SQLITE_ERROR
ProgrammingError | Incorrect number of bindings supplied. The current statement uses 1, and there are 2 supplied. | None
ProgrammingError | Incorrect number of bindings supplied. The current statement uses 1, and there are 0 supplied. | None
ProgrammingError | You did not supply a value for binding parameter :a. | None
ProgrammingError | Binding 1 has no name, but you supplied a dictionary (which has only names). | None
ProgrammingError | Error binding parameter 1: type 'list' is not supported | None
ProgrammingError | You can only execute one statement at a time. | None
no error
ProgrammingError | You can only execute one statement at a time. | None
'' None [] -1
'-- nothing' None [] -1
'  ;' None [] -1
ProgrammingError | executemany() can only execute DML statements. | None
IntegrityError | NOT NULL constraint failed: t.y | SQLITE_CONSTRAINT_NOTNULL
IntegrityError | CHECK constraint failed: z > 0 | SQLITE_CONSTRAINT_CHECK
IntegrityError | datatype mismatch | SQLITE_MISMATCH
load_extension: OperationalError
True True True
True True True True True True
`);
});

test("a closed connection or cursor refuses work", () => {
  expect(run(String.raw`c = sqlite3.connect(":memory:")
cur = c.execute("select 1")
cur.close()
try:
    cur.fetchone()
except sqlite3.ProgrammingError as e:
    print("ProgrammingError", e)
c.close()
c.close()
for f in (lambda: c.execute("select 1"), lambda: c.commit(), lambda: c.cursor()):
    try:
        f()
    except sqlite3.ProgrammingError as e:
        print("ProgrammingError", e)`)).toBe(String.raw`ProgrammingError Cannot operate on a closed cursor.
ProgrammingError Cannot operate on a closed database.
ProgrammingError Cannot operate on a closed database.
ProgrammingError Cannot operate on a closed database.
`);
});

test("module constants and adapters", () => {
  expect(run(String.raw`print(sqlite3.apilevel, sqlite3.paramstyle, sqlite3.version_info, sqlite3.PARSE_DECLTYPES, sqlite3.PARSE_COLNAMES)
print(type(sqlite3.sqlite_version).__name__, len(sqlite3.sqlite_version_info), sqlite3.sqlite_version_info >= (3, 40, 0))
class Point:
    def __init__(self, x, y):
        self.x, self.y = x, y
sqlite3.register_adapter(Point, lambda p: "%s;%s" % (p.x, p.y))
c = sqlite3.connect(":memory:")
print(c.execute("select ?", (Point(1, 2),)).fetchone())
print(c.execute("select ?", (sqlite3.Binary(b"ab"),)).fetchone())
print(sqlite3.complete_statement("select 1;"), sqlite3.complete_statement("select 'a;"))`)).toBe(String.raw`2.0 qmark (2, 6, 0) 1 2
str 3 True
('1;2',)
(b'ab',)
True False
`);
});

test("a statement's columns follow a schema change (select * after ALTER TABLE)", () => {
  expect(run(String.raw`c = sqlite3.connect(":memory:")
c.execute("create table t(a)")
c.execute("insert into t values (1)")
for i in range(2):
    print([d[0] for d in c.execute("select * from t").description], c.execute("select * from t").fetchall())
    c.execute("alter table t add column b%d default %d" % (i, i))
print([d[0] for d in c.execute("select * from t").description], c.execute("select * from t").fetchall())`)).toBe(String.raw`['a'] [(1,)]
['a', 'b0'] [(1, 0)]
['a', 'b0', 'b1'] [(1, 0, 1)]
`);
});

test("files in /tmp: two connections see each other's commits", () => {
  expect(run(String.raw`import os
try:
    os.remove("/tmp/swasgi-two.db")
except OSError:
    pass
a = sqlite3.connect("/tmp/swasgi-two.db")
b = sqlite3.connect("/tmp/swasgi-two.db")
a.execute("create table t(x)")
a.execute("insert into t values ('from a')")
print(b.execute("select name from sqlite_master").fetchall())
a.commit()
print(b.execute("select x from t").fetchall())
b.execute("insert into t values ('from b')")
try:
    a.execute("insert into t values ('blocked')")
except sqlite3.OperationalError as e:
    print("OperationalError", e)
b.commit()
print(a.execute("select x from t order by x").fetchall())
a.close(); b.close()
os.remove("/tmp/swasgi-two.db")`)).toBe(String.raw`[('t',)]
[('from a',)]
OperationalError database is locked
[('from a',), ('from b',)]
`);
});

test("rowcount and lastrowid are read-only, as in CPython", () => {
  expect(run(String.raw`c = sqlite3.connect(":memory:")
cur = c.execute("select 1")
for name in ("rowcount", "lastrowid"):
    try:
        setattr(cur, name, 5)
    except AttributeError:
        print(name, "read-only", getattr(cur, name))`)).toBe(String.raw`rowcount read-only -1
lastrowid read-only 0
`);
});
