"""CPython's traceback, built on MicroPython's sys.print_exception.

MicroPython keeps no traceback objects or frames: everything here starts from the exception
itself. format_exc() and print_exc() find the exception being handled the way a bare `raise`
does: swasgi's runtime makes `raise` in a function search the frames that called it for an
`except` (or `finally`) block that is running, as CPython does (wasm/handledException.mjs).
The built-in sys module cannot take a new attribute, so sys.exc_info() is missing; exc_info()
here stands in for it (its traceback is None).
"""
import io
import sys

from _swasgi_precompiled import STUB_FRAME  # swasgi's import stub: not the app's frame


def _source(entry):
    """The source line a '  File "x.py", line 3, in f' entry points at, or ''."""
    try:
        path = entry.split('"')[1]
        number = int(entry.split(', line ')[1].split(',')[0])
        with open(path) as f:
            for i, line in enumerate(f):
                if i + 1 == number:
                    return '    %s\n' % line.strip() if line.strip() else ''
    except (IndexError, ValueError, OSError):
        pass
    return ''


def _last(exc):
    cls = type(exc)
    name, module = cls.__name__, cls.__dict__.get('__module__')
    if module and module not in ('builtins', '__main__'):
        name = module + '.' + name
    text = repr(exc.args[0]) if isinstance(exc, KeyError) and len(exc.args) == 1 else str(exc)
    return name + (': ' + text if text else '') + '\n'


def _lines(exc, limit=None):
    buf = io.StringIO()
    sys.print_exception(exc, buf)
    lines = buf.getvalue().split('\n')
    entries = [line + '\n' + _source(line) for line in lines if line.startswith('  File ') and not line.startswith(STUB_FRAME)]
    if limit is not None:
        entries = entries[:limit] if limit >= 0 else entries[limit:]
    return (['Traceback (most recent call last):\n'] + entries if entries else []) + [_last(exc)]


def _exception(exc, value):
    return exc if value is _SENTINEL else value


_SENTINEL = object()


def format_exception(exc, value=_SENTINEL, tb=_SENTINEL, limit=None, chain=True):
    """`format_exception(e)` or `format_exception(type(e), e, tb)`: a list of lines."""
    exc = _exception(exc, value)
    if exc is None:
        return ['NoneType: None\n']
    return _lines(exc, limit)


def format_exception_only(exc, value=_SENTINEL):
    exc = _exception(exc, value)
    if exc is None:
        return ['NoneType: None\n']
    return [_last(exc)]


def print_exception(exc, value=_SENTINEL, tb=_SENTINEL, limit=None, file=None, chain=True):
    (file or sys.stderr).write(''.join(format_exception(exc, value, tb, limit, chain)))


_NONE_ACTIVE = ('no active exception to reraise',)


def exc_info():
    """sys.exc_info() for this runtime: (type, exception, None), or (None, None, None)."""
    try:
        raise  # re-raises the exception an except or finally block of a caller is handling
    except BaseException as e:
        if type(e) is RuntimeError and e.args == _NONE_ACTIVE:
            return None, None, None
        return type(e), e, None


def format_exc(limit=None, chain=True):
    return ''.join(format_exception(*exc_info(), limit=limit, chain=chain))


def print_exc(limit=None, file=None, chain=True):
    print_exception(*exc_info(), limit=limit, file=file, chain=chain)


def format_tb(tb, limit=None):
    return []  # MicroPython has no traceback objects (exceptions have no __traceback__)


def print_tb(tb, limit=None, file=None):
    pass


class TracebackException:
    def __init__(self, exc_type, exc_value, exc_traceback, *, limit=None, **kwargs):
        self.exc_type = exc_type
        self._exc = exc_value
        self._limit = limit
        self.stack = []

    @classmethod
    def from_exception(cls, exc, *, limit=None, **kwargs):
        return cls(type(exc), exc, None, limit=limit)

    def format(self, *, chain=True):
        return iter(_lines(self._exc, self._limit))

    def format_exception_only(self):
        return iter([_last(self._exc)])

    def __str__(self):
        return str(self._exc)
