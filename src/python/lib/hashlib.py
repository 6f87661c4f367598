"""hashlib: sha256 from the runtime (C), md5 and sha1 in Python, CPython's hash-object API.

The runtime's sha256 object is final after digest(): this one caches the digest and keeps the
data while it is small (up to 64 KB), so digest() again, update() after it and copy() work as in
CPython; past 64 KB those two raise ValueError instead. md5/sha1 are pure Python, block by
block: fine for tokens and ETags, slow (about 1 MB/s) for big data.
"""
from uhashlib import sha256 as _sha256
import struct as _struct

algorithms_guaranteed = algorithms_available = {'md5', 'sha1', 'sha256'}
_KEEP = 65536


def _rol(x, n):
    return ((x << n) | (x >> (32 - n))) & 0xffffffff


def _sha1_block(h, block):
    w = list(_struct.unpack('>16I', block))
    for i in range(16, 80):
        w.append(_rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1))
    a, b, c, d, e = h
    for i in range(80):
        if i < 20:
            f, k = (b & c) | (~b & d), 0x5A827999
        elif i < 40:
            f, k = b ^ c ^ d, 0x6ED9EBA1
        elif i < 60:
            f, k = (b & c) | (b & d) | (c & d), 0x8F1BBCDC
        else:
            f, k = b ^ c ^ d, 0xCA62C1D6
        a, b, c, d, e = (_rol(a, 5) + f + e + k + w[i]) & 0xffffffff, a, _rol(b, 30), c, d
    return [(x + y) & 0xffffffff for x, y in zip(h, (a, b, c, d, e))]


_S = (7, 12, 17, 22) * 4 + (5, 9, 14, 20) * 4 + (4, 11, 16, 23) * 4 + (6, 10, 15, 21) * 4
_K = []


def _md5_block(h, block):
    if not _K:
        import math
        _K.extend(int(abs(math.sin(i + 1)) * 4294967296) & 0xffffffff for i in range(64))
    m = _struct.unpack('<16I', block)
    a, b, c, d = h
    for i in range(64):
        if i < 16:
            f, g = (b & c) | (~b & d), i
        elif i < 32:
            f, g = (d & b) | (~d & c), (5 * i + 1) % 16
        elif i < 48:
            f, g = b ^ c ^ d, (3 * i + 5) % 16
        else:
            f, g = c ^ (b | (~d & 0xffffffff)), (7 * i) % 16
        f = (f + a + _K[i] + m[g]) & 0xffffffff
        a, d, c = d, c, b
        b = (b + _rol(f, _S[i])) & 0xffffffff
    return [(x + y) & 0xffffffff for x, y in zip(h, (a, b, c, d))]


class _BlockHash:
    """md5/sha1: a 64-byte block function over a running state."""

    block_size = 64

    def __init__(self, name, fn, init, big, size):
        self.name = name
        self.digest_size = size
        self._fn = fn
        self._big = big
        self._h = list(init)
        self._tail = b''
        self._n = 0

    def update(self, data):
        if isinstance(data, str):
            raise TypeError('Strings must be encoded before hashing')
        data = self._tail + bytes(data)
        self._n += len(data) - len(self._tail)
        end = len(data) - len(data) % 64
        h = self._h
        for off in range(0, end, 64):
            h = self._fn(h, data[off:off + 64])
        self._h = h
        self._tail = data[end:]

    def copy(self):
        other = _BlockHash(self.name, self._fn, self._h, self._big, self.digest_size)
        other._tail = self._tail
        other._n = self._n
        return other

    def digest(self):
        tail = self._tail + b'\x80' + b'\x00' * ((55 - len(self._tail)) % 64)
        tail += _struct.pack('>Q' if self._big else '<Q', self._n * 8)
        h = self._h
        for off in range(0, len(tail), 64):
            h = self._fn(h, tail[off:off + 64])
        return _struct.pack(('>%dI' if self._big else '<%dI') % len(h), *h)

    def hexdigest(self):
        return self.digest().hex()


class _Sha256:
    name = 'sha256'
    digest_size = 32
    block_size = 64

    def __init__(self, data=b''):
        self._c = _sha256()
        self._kept = bytearray()
        self._done = None
        if data:
            self.update(data)

    def update(self, data):
        if isinstance(data, str):
            raise TypeError('Strings must be encoded before hashing')
        if self._done is not None:
            self._c = self._revive('update() after digest()')
            self._done = None
        self._c.update(data)
        if self._kept is not None:
            self._kept.extend(data)
            if len(self._kept) > _KEEP:
                self._kept = None

    def _revive(self, what):
        if self._kept is None:
            raise ValueError(what + ' of a sha256 over more than 64 KB is not available in this runtime')
        c = _sha256()
        c.update(self._kept)
        return c

    def digest(self):
        if self._done is None:
            self._done = self._c.digest()
        return self._done

    def hexdigest(self):
        return self.digest().hex()

    def copy(self):
        other = _Sha256()
        other._c = self._revive('copy()')
        other._kept = bytearray(self._kept)
        return other


def md5(data=b'', *, usedforsecurity=True):
    h = _BlockHash('md5', _md5_block, (0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476), False, 16)
    h.update(data)
    return h


def sha1(data=b'', *, usedforsecurity=True):
    h = _BlockHash('sha1', _sha1_block, (0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0), True, 20)
    h.update(data)
    return h


def sha256(data=b'', *, usedforsecurity=True):
    return _Sha256(data)


_BY_NAME = {'md5': md5, 'sha1': sha1, 'sha256': sha256}


def new(name, data=b'', **kw):
    try:
        return _BY_NAME[name.lower()](data)
    except KeyError:
        raise ValueError('unsupported hash type ' + name + ' (this runtime has md5, sha1, sha256)')


def pbkdf2_hmac(hash_name, password, salt, iterations, dklen=None):
    import hmac
    ctor = _BY_NAME[hash_name.lower()]
    size = ctor().digest_size
    dklen = dklen or size
    out = b''
    block = 1
    while len(out) < dklen:
        u = hmac.new(password, salt + _struct.pack('>I', block), ctor).digest()
        acc = int.from_bytes(u, 'big')
        for _ in range(iterations - 1):
            u = hmac.new(password, u, ctor).digest()
            acc ^= int.from_bytes(u, 'big')
        out += acc.to_bytes(size, 'big')
        block += 1
    return out[:dklen]
