# The Python half of the swasgi ASGI bridge: drives `app(scope, receive, send)` for each
# request the host dispatches, checks every message the app sends (as uvicorn's
# RequestResponseCycle does), and reports the outcome to the host.
#
# The host is the `_swasgi_host` module (granted by the runner, see src/runner/hostModule.ts).
# Data crosses as JSON text and as raw bytes copied straight from/to this interpreter's memory
# (addresses from uctypes.addressof), so a 10 MB body is never turned into a Python list.
import asyncio
import json
import sys
import uctypes

import _swasgi_host as host
import _swasgi_precompiled
from _swasgi_compat import HeaderName, release_shadowed

ASGI = {"version": "3.0", "spec_version": "2.3"}
_NULL_BODY = (204, 205, 304)

# Looked up once: every `host.x` lookup allocates a proxy, which fails once the heap is full,
# and a request whose outcome cannot be reported hangs.
_done = host.done

app = None
state = {}
dev = False


def _latin1_bytes(text):
    data = text.encode()
    if len(data) == len(text):
        return data  # ASCII: the common case
    return bytes([ord(c) & 0xFF for c in text])


def _header_bytes(data):
    if isinstance(data, bytes):
        return data
    # bytes(5) would be five NUL bytes: an int (a content-length, say) must not get that far.
    if isinstance(data, (bytearray, memoryview)):
        return bytes(data)
    if isinstance(data, str):
        raise TypeError("header names and values must be bytes, got str %r" % data)
    raise TypeError("header names and values must be bytes, got %s %r" % (type(data).__name__, data))


def _traceback(exc):
    import io

    buf = io.StringIO()
    sys.print_exception(exc, buf)
    return _swasgi_precompiled.without_stub_frames(buf.getvalue())


def _resolve(entry):
    module_name, _, attr = entry.partition(":")
    if not module_name:
        raise ValueError("entry %r must look like 'module:attribute'" % entry)
    module = __import__(module_name)
    for part in module_name.split(".")[1:]:
        module = getattr(module, part)
    target = module
    for part in (attr or "app").split("."):
        try:
            target = getattr(target, part)
        except AttributeError:
            raise AttributeError("%s.py defines no '%s' (swasgi.json entry '%s')" % (module_name.replace(".", "/"), part, entry))
    if not callable(target):
        raise TypeError("'%s' is not callable: an ASGI app is async def app(scope, receive, send)" % entry)
    return target


def _patch_sleep():
    # The port's asyncio runs every ready task in one go without returning to JS, and garbage
    # is only collected when Python returns to JS. So `await asyncio.sleep(0)`, the usual way
    # to yield, would never free anything: make a zero sleep a round trip through JS.
    sleep, sleep_ms = asyncio.sleep, asyncio.sleep_ms

    def zero_aware_sleep(t):
        return host.tick() if t <= 0 else sleep(t)

    def zero_aware_sleep_ms(t):
        return host.tick() if t <= 0 else sleep_ms(t)

    asyncio.sleep = zero_aware_sleep
    asyncio.sleep_ms = zero_aware_sleep_ms


_patch_sleep()


def boot(entry, dev_mode):
    """Imports the app and registers the dispatcher. Import errors propagate to the host."""
    global app, dev
    dev = dev_mode
    if "" not in sys.path:
        sys.path.insert(0, "")
    if not _swasgi_precompiled.shadows_released:
        release_shadowed()
    app = _resolve(entry)
    host.register(_dispatch)


def _dispatch(request_id, scope_json):
    asyncio.create_task(_run(request_id, scope_json))


