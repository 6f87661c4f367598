"""os for this runtime: the built-in os plus makedirs, walk, scandir, environ, getenv, urandom,
stat results with st_* names. Errors carry POSIX errno numbers (the runner maps the file
system's own numbering; see src/runner/posixErrno.ts)."""
import uos as _uos
from uos import *
from _swasgi_compat import posix_error as _posix_error


def _posix(fn):
    def call(p, *args):
        try:
            return fn(p, *args)
        except OSError as e:
            raise _posix_error(e, p)

    return call


for _name in ('chdir', 'ilistdir', 'listdir', 'mkdir', 'remove', 'rmdir', 'statvfs', 'unlink'):
    globals()[_name] = _posix(getattr(_uos, _name))
_stat = _posix(_uos.stat)
_ilistdir = ilistdir


def rename(src, dst):
    try:
        _uos.rename(src, dst)
    except OSError as e:
        raise _posix_error(e, src)

from ucollections import namedtuple as _namedtuple
from . import path

name = 'posix'
sep = '/'
altsep = None
extsep = '.'
pathsep = ':'
curdir = '.'
pardir = '..'
linesep = '\n'
devnull = '/dev/null'
error = OSError
environ = {'HOME': '/app', 'PATH': '', 'TMPDIR': '/tmp'}
F_OK, X_OK, W_OK, R_OK = 0, 1, 2, 4

stat_result = _namedtuple('stat_result', ('st_mode', 'st_ino', 'st_dev', 'st_nlink', 'st_uid', 'st_gid',
                                          'st_size', 'st_atime', 'st_mtime', 'st_ctime'))


def stat(p):
    return stat_result(*_stat(p))


lstat = stat


def getenv(key, default=None):
    return environ.get(key, default)


def makedirs(name, mode=0o777, exist_ok=False):
    head, tail = path.split(name)
    if not tail:
        head, tail = path.split(head)
    if head and tail and not path.exists(head):
        try:
            makedirs(head, mode, exist_ok=True)
        except OSError:
            pass
    try:
        mkdir(name)
    except OSError:
        if not exist_ok or not path.isdir(name):
            raise


def removedirs(name):
    rmdir(name)
    head, tail = path.split(name)
    while head and tail:
        try:
            rmdir(head)
        except OSError:
            break
        head, tail = path.split(head)


def replace(src, dst):
    rename(src, dst)


class DirEntry:
    def __init__(self, top, entry):
        self.name = entry[0]
        self.path = path.join(top, entry[0])
        self._dir = entry[1] == 0x4000

    def is_dir(self, *, follow_symlinks=True):
        return self._dir

    def is_file(self, *, follow_symlinks=True):
        return not self._dir

    def is_symlink(self):
        return False

    def stat(self, *, follow_symlinks=True):
        return stat(self.path)

    def __fspath__(self):
        return self.path

    def __repr__(self):
        return '<DirEntry %r>' % self.name


class _Scandir:
    def __init__(self, top):
        self._entries = [DirEntry(top, e) for e in _ilistdir(top)]

    def __iter__(self):
        return iter(self._entries)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._entries = []

    def close(self):
        self._entries = []


def scandir(p='.'):
    return _Scandir(p)


def walk(top, topdown=True, onerror=None, followlinks=False):
    try:
        entries = list(_ilistdir(top))
    except OSError as e:
        if onerror is not None:
            onerror(e)
        return
    dirs = [e[0] for e in entries if e[1] == 0x4000]
    files = [e[0] for e in entries if e[1] != 0x4000]
    if topdown:
        yield top, dirs, files
    for d in dirs:
        yield from walk(path.join(top, d), topdown, onerror, followlinks)
    if not topdown:
        yield top, dirs, files


def fspath(p):
    if isinstance(p, (str, bytes)):
        return p
    return p.__fspath__()


def fsencode(p):
    return p.encode() if isinstance(p, str) else p


def fsdecode(p):
    return p.decode() if isinstance(p, bytes) else p


def getpid():
    return 1


def cpu_count():
    return 1


def strerror(code):
    import errno
    return errno.errorcode.get(code, 'Unknown error %d' % code)


def urandom(n):
    """n bytes from the host's CSPRNG (crypto.getRandomValues), never the Python PRNG."""
    try:
        from _swasgi_urandom import urandom as host_urandom
    except ImportError:
        raise OSError(38, 'os.urandom: the host grants no random source to this app (use secrets)')
    return host_urandom(n)
