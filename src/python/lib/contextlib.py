"""CPython's contextlib for MicroPython.

An `async def` with `yield` is a plain generator here (MicroPython has no async generators),
so asynccontextmanager tells the function's own `yield` from an `await` that suspends the
task: before each step it marks the running task's `data`, which every asyncio wait
overwrites (sleep's push resets it, Event/Lock/Task/promise waits set it). Mark left intact:
the function yielded its value.
"""
import sys


class AbstractContextManager:
    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        return None


class AbstractAsyncContextManager:
    async def __aenter__(self):
        return self

    async def __aexit__(self, exc_type, exc_value, traceback):
        return None


class ContextDecorator:
    def _recreate_cm(self):
        return self

    def __call__(self, func):
        def inner(*args, **kwargs):
            with self._recreate_cm():
                return func(*args, **kwargs)
        return inner


class _GeneratorContextManager(ContextDecorator):
    def __init__(self, func, args, kwargs):
        self.gen = func(*args, **kwargs)
        self.func, self.args, self.kwargs = func, args, kwargs

    def _recreate_cm(self):
        return type(self)(self.func, self.args, self.kwargs)

    def __enter__(self):
        try:
            return next(self.gen)
        except StopIteration:
            raise RuntimeError("generator didn't yield")

    def __exit__(self, typ, value, traceback):
        if typ is None:
            try:
                next(self.gen)
            except StopIteration:
                return False
            raise RuntimeError("generator didn't stop")
        if value is None:
            value = typ()
        try:
            self.gen.throw(value)
        except StopIteration as exc:
            return exc is not value
        except BaseException as exc:
            if exc is value:
                return False
            raise
        raise RuntimeError("generator didn't stop after throw()")


def contextmanager(func):
    def helper(*args, **kwargs):
        return _GeneratorContextManager(func, args, kwargs)
    return helper


_MARK = object()


def _step(gen, value, error):
    """Runs gen to its own next yield: (True, yielded), or (False, None) when it ended.

    Every asyncio suspension on the way is passed up to the task that awaits this.
    """
    import asyncio.core as core
    while True:
        task = core.cur_task
        if task is not None:
            task.data = _MARK
        try:
            if error is not None:
                out = gen.throw(error)
            else:
                out = gen.send(value)
        except StopIteration:
            return False, None
        finally:
            own_yield = task is None or task.data is _MARK
            if task is not None and task.data is _MARK:
                task.data = None
        if own_yield:
            return True, out
        try:
            value, error = (yield out), None
        except BaseException as exc:  # cancellation thrown into the task: on to the function
            value, error = None, exc


class _AsyncGeneratorContextManager:
    def __init__(self, func, args, kwargs):
        self.gen = func(*args, **kwargs)
        self.func, self.args, self.kwargs = func, args, kwargs

    async def __aenter__(self):
        yielded, value = await _step(self.gen, None, None)
        if not yielded:
            raise RuntimeError("generator didn't yield")
        return value

    async def __aexit__(self, typ, value, traceback):
        if typ is None:
            yielded, _ = await _step(self.gen, None, None)
            if yielded:
                raise RuntimeError("generator didn't stop")
            return False
        if value is None:
            value = typ()
        try:
            yielded, _ = await _step(self.gen, None, value)
        except BaseException as exc:
            if exc is value:
                return False
            raise
        if yielded:
            raise RuntimeError("generator didn't stop after athrow()")
        return True

    def __call__(self, func):
        async def inner(*args, **kwargs):
            async with type(self)(self.func, self.args, self.kwargs):
                return await func(*args, **kwargs)
        return inner


def asynccontextmanager(func):
    def helper(*args, **kwargs):
        return _AsyncGeneratorContextManager(func, args, kwargs)
    return helper


class closing(AbstractContextManager):
    def __init__(self, thing):
        self.thing = thing

    def __enter__(self):
        return self.thing

    def __exit__(self, *exc_info):
        self.thing.close()


class aclosing(AbstractAsyncContextManager):
    def __init__(self, thing):
        self.thing = thing

    async def __aenter__(self):
        return self.thing

    async def __aexit__(self, *exc_info):
        await self.thing.aclose()


class nullcontext(AbstractContextManager, AbstractAsyncContextManager):
    def __init__(self, enter_result=None):
        self.enter_result = enter_result

    def __enter__(self):
        return self.enter_result

    async def __aenter__(self):
        return self.enter_result


class suppress(AbstractContextManager):
    def __init__(self, *exceptions):
        self._exceptions = exceptions

    def __exit__(self, exctype, excinst, exctb):
        return exctype is not None and issubclass(exctype, self._exceptions)


class chdir(AbstractContextManager):
    def __init__(self, path):
        self.path = path
        self._old = []

    def __enter__(self):
        import os
        self._old.append(os.getcwd())
        os.chdir(self.path)

    def __exit__(self, *exc_info):
        import os
        os.chdir(self._old.pop())


def _exit_of(cm):
    def exit_(typ, value, tb):
        return cm.__exit__(typ, value, tb)
    return exit_


class ExitStack(AbstractContextManager):
    def __init__(self):
        self._exits = []

    def pop_all(self):
        new = type(self)()
        new._exits, self._exits = self._exits, []
        return new

    def push(self, exit):
        self._exits.append((False, _exit_of(exit) if hasattr(exit, '__exit__') else exit))
        return exit

    def enter_context(self, cm):
        try:
            enter, exit_ = cm.__enter__, cm.__exit__
        except AttributeError:
            raise TypeError("'%s' object does not support the context manager protocol" % type(cm).__name__)
        result = enter()
        self._exits.append((False, _exit_of(cm)))
        return result

    def callback(self, callback, *args, **kwargs):
        def exit_(typ, value, tb):
            callback(*args, **kwargs)
        self._exits.append((False, exit_))
        return callback

    def close(self):
        self.__exit__(None, None, None)

    def __exit__(self, typ, value, tb):
        pending = value if value is not None or typ is None else typ()
        while self._exits:
            is_async, exit_ = self._exits.pop()
            try:
                if exit_(None if pending is None else type(pending), pending, None):
                    pending = None
            except BaseException as exc:
                pending = exc
        if pending is not None and pending is not value:
            raise pending
        return value is not None and pending is None


class AsyncExitStack(ExitStack):
    async def enter_async_context(self, cm):
        try:
            enter, exit_ = cm.__aenter__, cm.__aexit__
        except AttributeError:
            raise TypeError("'%s' object does not support the asynchronous context manager protocol"
                            % type(cm).__name__)
        result = await enter()
        self._exits.append((True, exit_))
        return result

    def push_async_exit(self, exit):
        self._exits.append((True, exit.__aexit__ if hasattr(exit, '__aexit__') else exit))
        return exit

    def push_async_callback(self, callback, *args, **kwargs):
        async def exit_(typ, value, tb):
            await callback(*args, **kwargs)
        self._exits.append((True, exit_))
        return callback

    async def aclose(self):
        await self.__aexit__(None, None, None)

    async def __aenter__(self):
        return self

    async def __aexit__(self, typ, value, tb):
        pending = value if value is not None or typ is None else typ()
        while self._exits:
            is_async, exit_ = self._exits.pop()
            try:
                result = exit_(None if pending is None else type(pending), pending, None)
                if is_async:
                    result = await result
                if result:
                    pending = None
            except BaseException as exc:
                pending = exc
        if pending is not None and pending is not value:
            raise pending
        return value is not None and pending is None
