# The smallest swasgi app: a raw ASGI 3 callable. Run it with `npm start` (swasgi dev examples/hello).


async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    body = b"<!doctype html><title>hello</title><h1>Hello from Python</h1><p>You asked for %s</p>\n" % scope["path"].encode()
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/html; charset=utf-8")]})
    await send({"type": "http.response.body", "body": body})
