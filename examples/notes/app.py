# A small multi-page notes app: HTML forms, redirect after POST, a session cookie, notes kept
# as files in /data (persisted by swasgi), and a page script that enhances the list.
import json
import os
import random
from html import escape as _escape
from urllib.parse import parse_qs, quote

NOTES = "/data/notes"


def _ensure_dir():
    try:
        os.mkdir(NOTES)
    except OSError:
        pass


def _notes():
    _ensure_dir()
    items = []
    for name in sorted(os.listdir(NOTES)):
        if name.endswith(".json"):
            with open(NOTES + "/" + name) as f:
                items.append(json.load(f))
    return items


def _cookies(scope):
    jar = {}
    for name, value in scope["headers"]:
        if name == b"cookie":
            for part in value.decode().split(";"):
                if "=" in part:
                    k, v = part.strip().split("=", 1)
                    jar[k] = v
    return jar


async def _body(receive):
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body"):
            return body


def _page(scope, title, content, user):
    # <base> makes every link relative to the mount, wherever the app is mounted.
    return """<!doctype html><html><head><meta charset="utf-8"><title>%s</title><base href="%s/">
<link rel="stylesheet" href="static/notes.css"></head><body>
<header><a href="./">Notes</a> <span class="user">signed in as %s</span></header>
<main>%s</main><script src="static/notes.js"></script></body></html>""" % (_escape(title), _escape(scope["root_path"]), _escape(user), content)


async def _send(send, status, body, headers=()):
    head = [(b"content-type", b"text/html; charset=utf-8")] + list(headers)
    await send({"type": "http.response.start", "status": status, "headers": head})
    await send({"type": "http.response.body", "body": body.encode() if isinstance(body, str) else body})


async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    path, method = scope["path"], scope["method"]
    user = _cookies(scope).get("session")
    headers = []
    if not user:
        user = "guest-%04d" % random.getrandbits(12)
        headers.append((b"set-cookie", ("session=%s; Path=/; HttpOnly; SameSite=Lax" % user).encode()))

    if path.startswith("/static/"):
        name = path[len("/static/"):]
        kind = b"text/css" if name.endswith(".css") else b"text/javascript"
        try:
            with open("static/" + name, "rb") as f:
                data = f.read()
        except OSError:
            return await _send(send, 404, "not found")
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", kind)]})
        await send({"type": "http.response.body", "body": data})
        return

    if path == "/" and method == "GET":
        items = "".join(
            '<li data-id="%s"><a href="notes/%s">%s</a> <small>by %s</small></li>'
            % (n["id"], n["id"], _escape(n["title"]), _escape(n["author"]))
            for n in _notes()
        )
        form = """<form method="post" action="notes"><input name="title" placeholder="Title" required>
<textarea name="text" placeholder="Write something"></textarea><button>Add note</button></form>"""
        return await _send(send, 200, _page(scope, "Notes", '<ul id="notes">%s</ul>%s' % (items, form), user), headers)

    if path == "/notes" and method == "POST":
        form = parse_qs((await _body(receive)).decode())
        title = form.get("title", [""])[0].strip() or "Untitled"
        _ensure_dir()
        note_id = "%010d" % len(os.listdir(NOTES))
        with open("%s/%s.json" % (NOTES, note_id), "w") as f:
            json.dump({"id": note_id, "title": title, "text": form.get("text", [""])[0], "author": user}, f)
        # root_path + path: unambiguous wherever the app is mounted, even at /notes/ (where a
        # bare "/notes/..." would read as already below the mount and not be re-based).
        headers.append((b"location", ("%s/notes/%s" % (scope["root_path"], quote(note_id))).encode()))
        return await _send(send, 303, "", headers)

    if path.startswith("/notes/"):
        note_id = path[len("/notes/"):]
        for note in _notes():
            if note["id"] == note_id:
                content = '<article><h1>%s</h1><p>%s</p><p><a href="./">All notes</a></p></article>' % (
                    _escape(note["title"]), _escape(note["text"]))
                return await _send(send, 200, _page(scope, note["title"], content, user), headers)
        return await _send(send, 404, _page(scope, "Not found", "<p>No such note.</p>", user), headers)

    await _send(send, 404, _page(scope, "Not found", "<p>Nothing here.</p>", user), headers)
