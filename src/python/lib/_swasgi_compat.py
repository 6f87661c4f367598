"""What CPython-style ASGI apps expect of asyncio and str that MicroPython's webassembly port lacks.

The host runs `import _swasgi_compat` once, before the app is imported. Each addition is only
made when the name is missing, so a runtime that gains the real thing keeps it; wait_for and
gather are wrapped (they exist, but take coroutines only). Probed on
MicroPython 1.27 (webassembly, pyscript variant); what the port already had is left alone:
asyncio.create_task, gather, wait_for, Event, Lock, current_task, get_event_loop() (whose
loop has create_task), inspect.iscoroutinefunction/iscoroutine, functools.partial.
"""
import sys

# swasgi's /lib goes before the frozen modules, so its json.py, datetime.py, ... stand in front
# of the runtime's (they import what they extend: `ujson`, or _swasgi_frozen for frozen ones).
if '/lib' in sys.path:
    sys.path.remove('/lib')
    sys.path.insert(sys.path.index('.frozen') if '.frozen' in sys.path else len(sys.path), '/lib')

import asyncio
import builtins

import _swasgi_str

_swasgi_str.patch()

# OSError as CPython raises it: POSIX numbers (the runner maps the file system's own, see
# src/runner/posixErrno.ts), strerror and filename, and the subclasses apps catch
# (FileNotFoundError, ...), which the port lacks. open() and os.* convert what the C side raises.
_STRERROR = {1: 'Operation not permitted', 2: 'No such file or directory', 4: 'Interrupted system call',
             5: 'Input/output error', 9: 'Bad file descriptor', 11: 'Resource temporarily unavailable',
             12: 'Cannot allocate memory', 13: 'Permission denied', 17: 'File exists', 18: 'Invalid cross-device link',
             20: 'Not a directory', 21: 'Is a directory', 22: 'Invalid argument', 24: 'Too many open files',
             27: 'File too large', 28: 'No space left on device', 29: 'Illegal seek', 30: 'Read-only file system',
             36: 'File name too long', 38: 'Function not implemented', 39: 'Directory not empty',
             40: 'Too many levels of symbolic links', 110: 'Connection timed out'}


def _oserror_str(self):
    a = self.args
    if len(a) < 2:
        return str(a[0]) if a else ''
    text = '[Errno %s] %s' % (a[0], a[1])
    return text + ': %r' % (self.filename,) if self.filename is not None else text


def _oserror_init(self, *args):
    self.strerror = args[1] if len(args) > 1 else None
    if len(args) > 2:
        self.filename = args[2]


_OSERROR_BODY = {'__str__': _oserror_str, '__init__': _oserror_init, 'filename': None, 'strerror': None}


def _oserror_class(name, base=OSError):
    cls = getattr(builtins, name, None)
    if cls is None:
        cls = type(name, (base,), dict(_OSERROR_BODY))
        setattr(builtins, name, cls)
    return cls


_PlainOSError = type('OSError', (OSError,), dict(_OSERROR_BODY))
_BY_ERRNO = {2: _oserror_class('FileNotFoundError'), 17: _oserror_class('FileExistsError'),
             21: _oserror_class('IsADirectoryError'), 20: _oserror_class('NotADirectoryError'),
             13: _oserror_class('PermissionError'), 11: _oserror_class('BlockingIOError'),
             4: _oserror_class('InterruptedError')}
_BY_ERRNO[1] = _BY_ERRNO[13]
_connection = _oserror_class('ConnectionError')
for _name in ('BrokenPipeError', 'ConnectionAbortedError', 'ConnectionRefusedError', 'ConnectionResetError'):
    _oserror_class(_name, _connection)
_oserror_class('ChildProcessError')
_oserror_class('ProcessLookupError')


def posix_error(e, filename=None):
    """The CPython-style OSError for `e` raised by the C side (a plain OSError(errno))."""
    n = e.args[0] if e.args else None
    if not isinstance(n, int) or len(e.args) > 1 or type(e) is not OSError:
        return e
    # args is (errno, strerror) and the file name an attribute, as CPython has them.
    error = _BY_ERRNO.get(n, _PlainOSError)(n, _STRERROR.get(n, 'Error %d' % n))
    error.filename = filename
    return error


