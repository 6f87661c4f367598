# The benchmark app: the same file runs on swasgi (MicroPython) and on the Pyodide peer
# (CPython), and its responses are what the floor Service Worker answers from memory.
#   /        a tiny HTML page
#   /api     a small JSON document
#   /table   a 100-row HTML table, built per request (the "realistic page")
import json

PAGE = b"<!doctype html><meta charset=utf-8><title>hello</title><h1>Hello from Python</h1><p>It works.</p>"


def table():
    rows = []
    for i in range(100):
        rows.append(
            "<tr><td>%d</td><td>item %d</td><td>%s</td><td>%.2f</td></tr>"
            % (i, i, "even" if i % 2 == 0 else "odd", i * 1.5)
        )
    return (
        "<!doctype html><meta charset=utf-8><title>table</title><table>"
        "<tr><th>#</th><th>name</th><th>parity</th><th>price</th></tr>"
        + "".join(rows)
        + "</table>"
    ).encode()


async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    path = scope["path"]
    if path == "/":
        body, ctype, status = PAGE, b"text/html; charset=utf-8", 200
    elif path == "/api":
        # Keys in a fixed order: MicroPython's dict does not keep insertion order.
        doc = [("message", "hello"), ("items", [1, 2, 3]), ("ok", True)]
        text = "{" + ", ".join("%s: %s" % (json.dumps(k), json.dumps(v)) for k, v in doc) + "}"
        body, ctype, status = text.encode(), b"application/json", 200
    elif path == "/table":
        body, ctype, status = table(), b"text/html; charset=utf-8", 200
    else:
        body, ctype, status = b"not found", b"text/plain", 404
    await send({
        "type": "http.response.start",
        "status": status,
        "headers": [(b"content-type", ctype), (b"content-length", str(len(body)).encode())],
    })
    await send({"type": "http.response.body", "body": body})
