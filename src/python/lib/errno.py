"""errno: the built-in errno plus the names it lacks, in the same (POSIX, Linux) numbering
OSError.errno uses in swasgi (see src/runner/posixErrno.ts)."""
from uerrno import *

_CODES = {'EPERM': 1, 'ENOENT': 2, 'ESRCH': 3, 'EINTR': 4, 'EIO': 5, 'ENXIO': 6, 'E2BIG': 7, 'ENOEXEC': 8, 'EBADF': 9, 'ECHILD': 10, 'EAGAIN': 11, 'ENOMEM': 12, 'EACCES': 13, 'EFAULT': 14, 'EBUSY': 16, 'EEXIST': 17, 'EXDEV': 18, 'ENODEV': 19, 'ENOTDIR': 20, 'EISDIR': 21, 'EINVAL': 22, 'ENFILE': 23, 'EMFILE': 24, 'ENOTTY': 25, 'ETXTBSY': 26, 'EFBIG': 27, 'ENOSPC': 28, 'ESPIPE': 29, 'EROFS': 30, 'EMLINK': 31, 'EPIPE': 32, 'EDOM': 33, 'ERANGE': 34, 'EDEADLK': 35, 'ENAMETOOLONG': 36, 'ENOLCK': 37, 'ENOSYS': 38, 'ENOTEMPTY': 39, 'ELOOP': 40, 'ENOTSUP': 95, 'EOPNOTSUPP': 95, 'ETIMEDOUT': 110, 'ECONNREFUSED': 111, 'ECONNRESET': 104, 'ECONNABORTED': 103, 'EADDRINUSE': 98, 'ENOTCONN': 107, 'EINPROGRESS': 115, 'EALREADY': 114, 'EHOSTUNREACH': 113, 'ENOBUFS': 105, 'EWOULDBLOCK': 11, 'EOVERFLOW': 75, 'ECANCELED': 125, 'EDQUOT': 122, 'ESTALE': 116, 'EILSEQ': 84, 'ENODATA': 61, 'ENOTSOCK': 88}
globals().update(_CODES)
errorcode = {}
for _name, _code in _CODES.items():
    errorcode.setdefault(_code, _name)
