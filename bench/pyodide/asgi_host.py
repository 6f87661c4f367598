# The Python half of the Pyodide peer's ASGI host: one request in, (status, headers, body) out.
# The request body arrives whole and the response is buffered (a minimal host, as a Pyodide
# user would write one). Two apps: bench/app/app.py at /app, and the workload app
# (bench/workloads/workloads.py) at /work, imported on its first request only.
import json

from app import app as bench_app


def app_at(root_path):
    if root_path == "/app":
        return bench_app
    from workloads import app

    return app


async def handle(scope_json, body_proxy):
    s = json.loads(scope_json)
    body = body_proxy.to_bytes()
    scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": s["method"],
        "scheme": s["scheme"],
        "path": s["path"],
        "raw_path": s["raw_path"].encode("latin-1"),
        "query_string": s["query_string"].encode("latin-1"),
        "root_path": s["root_path"],
        "headers": [(k.encode("latin-1"), v.encode("latin-1")) for k, v in s["headers"]],
        "client": ("127.0.0.1", 0),
        "server": tuple(s["server"]),
    }
    received = False

    async def receive():
        nonlocal received
        if not received:
            received = True
            return {"type": "http.request", "body": body, "more_body": False}
        return {"type": "http.disconnect"}

    status, headers, chunks = 500, [], []

    async def send(message):
        nonlocal status, headers
        if message["type"] == "http.response.start":
            status = message["status"]
            headers = [[k.decode("latin-1"), v.decode("latin-1")] for k, v in message.get("headers", [])]
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app_at(s["root_path"])(scope, receive, send)
    return status, headers, b"".join(chunks)
