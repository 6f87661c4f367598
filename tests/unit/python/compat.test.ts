import { describe, expect, test } from "vitest";
import { drive, startPython } from "./loadLib.ts";

// src/python/lib/signal.py and the patches of src/python/lib/_swasgi_compat.py, in the real
// runtime. Expected values are CPython 3.11's answers to the same code, except where a comment
// says why the sandbox differs.


describe("signal stub", () => {
  test("signal() installs a handler and answers the previous one", async () => {
    const python = await startPython();
    expect(python.run(`
import signal
def on_term(signum, frame):
    pass
print(signal.SIGINT, signal.SIGTERM, signal.SIG_DFL, signal.SIG_IGN)
print(signal.signal(signal.SIGTERM, on_term) == signal.SIG_DFL)
print(signal.signal(signal.SIGTERM, signal.SIG_IGN) is on_term)
print(signal.getsignal(signal.SIGTERM) == signal.SIG_IGN)
print(signal.signal(signal.SIGINT, on_term) is signal.default_int_handler)
`)).toBe("2 15 0 1\nTrue\nTrue\nTrue\nTrue\n");
  });

  test("default_int_handler raises KeyboardInterrupt; bad arguments raise as in CPython", async () => {
    const python = await startPython();
    expect(python.run(`
import signal
for call in (lambda: signal.default_int_handler(2, None), lambda: signal.signal(99, signal.SIG_IGN),
             lambda: signal.signal(signal.SIGTERM, 'nope'), lambda: signal.signal(signal.SIGKILL, signal.SIG_IGN)):
    try:
        call()
    except BaseException as e:
        print(type(e).__name__)
`)).toBe("KeyboardInterrupt\nValueError\nTypeError\nOSError\n");
  });
});

