# A JSON API used by a static page's fetch calls: a small todo list kept in /data/todos.json.
import json

DB = "/data/todos.json"


def _load():
    try:
        with open(DB) as f:
            return json.load(f)
    except OSError:
        return []


def _save(todos):
    with open(DB, "w") as f:
        json.dump(todos, f)


async def _json(send, status, value):
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json")]})
    await send({"type": "http.response.body", "body": json.dumps(value).encode()})


async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    path, method = scope["path"], scope["method"]
    if path == "/":
        with open("index.html", "rb") as f:
            page = f.read()
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/html; charset=utf-8")]})
        await send({"type": "http.response.body", "body": page})
        return
    if path == "/api/todos" and method == "GET":
        return await _json(send, 200, _load())
    if path == "/api/todos" and method == "POST":
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        try:
            item = json.loads(body)
            title = str(item["title"]).strip()
        except (ValueError, KeyError, TypeError):
            return await _json(send, 400, {"error": "expected JSON {\"title\": ...}"})
        todos = _load()
        todos.append({"id": len(todos) + 1, "title": title, "done": False})
        _save(todos)
        return await _json(send, 201, todos[-1])
    await _json(send, 404, {"error": "no route for %s %s" % (method, path)})
