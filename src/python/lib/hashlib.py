"""hashlib: sha256 from the runtime (C), md5 and sha1 in Python, CPython's hash-object API.

The runtime's hash objects finish at digest(); these keep the data so digest(), hexdigest(),
copy() and more update() calls work any time, as in CPython. md5/sha1 are pure Python: fine
for tokens and ETags, slow (about 1 MB/s) for big data.
"""
from uhashlib import sha256 as _sha256
import struct as _struct

algorithms_guaranteed = algorithms_available = {'md5', 'sha1', 'sha256'}


def _rol(x, n):
    return ((x << n) | (x >> (32 - n))) & 0xffffffff


def _pad(data, big):
    n = len(data)
    tail = b'\x80' + b'\x00' * ((55 - n) % 64) + _struct.pack('>Q' if big else '<Q', n * 8)
    return data + tail


def _sha1(data):
    h = [0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0]
    data = _pad(data, True)
    for off in range(0, len(data), 64):
        w = list(_struct.unpack('>16I', data[off:off + 64]))
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
        h = [(x + y) & 0xffffffff for x, y in zip(h, (a, b, c, d, e))]
    return _struct.pack('>5I', *h)


_S = (7, 12, 17, 22) * 4 + (5, 9, 14, 20) * 4 + (4, 11, 16, 23) * 4 + (6, 10, 15, 21) * 4
_K = None


def _md5(data):
    global _K
    if _K is None:
        import math
        _K = [int(abs(math.sin(i + 1)) * 4294967296) & 0xffffffff for i in range(64)]
    h = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476]
    data = _pad(data, False)
    for off in range(0, len(data), 64):
        m = _struct.unpack('<16I', data[off:off + 64])
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
        h = [(x + y) & 0xffffffff for x, y in zip(h, (a, b, c, d))]
    return _struct.pack('<4I', *h)


def _c_sha256(data):
    return _sha256(data).digest()


class _Hash:
    def __init__(self, name, fn, size, block, data=b''):
        self.name = name
        self._fn = fn
        self.digest_size = size
        self.block_size = block
        self._data = bytearray(data)

    def update(self, data):
        if isinstance(data, str):
            raise TypeError('Strings must be encoded before hashing')
        self._data.extend(data)

    def digest(self):
        return self._fn(bytes(self._data))

    def hexdigest(self):
        return self.digest().hex()

    def copy(self):
        return _Hash(self.name, self._fn, self.digest_size, self.block_size, self._data)


def md5(data=b'', *, usedforsecurity=True):
    h = _Hash('md5', _md5, 16, 64)
    h.update(data)
    return h


def sha1(data=b'', *, usedforsecurity=True):
    h = _Hash('sha1', _sha1, 20, 64)
    h.update(data)
    return h


def sha256(data=b'', *, usedforsecurity=True):
    h = _Hash('sha256', _c_sha256, 32, 64)
    h.update(data)
    return h


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