_open = builtins.open


def open(file, mode='r', *args, **kwargs):
    try:
        return _open(file, mode, *args, **kwargs)
    except OSError as e:
        raise posix_error(e, file)


builtins.open = open
if not hasattr(builtins, 'format'):
    def format(value, format_spec=''):
        return _swasgi_str.format_value(value, format_spec)

    builtins.format = format


_GeneratorFunction = type(lambda: (yield))
_Generator = type((lambda: (yield))())


async def _await(awaitable):
    # MicroPython's `await` uses __iter__ and never looks up __await__; accept both.
    if not hasattr(awaitable, '__iter__') and hasattr(awaitable, '__await__'):
        awaitable = awaitable.__await__()
    return await awaitable


def _coroutine(obj):
    """obj as something the port's create_task accepts: only coroutines (generators) pass.

    Tasks pass through; Futures, asyncio.sleep(...) and __await__ objects get wrapped.
    """
    if isinstance(obj, (asyncio.Task, _Generator)):
        return obj
    if isinstance(obj, (str, bytes, bytearray, list, tuple, dict)):
        pass  # iterable, but not awaitable
    elif hasattr(obj, '__iter__') or hasattr(obj, '__await__'):
        return _await(obj)
    raise TypeError('An asyncio.Future, a coroutine or an awaitable is required')


# asyncio.iscoroutinefunction / iscoroutine: CPython has them on asyncio; the port only in
# inspect (a frozen module that ships with the library, so not imported here). Microdot and many
# apps test handlers with them. A coroutine is a generator in MicroPython, as inspect says too.
if not hasattr(asyncio, 'iscoroutinefunction'):
    asyncio.iscoroutinefunction = lambda obj: isinstance(obj, _GeneratorFunction)
if not hasattr(asyncio, 'iscoroutine'):
    asyncio.iscoroutine = lambda obj: isinstance(obj, _Generator)


class InvalidStateError(Exception):
    pass


class Future:
    """CPython's asyncio.Future, minimal: the port's asyncio has only Task.

    Awaiting waits on an Event; done callbacks run soon after completion, through the loop,
    as in CPython.
    """

    def __init__(self, *, loop=None):
        self._done = False
        self._result = None
        self._exception = None
        self._callbacks = []
        self._event = asyncio.Event()

    def done(self):
        return self._done

    def cancelled(self):
        return self._done and isinstance(self._exception, asyncio.CancelledError)

    def result(self):
        if not self._done:
            raise InvalidStateError('Result is not set.')
        if self._exception is not None:
            raise self._exception
        return self._result

    def exception(self):
        if not self._done:
            raise InvalidStateError('Exception is not set.')
        if self.cancelled():
            raise self._exception
        return self._exception

    def set_result(self, result):
        self._finish(result, None)

    def set_exception(self, exception):
        if isinstance(exception, type):
            exception = exception()
        self._finish(None, exception)

    def cancel(self, msg=None):
        if self._done:
            return False
        self._finish(None, asyncio.CancelledError() if msg is None else asyncio.CancelledError(msg))
        return True

    def add_done_callback(self, fn, *, context=None):
        if self._done:
            _call_later(0, fn, (self,))
        else:
            self._callbacks.append(fn)

    def remove_done_callback(self, fn):
        count = len(self._callbacks)
        self._callbacks = [cb for cb in self._callbacks if cb != fn]
        return count - len(self._callbacks)

    def _finish(self, result, exception):
        if self._done:
            raise InvalidStateError('invalid state')
        self._done = True
        self._result = result
        self._exception = exception
        # Callbacks first, then the awaiting tasks: the order CPython runs them in when the
        # callbacks were added before the await.
        for fn in self._callbacks:
            _call_later(0, fn, (self,))
        self._callbacks = []
        self._event.set()

    def __iter__(self):
        if not self._done:
            yield from self._event.wait()
        return self.result()

    __await__ = __iter__


if not hasattr(asyncio, 'Future'):
    asyncio.Future = Future
    asyncio.InvalidStateError = InvalidStateError


def ensure_future(obj, *, loop=None):
    """A Task or Future as it is; a coroutine or other awaitable scheduled as a Task.

    Microdot's ASGI adapter starts its disconnect monitor with it.
    """
    if isinstance(obj, (asyncio.Task, Future)):
        return obj
    return asyncio.create_task(_coroutine(obj))


