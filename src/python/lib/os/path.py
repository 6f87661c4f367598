"""os.path (POSIX) for this runtime."""
from uos import stat as _stat, getcwd as _getcwd

sep = '/'
curdir = '.'
pardir = '..'
extsep = '.'


def _isdir_mode(mode):
    return mode & 0o170000 == 0o040000


def exists(p):
    try:
        _stat(p)
        return True
    except (OSError, ValueError, TypeError):
        return False


lexists = exists


def isdir(p):
    try:
        return _isdir_mode(_stat(p)[0])
    except OSError:
        return False


def isfile(p):
    try:
        return _stat(p)[0] & 0o170000 == 0o100000
    except OSError:
        return False


def islink(p):
    return False


def ismount(p):
    return p == '/'


def getsize(p):
    return _stat(p)[6]


def getmtime(p):
    return _stat(p)[8]


def getatime(p):
    return _stat(p)[7]


def getctime(p):
    return _stat(p)[9]


def isabs(p):
    return p.startswith('/')


def join(a, *parts):
    out = a
    for b in parts:
        if b.startswith('/'):
            out = b
        elif not out or out.endswith('/'):
            out += b
        else:
            out += '/' + b
    return out


def split(p):
    i = p.rfind('/') + 1
    head, tail = p[:i], p[i:]
    if head and head != '/' * len(head):
        head = head.rstrip('/')
    return head, tail


def basename(p):
    return p[p.rfind('/') + 1:]


def dirname(p):
    return split(p)[0]


def splitext(p):
    dot = p.rfind('.')
    slash = p.rfind('/')
    if dot > slash:
        start = slash + 1
        while start < dot and p[start] == '.':
            start += 1
        if start < dot:
            return p[:dot], p[dot:]
    return p, ''


def splitdrive(p):
    return '', p


def normpath(p):
    if not p:
        return '.'
    initial = 2 if p.startswith('//') and not p.startswith('///') else 1 if p.startswith('/') else 0
    parts = []
    for part in p.split('/'):
        if part in ('', '.'):
            continue
        if part != '..' or (not initial and not parts) or (parts and parts[-1] == '..'):
            parts.append(part)
        elif parts:
            parts.pop()
    out = '/' * initial + '/'.join(parts)
    return out or '.'


def abspath(p):
    if not isabs(p):
        p = join(_getcwd(), p)
    return normpath(p)


realpath = abspath


def relpath(p, start=None):
    start = abspath(start or curdir).split('/')
    target = abspath(p).split('/')
    start = [s for s in start if s]
    target = [s for s in target if s]
    n = 0
    while n < min(len(start), len(target)) and start[n] == target[n]:
        n += 1
    parts = [pardir] * (len(start) - n) + target[n:]
    return join(*parts) if parts else curdir


def commonprefix(paths):
    if not paths:
        return ''
    lo, hi = min(paths), max(paths)
    for i, c in enumerate(lo):
        if c != hi[i]:
            return lo[:i]
    return lo


def expanduser(p):
    if p == '~' or p.startswith('~/'):
        return '/app' + p[1:]
    return p


def expandvars(p):
    return p


def normcase(p):
    return p
