"""A stand-in for CPython's signal module: a sandboxed app never receives a signal.

Microdot's ASGI adapter imports it (and only uses it in shutdown()), and servers written for
CPython install SIGINT/SIGTERM handlers at startup. Handlers are remembered, so signal()
answers the previous one as CPython does, but nothing ever calls them.
"""
SIG_DFL = 0
SIG_IGN = 1
SIGHUP = 1
SIGINT = 2
SIGQUIT = 3
SIGKILL = 9
SIGTERM = 15


def default_int_handler(signalnum, frame):
    raise KeyboardInterrupt


_handlers = {SIGHUP: SIG_DFL, SIGINT: default_int_handler, SIGQUIT: SIG_DFL, SIGKILL: SIG_DFL,
             SIGTERM: SIG_DFL}


def signal(signalnum, handler):
    """Installs `handler` for `signalnum` (it will never run) and returns the previous one."""
    if signalnum not in _handlers:
        raise ValueError('signal number out of range')
    if signalnum == SIGKILL:
        raise OSError(22, 'Invalid argument')  # as CPython: SIGKILL cannot be caught
    if handler not in (SIG_DFL, SIG_IGN) and not callable(handler):
        raise TypeError('signal handler must be signal.SIG_IGN, signal.SIG_DFL, or a callable object')
    previous = _handlers[signalnum]
    _handlers[signalnum] = handler
    return previous


def getsignal(signalnum):
    """The handler installed for `signalnum`."""
    if signalnum not in _handlers:
        raise ValueError('signal number out of range')
    return _handlers[signalnum]