if not hasattr(asyncio, 'ensure_future'):
    asyncio.ensure_future = ensure_future

# The port's wait_for and gather pass what they get to create_task, which takes coroutines
# only: `wait_for(future, 1)` or `gather(asyncio.sleep(1))` would raise "coroutine expected".
_port_wait_for = asyncio.wait_for
_port_gather = asyncio.gather


def _wait_for(aw, timeout):
    return _port_wait_for(_coroutine(aw), timeout)


def _gather(*aws, return_exceptions=False):
    return _port_gather(*[_coroutine(aw) for aw in aws], return_exceptions=return_exceptions)


asyncio.wait_for = _wait_for
asyncio.gather = _gather


def _call_later(delay, callback, args):
    async def run():
        if delay > 0:
            await asyncio.sleep(delay)
        callback(*args)

    # A Task stands in for CPython's Handle: it has cancel().
    return asyncio.create_task(run())


async def _settle(future, coro):
    try:
        future.set_result(await coro)
    except asyncio.CancelledError:
        future.cancel()
        raise
    except Exception as exc:
        future.set_exception(exc)


def run_in_executor(executor, func, *args):
    """Calls func(*args) now, on the loop: there are no threads in the sandbox.

    Microdot (CPython branch, which it takes on MicroPython too because `inspect` exists)
    runs every sync handler through `get_running_loop().run_in_executor(None, partial(...))`.
    The call counts against the request's CPU limit like any other Python code. If func
    returns a coroutine (the port's inspect.iscoroutinefunction is False for bound async
    methods and partials, so callers send those here), it is awaited.
    """
    future = Future()
    try:
        result = func(*args)
    except Exception as exc:
        future.set_exception(exc)
        return future
    if isinstance(result, _Generator):
        asyncio.create_task(_settle(future, result))
    else:
        future.set_result(result)
    return future


# The port's event loop is the class asyncio.Loop, with static methods. CPython code reaches
# these through get_running_loop() / get_event_loop().
_loop = asyncio.get_event_loop()
for _name, _fn in (
    ('run_in_executor', run_in_executor),
    ('create_future', lambda: Future()),
    ('call_soon', lambda callback, *args, context=None: _call_later(0, callback, args)),
    ('call_later', lambda delay, callback, *args, context=None: _call_later(delay, callback, args)),
):
    if not hasattr(_loop, _name):
        setattr(_loop, _name, staticmethod(_fn))

# The host's JS timers run the loop all the time, so the running loop is the only loop.
if not hasattr(asyncio, 'get_running_loop'):
    asyncio.get_running_loop = asyncio.get_event_loop


class _TitleStr(str):
    """A str with title(), which the port's str lacks."""

    def title(self):
        # The str patch gives every str title(); this one stands where the patch could not apply.
        return _swasgi_str.title(self)


class HeaderName(bytes):
    """A header name for the ASGI scope whose decode() has title().

    Microdot's ASGI adapter does `key.decode().title()` for every request header, and the
    port's str has no title() (builtin types cannot be patched). The bridge wraps each
    header name in this class; it is still bytes for every other use.
    """

    def decode(self, *args):
        return _TitleStr(bytes(self).decode(*args))


# asyncio.Queue, Semaphore and run_until_complete, which the port lacks.
class QueueEmpty(Exception):
    pass


class QueueFull(Exception):
    pass


class Queue:
    def __init__(self, maxsize=0):
        self.maxsize = maxsize
        self._items = []
        self._changed = asyncio.Event()
        self._unfinished = 0
        self._finished = asyncio.Event()
        self._finished.set()

    def qsize(self):
        return len(self._items)

    def empty(self):
        return not self._items

    def full(self):
        return 0 < self.maxsize <= len(self._items)

    def _wake(self):
        self._changed.set()
        self._changed = asyncio.Event()

    async def put(self, item):
        while self.full():
            await self._changed.wait()
        self.put_nowait(item)

    def put_nowait(self, item):
        if self.full():
            raise QueueFull()
        self._items.append(item)
        self._unfinished += 1
        self._finished.clear()
        self._wake()

    async def get(self):
        while not self._items:
            await self._changed.wait()
        return self.get_nowait()

    def get_nowait(self):
        if not self._items:
            raise QueueEmpty()
        item = self._items.pop(0)
        self._wake()
        return item

    def task_done(self):
        if self._unfinished <= 0:
            raise ValueError('task_done() called too many times')
        self._unfinished -= 1
        if not self._unfinished:
            self._finished.set()

    async def join(self):
        if self._unfinished:
            await self._finished.wait()


