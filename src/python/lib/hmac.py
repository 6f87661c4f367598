"""hmac: RFC 2104 over swasgi's hashlib (new, digest, compare_digest, HMAC)."""
import hashlib as _hashlib


def _ctor(digestmod):
    if digestmod is None:
        raise TypeError("Missing required parameter 'digestmod'.")
    if isinstance(digestmod, str):
        return lambda data=b'': _hashlib.new(digestmod, data)
    if hasattr(digestmod, 'new'):
        return digestmod.new
    return digestmod


class HMAC:
    def __init__(self, key, msg=None, digestmod=None):
        if isinstance(key, str):
            raise TypeError("key: expected bytes or bytearray, but got 'str'")
        self._ctor = ctor = _ctor(digestmod)
        inner = ctor()
        self.digest_size = inner.digest_size
        self.block_size = block = inner.block_size
        self.name = 'hmac-' + inner.name
        key = bytes(key)
        if len(key) > block:
            key = ctor(key).digest()
        key = key + b'\x00' * (block - len(key))
        self._inner = inner
        inner.update(bytes(b ^ 0x36 for b in key))
        self._outer = ctor(bytes(b ^ 0x5C for b in key))
        if msg is not None:
            self.update(msg)

    def update(self, msg):
        self._inner.update(msg)

    def copy(self):
        other = HMAC.__new__(HMAC)
        other.__dict__.update(self.__dict__)
        other._inner = self._inner.copy()
        other._outer = self._outer.copy()
        return other

    def digest(self):
        outer = self._outer.copy()
        outer.update(self._inner.digest())
        return outer.digest()

    def hexdigest(self):
        return self.digest().hex()


def new(key, msg=None, digestmod=None):
    return HMAC(key, msg, digestmod)


def digest(key, msg, digest):
    return HMAC(key, msg, digest).digest()


def compare_digest(a, b):
    """Constant time for equal lengths, as CPython's; str arguments must be ASCII."""
    if isinstance(a, str) != isinstance(b, str):
        raise TypeError('unsupported operand types(s) or combination of types')
    if isinstance(a, str):
        a, b = a.encode(), b.encode()
    result = len(a) ^ len(b)
    if result:
        b = a
    for x, y in zip(a, b):
        result |= x ^ y
    return result == 0