describe("asyncio patches", () => {
  test("names the port lacks now exist; what it had is untouched", async () => {
    const bare = await startPython({ compat: false });
    const names = "['ensure_future', 'get_running_loop', 'Future', 'InvalidStateError', 'iscoroutinefunction', 'iscoroutine']";
    expect(bare.run(`import asyncio\nprint([hasattr(asyncio, n) for n in ${names}])\n`)).toBe(
      "[False, False, False, False, False, False]\n",
    );
    const python = await startPython();
    expect(python.run(`
import asyncio, inspect
print([hasattr(asyncio, n) for n in ${names}])
async def a():
    pass
def g():
    yield
objects = [a, a(), g, g(), lambda: 1, 1, None, asyncio.sleep, asyncio.sleep(0)]
# The port's inspect tells coroutines by the generator types, and so do the patched names.
same = [asyncio.iscoroutinefunction(o) == inspect.iscoroutinefunction(o) and asyncio.iscoroutine(o) == inspect.iscoroutine(o) for o in objects]
print(all(same), asyncio.get_running_loop() is asyncio.get_event_loop())
loop = asyncio.get_running_loop()
print([hasattr(loop, n) for n in ('create_task', 'run_in_executor', 'create_future', 'call_soon', 'call_later')])
`)).toBe("[True, True, True, True, True, True]\nTrue True\n[True, True, True, True, True]\n");
  });

  test("asyncio.iscoroutinefunction tells async from sync functions", async () => {
    const python = await startPython();
    expect(python.run(`
import asyncio
async def a():
    pass
def s():
    pass
print(asyncio.iscoroutinefunction(a), asyncio.iscoroutinefunction(s), asyncio.iscoroutine(a()), asyncio.iscoroutine(1))
`)).toBe("True False True False\n");
  });

  test("ensure_future schedules coroutines and awaitables, passes Tasks and Futures through", async () => {
    const python = await startPython();
    const out = await drive(python, `
import asyncio
async def work(x):
    await asyncio.sleep(0)
    return x * 2
class OnlyAwait:  # a CPython-style awaitable: __await__ only
    def __await__(self):
        yield from asyncio.sleep(0)
        return 'await'
async def main(out):
    task = asyncio.ensure_future(work(21))
    out.append(isinstance(task, asyncio.Task))
    out.append(asyncio.ensure_future(task) is task)
    out.append(await task)
    future = asyncio.Future()
    out.append(asyncio.ensure_future(future) is future)
    out.append(await asyncio.ensure_future(asyncio.sleep(0)))
    out.append(await asyncio.ensure_future(OnlyAwait()))
    for not_awaitable in (42, [1]):
        try:
            asyncio.ensure_future(not_awaitable)
        except TypeError as e:
            out.append('TypeError')
`);
    expect(out).toEqual(["True", "True", "42", "True", "None", "await", "TypeError", "TypeError"]);
  });

  test("a monitor started with ensure_future and awaited later, as Microdot's ASGI adapter does", async () => {
    const python = await startPython();
    const out = await drive(python, `
import asyncio
async def main(out):
    inbox = [{'type': 'http.request'}, {'type': 'http.disconnect'}]
    async def receive():
        await asyncio.sleep(0)
        return inbox.pop(0)
    seen = []
    async def monitor():
        while True:
            event = await receive()
            seen.append(event['type'])
            if event['type'] == 'http.disconnect':
                break
    task = asyncio.ensure_future(monitor())
    await task
    out.append(seen)
    out.append(task.done())
`);
    expect(out).toEqual(["['http.request', 'http.disconnect']", "True"]);
  });

  test("Future: result, exception, cancel, done callbacks, awaiting", async () => {
    const python = await startPython();
    const out = await drive(python, `
import asyncio
async def main(out):
    loop = asyncio.get_running_loop()
    f = loop.create_future()
    try:
        f.result()
    except asyncio.InvalidStateError:
        out.append('not yet')
    f.add_done_callback(lambda fut: out.append('callback ' + str(fut.result())))
    async def resolve_later():
        await asyncio.sleep(0.01)
        f.set_result('value')
    asyncio.create_task(resolve_later())
    out.append(await f)
    out.append(await f)  # a done future answers at once
    await asyncio.sleep(0)  # let the callback run
    bad = asyncio.Future()
    bad.set_exception(ValueError('boom'))
    try:
        await bad
    except ValueError as e:
        out.append('raised ' + str(e))
    out.append(type(bad.exception()).__name__)
    c = asyncio.Future()
    out.append(c.cancel())
    out.append(c.cancel())
    out.append(c.cancelled())
    try:
        await c
    except asyncio.CancelledError:
        out.append('cancelled')
    try:
        f.set_result('again')
    except asyncio.InvalidStateError:
        out.append('set twice')
`);
    expect(out).toEqual([
      "not yet", "callback value", "value", "value", "raised boom", "ValueError", "True", "False", "True", "cancelled",
      "set twice",
    ]);
  });

  test("wait_for and gather take Futures and asyncio.sleep(), not only coroutines", async () => {
    const python = await startPython();
    const out = await drive(python, `
import asyncio
async def one():
    return 1
async def main(out):
    never = asyncio.Future()
    try:
        await asyncio.wait_for(never, 0.01)
    except asyncio.TimeoutError:
        out.append('timeout')
    done = asyncio.Future()
    done.set_result(2)
    out.append(await asyncio.wait_for(done, 1))
    out.append(await asyncio.gather(one(), done, asyncio.sleep(0)))
    failing = asyncio.Future()
    failing.set_exception(KeyError('k'))
    out.append([type(r).__name__ for r in await asyncio.gather(one(), failing, return_exceptions=True)])
`);
    expect(out).toEqual(["timeout", "2", "[1, 2, None]", "['int', 'KeyError']"]);
  });

  test("run_in_executor runs the call at once and answers a Future", async () => {
    const python = await startPython();
    const out = await drive(python, `
import asyncio
from functools import partial
def add(a, b=0):
    return a + b
def fail():
    raise RuntimeError('in executor')
class Handlers:
    async def method(self, x):
        await asyncio.sleep(0)
        return 'async method ' + str(x)
async def main(out):
    loop = asyncio.get_running_loop()
    f = loop.run_in_executor(None, add, 1, 2)
    out.append(isinstance(f, asyncio.Future))
    out.append(f.done())  # CPython: False, the call runs in a thread there
    out.append(await f)
    out.append(await loop.run_in_executor(None, partial(add, 1, b=41)))
    try:
        await loop.run_in_executor(None, fail)
    except RuntimeError as e:
        out.append('raised ' + str(e))
    # The port's inspect calls a bound async method sync, so callers send it here; its coroutine
    # is awaited (CPython would answer the coroutine object itself).
    out.append(await loop.run_in_executor(None, partial(Handlers().method, 7)))
`);
    expect(out).toEqual(["True", "True", "3", "42", "raised in executor", "async method 7"]);
  });

  test("Microdot's handler invocation: inspect + functools.partial + run_in_executor", async () => {
    const python = await startPython();
    // The shape of microdot.microdot.invoke_handler: on MicroPython it takes the CPython branch,
    // because `from inspect import iscoroutinefunction, iscoroutine` succeeds there.
    const out = await drive(python, `
import asyncio
from inspect import iscoroutinefunction
from functools import partial
async def invoke(handler, *args, **kwargs):
    if iscoroutinefunction(handler):
        return await handler(*args, **kwargs)
    return await asyncio.get_running_loop().run_in_executor(None, partial(handler, *args, **kwargs))
def sync_view(request, id):
    return 'sync %s %d' % (request, id)
async def async_view(request, id):
    await asyncio.sleep(0)
    return 'async %s %d' % (request, id)
async def main(out):
    out.append(await invoke(sync_view, 'req', id=1))
    out.append(await invoke(async_view, 'req', id=2))
`);
    expect(out).toEqual(["sync req 1", "async req 2"]);
  });

  test("call_soon and call_later run callbacks from the loop", async () => {
    const python = await startPython();
    const out = await drive(python, `
import asyncio
async def main(out):
    loop = asyncio.get_running_loop()
    loop.call_later(0.02, out.append, 'later')
    loop.call_soon(out.append, 'soon')
    cancelled = loop.call_soon(out.append, 'never')
    cancelled.cancel()
    out.append('scheduled')
    await asyncio.sleep(0.05)
`);
    expect(out).toEqual(["scheduled", "soon", "later"]);
  });
});