class Semaphore:
    def __init__(self, value=1):
        if value < 0:
            raise ValueError('Semaphore initial value must be >= 0')
        self._value = value
        self._freed = asyncio.Event()

    def locked(self):
        return self._value == 0

    async def acquire(self):
        while self._value <= 0:
            await self._freed.wait()
        self._value -= 1
        return True

    def release(self):
        self._value += 1
        self._freed.set()
        self._freed = asyncio.Event()

    async def __aenter__(self):
        await self.acquire()

    async def __aexit__(self, *exc):
        self.release()


class BoundedSemaphore(Semaphore):
    def __init__(self, value=1):
        super().__init__(value)
        self._bound = value

    def release(self):
        if self._value >= self._bound:
            raise ValueError('BoundedSemaphore released too many times')
        super().release()


def run_until_complete(aw):
    """Runs aw to its end now, inside the current (JS-driven) run: Microdot's test client pattern.

    Ready tasks run here; a task sleeping makes this wait (busy, counted against the CPU limit).
    A task waiting on something only the host can deliver (a request body, a JS promise) can
    never finish inside one synchronous run: that raises RuntimeError instead of hanging.
    """
    from time import ticks_ms, ticks_diff, sleep_ms
    core = asyncio.core
    box = []

    async def runner():
        try:
            box.append((True, await _await(aw)))
        except BaseException as e:
            box.append((False, e))

    asyncio.create_task(runner())
    caller = core.cur_task
    # The bridge makes asyncio.sleep(0) a round trip through JS, which cannot happen inside
    # this synchronous run: the port's own sleeps while it lasts.
    patched = asyncio.sleep, asyncio.sleep_ms
    asyncio.sleep, asyncio.sleep_ms = core.sleep, core.sleep_ms
    try:
        while not box:
            t = core._task_queue.peek()
            if t is None:
                raise RuntimeError('run_until_complete(): the coroutine waits for an event no task will set '
                                   '(in swasgi only the host can deliver it); await it instead')
            wait = ticks_diff(t.ph_key, ticks_ms())
            if wait > 0:
                sleep_ms(wait)
            core._run_iter()
    finally:
        core.cur_task = caller
        asyncio.sleep, asyncio.sleep_ms = patched
    ok, value = box[0]
    if not ok:
        raise value
    return value


for _name, _value in (('Queue', Queue), ('QueueEmpty', QueueEmpty), ('QueueFull', QueueFull), ('Semaphore', Semaphore),
                      ('BoundedSemaphore', BoundedSemaphore), ('run', run_until_complete)):
    if not hasattr(asyncio, _name):
        setattr(asyncio, _name, _value)
if not hasattr(_loop, 'run_until_complete'):
    _loop.run_until_complete = staticmethod(run_until_complete)
if not hasattr(builtins, 'TimeoutError'):
    builtins.TimeoutError = asyncio.TimeoutError


def release_shadowed():
    """Forgets the library modules the app has its own file for (json.py, time.py, ...).

    The bridge imported swasgi's json (and asyncio its time) before the app's files existed;
    without this the app's `import json` would get that module, not its own json.py.
    """
    import uos
    # One listing of the app's folder rather than a failing stat per module and form: each
    # failure is a thrown error in the host, and this runs at every boot.
    try:
        names = uos.listdir()
    except OSError:
        return
    for name in list(sys.modules):
        if name.startswith('_') or '.' in name:
            continue
        if name + '.py' not in names and name + '.mpy' not in names:
            if name not in names:
                continue
            try:
                uos.stat(name + '/__init__.py')
            except OSError:
                continue
        for loaded in list(sys.modules):
            if loaded == name or loaded.startswith(name + '.'):
                del sys.modules[loaded]