def _build_scope(raw):
    scope = json.loads(raw)
    scope["asgi"] = ASGI
    scope["raw_path"] = _latin1_bytes(scope["raw_path"])
    scope["query_string"] = _latin1_bytes(scope["query_string"])
    # Names as HeaderName (bytes whose decode() has .title(): Microdot needs it, str lacks it).
    scope["headers"] = [[HeaderName(_latin1_bytes(n)), _latin1_bytes(v)] for n, v in scope["headers"]]
    scope["client"] = tuple(scope["client"])
    scope["server"] = tuple(scope["server"])
    scope["state"] = dict(state)
    scope.setdefault("extensions", {})
    return scope


class Cycle:
    """One request/response conversation. States: before start, streaming, complete."""

    def __init__(self, request_id, method):
        self.id = request_id
        self.head = method == "HEAD"
        self.started = False
        self.complete = False
        self.trailers = False
        self.expect_trailers = False
        self.body_done = False
        self.disconnected = False

    async def receive(self):
        # After the response is complete there is nothing left to wait for (uvicorn does the
        # same); waiting would deadlock, since the response is only released once the app returns.
        if self.disconnected or self.complete:
            return {"type": "http.disconnect"}
        event = await host.receive(self.id)
        if event == "disconnect":
            self.disconnected = True
            return {"type": "http.disconnect"}
        # "<length> <more>"
        size, more = event.split(" ")
        size = int(size)
        body = b""
        if size:
            buf = bytearray(size)
            host.read(self.id, uctypes.addressof(buf), size)
            body = bytes(buf)
        if more == "0":
            self.body_done = True
        return {"type": "http.request", "body": body, "more_body": more == "1"}

    async def send(self, message):
        if not isinstance(message, dict):
            raise TypeError("ASGI message must be a dict, got %s" % type(message).__name__)
        kind = message.get("type")
        if self.complete:
            raise RuntimeError("Unexpected ASGI message '%s' sent, after response already completed." % kind)
        if not self.started:
            if kind != "http.response.start":
                raise RuntimeError("Expected ASGI message 'http.response.start', but got '%s'." % kind)
            status = message.get("status")
            if not isinstance(status, int) or isinstance(status, bool) or not 200 <= int(status) <= 599:
                # 1xx cannot be a final response, and a fetch Response cannot carry one.
                raise TypeError("ASGI 'http.response.start' status must be an int from 200 to 599, got %r" % (status,))
            # Names and values travel as one blob plus lengths; the host checks the bytes
            # (tokens, no CR/LF/NUL) in linear time and answers why it refuses a head.
            parts = []
            lengths = []
            for pair in message.get("headers", ()):
                name, value = pair
                for part in (_header_bytes(name), _header_bytes(value)):
                    parts.append(part)
                    lengths.append(len(part))
            blob = b"".join(parts)
            self.trailers = bool(message.get("trailers", False))
            # int(): an IntEnum member (HTTPStatus.OK) is an int subclass the FFI would not pass as int.
            refused = host.start(self.id, int(status), json.dumps(lengths), uctypes.addressof(blob) if blob else 0, len(blob))
            if refused:
                raise ValueError(refused)
            self.started = True
            return
        if kind == "http.response.body":
            if self.expect_trailers:
                raise RuntimeError("Expected ASGI message 'http.response.trailers', but got '%s'." % kind)
            body = message.get("body", b"")
            if not isinstance(body, (bytes, bytearray, memoryview)):
                raise TypeError("ASGI 'http.response.body' body must be bytes, got %s" % type(body).__name__)
            more = bool(message.get("more_body", False))
            if not more:
                if self.trailers:
                    self.expect_trailers = True
                else:
                    self.complete = True
            if not isinstance(body, bytes):
                body = bytes(body)
            wait = host.body(self.id, uctypes.addressof(body) if body else 0, len(body), more)
            if wait is not None:
                await wait
            return
        if kind == "http.response.trailers" and self.trailers:
            if not self.expect_trailers:
                raise RuntimeError("ASGI 'http.response.trailers' sent before the last body message")
            for name, value in message.get("headers", ()):
                _header_bytes(name)
                _header_bytes(value)
            more = bool(message.get("more_trailers", False))
            if not more:
                self.complete = True
            # fetch Responses carry no trailers: checked for type, then dropped.
            return
        raise RuntimeError("Expected ASGI message 'http.response.body', but got '%s'." % kind)


