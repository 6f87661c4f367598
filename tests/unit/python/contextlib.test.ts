import { describe, expect, test } from "vitest";
import { drive, startPython } from "./loadLib.ts";

// src/python/lib/contextlib.py in the real runtime. Expected values are CPython 3.11's output for
// the same code.

describe("contextmanager", () => {
  test("enter, exit, exceptions passed in, swallowed and replaced", async () => {
    const python = await startPython();
    expect(python.run(`
from contextlib import contextmanager
log = []
@contextmanager
def tag(name):
    log.append('<%s>' % name)
    try:
        yield name.upper()
    finally:
        log.append('</%s>' % name)
@contextmanager
def swallow():
    try:
        yield
    except ValueError:
        log.append('swallowed')
@contextmanager
def translate():
    try:
        yield
    except KeyError as e:
        raise LookupError('translated')
with tag('a') as v:
    log.append(v)
try:
    with tag('b'):
        raise KeyError('k')
except KeyError:
    log.append('KeyError went on')
with swallow():
    raise ValueError()
try:
    with translate():
        raise KeyError('x')
except LookupError as e:
    log.append(str(e))
print(log)
`)).toBe("['<a>', 'A', '</a>', '<b>', '</b>', 'KeyError went on', 'swallowed', 'translated']\n");
  });

  test("a generator that does not yield or does not stop is a RuntimeError; decorator use", async () => {
    const python = await startPython();
    expect(python.run(`
from contextlib import contextmanager
@contextmanager
def never(flag=False):
    if flag:
        yield
@contextmanager
def twice():
    yield 1
    yield 2
for cm in (never(), twice()):
    try:
        with cm:
            pass
    except RuntimeError as e:
        print(e)
calls = []
@contextmanager
def traced():
    calls.append('enter')
    yield
    calls.append('exit')
@traced()
def work(x):
    calls.append(x)
    return x * 2
print(work(1), work(2), calls)
`)).toBe("generator didn't yield\ngenerator didn't stop\n2 4 ['enter', 1, 'exit', 'enter', 2, 'exit']\n");
  });
});

describe("helpers", () => {
  test("suppress, closing, nullcontext", async () => {
    const python = await startPython();
    expect(python.run(`
from contextlib import suppress, closing, nullcontext
with suppress(KeyError, IndexError):
    [][1]
try:
    with suppress(KeyError):
        raise ValueError('not suppressed')
except ValueError as e:
    print(e)
class Resource:
    def close(self):
        print('closed')
with closing(Resource()) as r:
    print(type(r).__name__)
with nullcontext(7) as n:
    print(n)
`)).toBe("not suppressed\nResource\nclosed\n7\n");
  });

  test("ExitStack: LIFO exits, callbacks, suppression, pop_all", async () => {
    const python = await startPython();
    expect(python.run(`
from contextlib import ExitStack, contextmanager
log = []
@contextmanager
def tag(name):
    log.append('<%s>' % name)
    yield name
    log.append('</%s>' % name)
with ExitStack() as stack:
    stack.callback(log.append, 'callback 1')
    log.append(stack.enter_context(tag('x')))
    stack.callback(log.append, 'callback 2')
print(log)
with ExitStack() as stack:
    stack.push(lambda *exc: True)
    raise OSError('suppressed by the stack')
print('after suppression')
with ExitStack() as stack:
    stack.callback(print, 'kept for later')
    later = stack.pop_all()
print('stack closed')
later.close()
try:
    with ExitStack() as stack:
        stack.enter_context(object())
except TypeError as e:
    print('TypeError')
`)).toBe("['<x>', 'x', 'callback 2', '</x>', 'callback 1']\nafter suppression\nstack closed\nkept for later\nTypeError\n");
  });
});


describe("asynccontextmanager and AsyncExitStack", () => {
  test("awaits before and after the yield wait on the task; the yield hands over its value", async () => {
    const python = await startPython();
    const out = await drive(python, `
import asyncio
from contextlib import asynccontextmanager, AsyncExitStack
@asynccontextmanager
async def connection(name, out):
    await asyncio.sleep(0)
    out.append('open ' + name)
    ready = asyncio.Event()
    async def set_later():
        ready.set()
    asyncio.create_task(set_later())
    await ready.wait()
    try:
        yield name + '!'
    finally:
        await asyncio.sleep(0.001)
        out.append('close ' + name)
@asynccontextmanager
async def lifespan(out):
    out.append('startup')
    yield
    out.append('shutdown')
async def main(out):
    async with connection('db', out) as c:
        out.append(c)
        await asyncio.sleep(0)
    try:
        async with connection('e', out):
            raise ValueError('inside')
    except ValueError as e:
        out.append('caught ' + str(e))
    async with lifespan(out) as nothing:
        out.append(nothing)
    async with AsyncExitStack() as stack:
        out.append(await stack.enter_async_context(connection('s', out)))
        stack.callback(out.append, 'sync callback')
        stack.push_async_callback(asyncio.sleep, 0)
    out.append('done')
`);
    expect(out).toEqual(["open db", "db!", "close db", "open e", "close e", "caught inside", "startup", "None", "shutdown", "open s", "s!", "sync callback", "close s", "done"]);
  });

  test("a task cancelled while the setup awaits: the function sees CancelledError, then the task", async () => {
    const python = await startPython();
    const out = await drive(python, `
import asyncio
from contextlib import asynccontextmanager
async def main(out):
    @asynccontextmanager
    async def slow():
        try:
            await asyncio.sleep(10)
            yield 1
        except asyncio.CancelledError:
            out.append('cm saw the cancel')
            raise
    async def user():
        try:
            async with slow():
                out.append('never')
        except asyncio.CancelledError:
            out.append('user cancelled')
            raise
    task = asyncio.create_task(user())
    await asyncio.sleep(0)
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        out.append('task cancelled')
`);
    expect(out).toEqual(["cm saw the cancel", "user cancelled", "task cancelled"]);
  });
});