describe("HeaderName", () => {
  test("decode().title() answers what CPython's str.title() does", async () => {
    const python = await startPython();
    const names = ["content-length", "CONTENT-TYPE", "x-b3-traceid", "www-authenticate", "content_md5", "dnt", "x-3d-thing", "sec-ch-ua-mobile", "accept", ""];
    const printed = python.run(`
import json
from _swasgi_compat import HeaderName
print(json.dumps([HeaderName(n.encode()).decode().title() for n in ${JSON.stringify(names)}]))
`);
    // CPython 3.11: [n.title() for n in names]
    expect(JSON.parse(printed)).toEqual([
      "Content-Length", "Content-Type", "X-B3-Traceid", "Www-Authenticate", "Content_Md5", "Dnt", "X-3D-Thing", "Sec-Ch-Ua-Mobile", "Accept", "",
    ]);
  });

  test("is bytes everywhere else", async () => {
    const python = await startPython();
    expect(python.run(`
from _swasgi_compat import HeaderName
h = HeaderName(b'content-type')
print(isinstance(h, bytes), h == b'content-type', {b'content-type': 1}[h], h.lower(), h.decode() == 'content-type', h.decode().lower())
print(h.decode().title() == 'Content-Type', int(HeaderName(b'12')))
`)).toBe("True True 1 b'content-type' True content-type\nTrue 12\n");
  });

  test("the port's own str has no title(); the boot patch gives it one", async () => {
    const bare = await startPython({ compat: false });
    expect(bare.run("print(hasattr('x', 'title'))\n")).toBe("False\n");
    const python = await startPython();
    expect(python.run("print(hasattr('x', 'title'), 'content-type'.title())\n")).toBe("True Content-Type\n");
  });
});