async def _run(request_id, scope_json):
    try:
        scope = _build_scope(scope_json)
    except Exception as exc:
        _done(request_id, "error", "invalid scope: " + _safe_traceback(exc))
        return
    cycle = Cycle(request_id, scope["method"])
    try:
        await app(scope, cycle.receive, cycle.send)
    except KeyboardInterrupt:
        _done(request_id, "timeout", "")
        return
    except MemoryError as exc:
        # The heap stays full until this slice returns to JS (garbage is only collected there),
        # so the traceback may not fit: then report with constants only, or the request would
        # never be reported and would hang.
        try:
            tb = _traceback(exc)
        except BaseException:
            tb = ""
        _done(request_id, "memory", tb)
        return
    except BaseException as exc:  # the app's failure, reported, never re-raised into the loop
        if cycle.complete:
            # The response was already complete (a late send, say): it stands, as with uvicorn;
            # the error goes to the log.
            sys.stderr.write(_safe_traceback(exc))
            _done(request_id, "ok", "")
        else:
            _done(request_id, "error", _safe_traceback(exc))
        return
    if not cycle.started:
        _done(request_id, "no-response", "")
    elif not cycle.complete:
        _done(request_id, "incomplete", "")
    else:
        _done(request_id, "ok", "")


def _safe_traceback(exc):
    # Printing calls the exception's own __str__/__repr__, app code that may raise too: the
    # request must still be reported, with what can be said without it.
    try:
        return _traceback(exc)
    except MemoryError:
        return "(traceback unavailable: out of memory)"
    except BaseException as inner:
        try:
            name = type(exc).__name__
        except BaseException:
            name = "exception"
        return "%s (its traceback could not be printed: %s raised in __str__ or __repr__)\n" % (name, type(inner).__name__)


# Lifespan ---------------------------------------------------------------------------------


def start_lifespan():
    asyncio.create_task(_lifespan())


async def _lifespan():
    # "startup": not yet asked; "running": startup event delivered; "shutdown": shutdown delivered.
    phase = ["startup"]
    reported = []

    async def receive():
        if phase[0] == "startup":
            phase[0] = "running"
            return {"type": "lifespan.startup"}
        await host.lifespan_shutdown_requested()
        phase[0] = "shutdown"
        return {"type": "lifespan.shutdown"}

    async def send(message):
        kind = message.get("type") if isinstance(message, dict) else None
        if kind not in ("lifespan.startup.complete", "lifespan.startup.failed", "lifespan.shutdown.complete", "lifespan.shutdown.failed"):
            raise RuntimeError("Unexpected ASGI lifespan message '%s'" % kind)
        _, which, outcome = kind.split(".")
        reported.append(which)
        host.lifespan(which, outcome, str(message.get("message", "")))

    scope = {"type": "lifespan", "asgi": ASGI, "state": state}
    try:
        await app(scope, receive, send)
    except KeyboardInterrupt:
        host.lifespan("startup" if "startup" not in reported else "shutdown", "failed", "the lifespan handler ran past the time limit")
        return
    except BaseException as exc:
        if phase[0] == "startup":
            # Like uvicorn's "auto" mode: an app that rejects the lifespan scope does not speak it.
            host.lifespan("startup", "unsupported", _safe_traceback(exc))
        elif "startup" not in reported:
            host.lifespan("startup", "failed", _safe_traceback(exc))
        else:
            host.lifespan("shutdown", "failed", _safe_traceback(exc))
        return
    if "startup" not in reported:
        host.lifespan("startup", "unsupported", "")
    elif phase[0] == "shutdown" and "shutdown" not in reported:
        host.lifespan("shutdown", "complete", "")
