"""os.urandom from the host's CSPRNG (crypto.getRandomValues), never Python's PRNG.

`os.py` imports `urandom` from here; `secrets` and `uuid` use it too. The host writes the
bytes straight into the buffer (src/runner/randomModule.ts), at most 64 KiB per call.
"""
import uctypes
import _swasgi_random

_CHUNK = 65536


def urandom(size):
    """`size` random bytes, as CPython's os.urandom."""
    if not isinstance(size, int) or isinstance(size, bool):
        raise TypeError("'%s' object cannot be interpreted as an integer" % type(size).__name__)
    if size < 0:
        raise ValueError('negative argument not allowed')
    buf = bytearray(size)
    base = uctypes.addressof(buf) if size else 0
    done = 0
    while done < size:
        n = min(_CHUNK, size - done)
        if _swasgi_random.fill(base + done, n) != n:
            raise OSError(5, 'the host gave no random bytes')
        done += n
    return bytes(buf)
