# A todo list on sqlite3: list, add, edit, delete, search with LIKE. Plain HTML forms, a redirect
# after every POST; the database is /data/todo.db, saved by swasgi with each request.
import sqlite3
from urllib.parse import parse_qs, quote

db = None


def _open():
    # In the lifespan startup rather than at import: swasgi keeps an app's import in memory and
    # skips it at later starts, unless the import opened a database or did anything else a
    # start must do again (README, "Security model").
    global db
    db = sqlite3.connect("/data/todo.db")
    db.row_factory = sqlite3.Row
    db.execute("""create table if not exists todo (
        id integer primary key,
        title text not null,
        done integer not null default 0,
        created text not null default (datetime('now')))""")
    db.commit()


def _escape(text):
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


async def _form(receive):
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body"):
            break
    return {name: values[0] for name, values in parse_qs(body.decode()).items()}


def _page(scope, title, content):
    # <base> makes every link and form relative to the mount, wherever the app is mounted.
    return """<!doctype html><html><head><meta charset="utf-8"><title>%s</title><base href="%s/">
<style>body{font:16px system-ui,sans-serif;margin:2rem auto;max-width:36rem}li{margin:.3rem 0}
.done span{text-decoration:line-through;color:#888}form.inline{display:inline}</style></head>
<body><h1><a href="./">Todo</a></h1>%s</body></html>""" % (_escape(title), _escape(scope["root_path"]), content)


async def _send(send, status, body, headers=()):
    head = [(b"content-type", b"text/html; charset=utf-8")] + list(headers)
    await send({"type": "http.response.start", "status": status, "headers": head})
    await send({"type": "http.response.body", "body": body.encode()})


async def _redirect(scope, send, target):
    await _send(send, 303, "", [(b"location", (scope["root_path"] + target).encode())])


def _list(scope, query):
    if query:
        rows = db.execute("select * from todo where title like ? order by id", ("%" + query + "%",)).fetchall()
    else:
        rows = db.execute("select * from todo order by id").fetchall()
    items = "".join(
        '<li class="%s" data-id="%d"><span>%s</span> '
        '<form class="inline" method="post" action="todos/%d/toggle"><button>%s</button></form> '
        '<a href="todos/%d/edit">edit</a> '
        '<form class="inline" method="post" action="todos/%d/delete"><button>delete</button></form></li>'
        % ("done" if row["done"] else "open", row["id"], _escape(row["title"]), row["id"],
           "undo" if row["done"] else "done", row["id"], row["id"])
        for row in rows
    )
    left = db.execute("select count(*) from todo where not done").fetchone()[0]
    return """<form method="get" action="./"><input name="q" placeholder="Search" value="%s"><button>Search</button></form>
<ul id="todos">%s</ul><p id="left">%d left</p>
<form method="post" action="todos"><input name="title" placeholder="What needs doing?" required><button id="add">Add</button></form>""" % (
        _escape(query), items, left)


async def app(scope, receive, send):
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                _open()
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                db.close()
                await send({"type": "lifespan.shutdown.complete"})
                return
    if scope["type"] != "http":
        return
    path, method = scope["path"], scope["method"]
    parts = path.strip("/").split("/")

    if path == "/" and method == "GET":
        query = parse_qs(scope["query_string"].decode()).get("q", [""])[0]
        return await _send(send, 200, _page(scope, "Todo", _list(scope, query)))

    if path == "/todos" and method == "POST":
        title = (await _form(receive)).get("title", "").strip()
        if title:
            with db:
                db.execute("insert into todo(title) values (?)", (title,))
        return await _redirect(scope, send, "/")

    if len(parts) == 3 and parts[0] == "todos" and parts[1].isdigit():
        todo = db.execute("select * from todo where id = ?", (int(parts[1]),)).fetchone()
        if todo is None:
            return await _send(send, 404, _page(scope, "Not found", "<p>No such todo.</p>"))
        action = parts[2]
        if action == "edit" and method == "GET":
            form = """<form method="post" action="todos/%d/edit"><input name="title" value="%s" required>
<button>Save</button></form><p><a href="./">Back</a></p>""" % (todo["id"], _escape(todo["title"]))
            return await _send(send, 200, _page(scope, "Edit", form))
        if method == "POST" and action in ("edit", "toggle", "delete"):
            with db:
                if action == "edit":
                    title = (await _form(receive)).get("title", "").strip() or todo["title"]
                    db.execute("update todo set title = ? where id = ?", (title, todo["id"]))
                elif action == "toggle":
                    db.execute("update todo set done = not done where id = ?", (todo["id"],))
                else:
                    db.execute("delete from todo where id = ?", (todo["id"],))
            return await _redirect(scope, send, "/")

    await _send(send, 404, _page(scope, "Not found", "<p>Nothing here.</p>"))
