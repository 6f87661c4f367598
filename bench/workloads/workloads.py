# The workload app: each route runs one piece of ordinary app code, sized by its query string
# (?n=...), and answers with what it made (the page) or a short summary of it. The same file
# runs on swasgi (MicroPython) and on the Pyodide peer (CPython), and the harness checks that
# both answer the same bytes, so it keeps to what both run: no reliance on dict order, integer
# arithmetic below 2**30 (MicroPython's small ints), no float formatting.
import json
from urllib.parse import parse_qs

ROW = "<tr><td>%d</td><td>item %d</td><td>%s</td><td>%d</td></tr>\n"
HEAD = "<!doctype html><meta charset=utf-8><title>table</title><table>\n"


def row(i):
    return ROW % (i, i, "even" if i % 2 == 0 else "odd", (i * 37) % 1000)


def table_concat(n):
    html = HEAD
    for i in range(n):
        html += row(i)
    return html + "</table>\n"


def table_join(n):
    return HEAD + "".join([row(i) for i in range(n)]) + "</table>\n"


def json_round_trip(n):
    data = [{"id": i, "name": "item %d" % i, "tags": ["a", "b"], "ok": i % 2 == 0} for i in range(n)]
    text = json.dumps(data)
    back = json.loads(text)
    return "%d %d %d" % (len(text), len(back), sum([d["id"] for d in back if d["ok"]]))


def dict_keys(n):
    d = {}
    for i in range(n):
        d["key-%d" % i] = i
    return "%d %d" % (len(d), d["key-0"] + d["key-%d" % (n - 1)] + d["key-%d" % (n // 2)])


def sort_strings(n):
    items = ["name-%d" % ((i * 7919) % 100003) for i in range(n)]
    items.sort()
    return "%d %s %s %s" % (len(items), items[0], items[n // 2], items[-1])


def parse_form(body):
    fields = parse_qs(body.decode())
    chars = 0
    for values in fields.values():
        for value in values:
            chars += len(value)
    return "%d %d" % (len(fields), chars)


def throwaway(n, size):
    # `"x" * size` with size a variable: CPython would fold a constant product at compile time.
    x = "x"
    total = 0
    for _ in range(n):
        s = x * size
        total += len(s)
    return "%d" % total


# SQLite (issue 13). Imported on first use: swasgi gets `sqlite3` from a host engine, and an app
# without it must still answer the other workloads. The read workloads query a file in /tmp,
# built once per interpreter by an untimed request, and connect per request as a Flask-style
# app does (so they hold whatever connection lifetime the runtime has).
SCHEMA = (
    "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, price INTEGER, tag TEXT)",
    "CREATE INDEX items_name ON items (name)",
)


def item(i):
    return ("item-%06d" % ((i * 7919) % 1000003), (i * 37) % 1000, "even" if i % 2 == 0 else "odd")


def sqlite_insert(n):
    import sqlite3

    conn = sqlite3.connect(":memory:")
    for statement in SCHEMA:
        conn.execute(statement)
    with conn:  # one transaction: the first INSERT opens it, the block's end commits
        for i in range(n):
            conn.execute("INSERT INTO items (name, price, tag) VALUES (?, ?, ?)", item(i))
    count = conn.execute("SELECT count(*), sum(price) FROM items").fetchone()
    conn.close()
    return "%d %d" % (count[0], count[1])


def database(rows):
    return "/tmp/workloads-%d.db" % rows


def sqlite_prepare(rows):
    """The database the read workloads query: built unless this interpreter has it already."""
    import sqlite3

    conn = sqlite3.connect(database(rows))
    try:
        try:
            if conn.execute("SELECT count(*) FROM items").fetchone()[0] == rows:
                return "ready %d" % rows
        except sqlite3.OperationalError:  # no such table: a new file
            for statement in SCHEMA:
                conn.execute(statement)
        with conn:
            conn.execute("DELETE FROM items")
            conn.executemany("INSERT INTO items (name, price, tag) VALUES (?, ?, ?)", [item(i) for i in range(rows)])
        return "prepared %d" % rows
    finally:
        conn.close()


def sqlite_lookups(n, rows):
    import sqlite3

    conn = sqlite3.connect(database(rows))
    total = 0
    for i in range(n):
        name = item((i * 7907) % rows)[0]
        found = conn.execute("SELECT id, price FROM items WHERE name = ?", (name,)).fetchone()
        total += found[1]
    conn.close()
    return "%d %d" % (n, total)


def sqlite_page(size, rows):
    import sqlite3

    conn = sqlite3.connect(database(rows))
    cursor = conn.execute("SELECT id, name, price, tag FROM items ORDER BY name LIMIT ? OFFSET ?", (size, rows // 2))
    out = [HEAD]
    for r in cursor.fetchall():
        out.append("<tr><td>%d</td><td>%s</td><td>%s</td><td>%d</td></tr>\n" % (r[0], r[1], r[3], r[2]))
    out.append("</table>\n")
    conn.close()
    return "".join(out)


async def read_body(receive):
    chunks = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks)


async def answer(send, status, text, ctype=b"text/plain; charset=utf-8"):
    body = text.encode()
    await send({
        "type": "http.response.start",
        "status": status,
        "headers": [(b"content-type", ctype), (b"content-length", str(len(body)).encode())],
    })
    await send({"type": "http.response.body", "body": body})


def run(path, q, body):
    """The route's answer: (content type, text), or None when there is no such route."""
    n = int(q.get("n", ["0"])[0])
    rows = int(q.get("rows", ["0"])[0])
    if path == "/ping":
        return "ok"
    if path == "/table-concat":
        return table_concat(n)
    if path == "/table-join":
        return table_join(n)
    if path == "/json":
        return json_round_trip(n)
    if path == "/dict":
        return dict_keys(n)
    if path == "/sort":
        return sort_strings(n)
    if path == "/form":
        return parse_form(body)
    if path == "/throwaway":
        return throwaway(n, int(q.get("size", ["1000"])[0]))
    if path == "/sqlite/insert":
        return sqlite_insert(n)
    if path == "/sqlite/prepare":
        return sqlite_prepare(rows)
    if path == "/sqlite/lookups":
        return sqlite_lookups(n, rows)
    if path == "/sqlite/page":
        return sqlite_page(n, rows)
    return None


async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    body = await read_body(receive)
    try:
        text = run(scope["path"], parse_qs(scope["query_string"].decode()), body)
    except ImportError as e:
        # 501: this runtime lacks a module the workload needs (sqlite3 on swasgi, for now).
        await answer(send, 501, "ImportError: %s" % e)
        return
    except Exception as e:
        await answer(send, 500, "%s: %s" % (type(e).__name__, e))
        return
    if text is None:
        await answer(send, 404, "no workload at %s" % scope["path"])
    elif text.startswith("<!doctype html>"):
        await answer(send, 200, text, b"text/html; charset=utf-8")
    else:
        await answer(send, 200, text)
