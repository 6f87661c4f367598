"""CPython's uuid: UUID, uuid4 from the host's CSPRNG, uuid1, and uuid3/uuid5 (hashlib's md5/sha1)."""
from _swasgi_urandom import urandom

_int, _bytes = int, bytes
RESERVED_NCS, RFC_4122, RESERVED_MICROSOFT, RESERVED_FUTURE = (
    'reserved for NCS compatibility', 'specified in RFC 4122', 'reserved for Microsoft compatibility',
    'reserved for future definition')


class SafeUUID:
    safe, unsafe, unknown = 0, -1, None


class UUID:
    __slots__ = ('int', 'is_safe')

    def __init__(self, hex=None, bytes=None, bytes_le=None, fields=None, int=None, version=None, *,
                 is_safe=SafeUUID.unknown):
        if [hex, bytes, bytes_le, fields, int].count(None) != 4:
            raise TypeError('one of the hex, bytes, bytes_le, fields, or int arguments must be given')
        if hex is not None:
            hex = hex.replace('urn:', '').replace('uuid:', '').strip('{}').replace('-', '')
            if len(hex) != 32:
                raise ValueError('badly formed hexadecimal UUID string')
            try:
                int = _int(hex, 16)
            except ValueError:
                raise ValueError('badly formed hexadecimal UUID string')
        if bytes_le is not None:
            if len(bytes_le) != 16:
                raise ValueError('bytes_le is not a 16-char string')
            bytes = (_bytes(reversed(bytes_le[0:4])) + _bytes(reversed(bytes_le[4:6]))
                     + _bytes(reversed(bytes_le[6:8])) + bytes_le[8:])
        if bytes is not None:
            if len(bytes) != 16:
                raise ValueError('bytes is not a 16-char string')
            int = _int.from_bytes(bytes, 'big')
        if fields is not None:
            if len(fields) != 6:
                raise ValueError('fields is not a 6-tuple')
            low, mid, hi_version, seq_hi, seq_low, node = fields
            int = ((low << 96) | (mid << 80) | (hi_version << 64) | (((seq_hi << 8) | seq_low) << 48)
                   | node)
        if not 0 <= int < 1 << 128:
            raise ValueError('int is out of range (need a 128-bit value)')
        if version is not None:
            if not 1 <= version <= 5:
                raise ValueError('illegal version number')
            int &= ~(0xc000 << 48)
            int |= 0x8000 << 48
            int &= ~(0xf000 << 64)
            int |= version << 76
        object.__setattr__(self, 'int', int)
        object.__setattr__(self, 'is_safe', is_safe)

    def __setattr__(self, name, value):
        raise TypeError('UUID objects are immutable')

    def __eq__(self, other):
        return isinstance(other, UUID) and self.int == other.int

    def __lt__(self, other):
        if not isinstance(other, UUID):
            return NotImplemented
        return self.int < other.int

    def __le__(self, other):
        return self == other or self < other

    def __gt__(self, other):
        if not isinstance(other, UUID):
            return NotImplemented
        return self.int > other.int

    def __ge__(self, other):
        return self == other or self > other

    def __hash__(self):
        return hash(self.int)

    def __int__(self):
        return self.int

    def __repr__(self):
        return "UUID('%s')" % self

    def __str__(self):
        h = self.hex
        return '%s-%s-%s-%s-%s' % (h[:8], h[8:12], h[12:16], h[16:20], h[20:])

    @property
    def hex(self):
        return '%032x' % self.int

    @property
    def bytes(self):
        return self.int.to_bytes(16, 'big')

    @property
    def bytes_le(self):
        b = self.bytes
        return _bytes(reversed(b[0:4])) + _bytes(reversed(b[4:6])) + _bytes(reversed(b[6:8])) + b[8:]

    @property
    def urn(self):
        return 'urn:uuid:' + str(self)

    @property
    def fields(self):
        return (self.time_low, self.time_mid, self.time_hi_version, self.clock_seq_hi_variant,
                self.clock_seq_low, self.node)

    time_low = property(lambda self: self.int >> 96)
    time_mid = property(lambda self: (self.int >> 80) & 0xffff)
    time_hi_version = property(lambda self: (self.int >> 64) & 0xffff)
    clock_seq_hi_variant = property(lambda self: (self.int >> 56) & 0xff)
    clock_seq_low = property(lambda self: (self.int >> 48) & 0xff)
    node = property(lambda self: self.int & 0xffffffffffff)
    time = property(lambda self: ((self.time_hi_version & 0x0fff) << 48) | (self.time_mid << 32) | self.time_low)
    clock_seq = property(lambda self: ((self.clock_seq_hi_variant & 0x3f) << 8) | self.clock_seq_low)

    @property
    def variant(self):
        if not self.int & (0x8000 << 48):
            return RESERVED_NCS
        if not self.int & (0x4000 << 48):
            return RFC_4122
        if not self.int & (0x2000 << 48):
            return RESERVED_MICROSOFT
        return RESERVED_FUTURE

    @property
    def version(self):
        if self.variant == RFC_4122:
            return (self.int >> 76) & 0xf
        return None


def uuid4():
    made = object.__new__(UUID)  # past __init__'s checks: 16 random bytes need none
    n = (_int.from_bytes(urandom(16), 'big') & ~(0xc000 << 48) & ~(0xf000 << 64)) | (0x8000 << 48) | (4 << 76)
    object.__setattr__(made, 'int', n)
    object.__setattr__(made, 'is_safe', SafeUUID.unknown)
    return made


_last_timestamp = None


def uuid1(node=None, clock_seq=None):
    """A time-based UUID; without `node`, a random multicast node (no MAC in the sandbox)."""
    global _last_timestamp
    import time
    timestamp = time.time_ns() // 100 + 0x01b21dd213814000
    if _last_timestamp is not None and timestamp <= _last_timestamp:
        timestamp = _last_timestamp + 1
    _last_timestamp = timestamp
    if clock_seq is None:
        clock_seq = _int.from_bytes(urandom(2), 'big') & 0x3fff
    if node is None:
        node = _int.from_bytes(urandom(6), 'big') | (1 << 40)
    return UUID(fields=(timestamp & 0xffffffff, (timestamp >> 32) & 0xffff, (timestamp >> 48) & 0x0fff,
                        (clock_seq >> 8) & 0x3f, clock_seq & 0xff, node), version=1)


def _hashed(algorithm, namespace, name, version):
    import hashlib
    if not hasattr(hashlib, algorithm):
        raise NotImplementedError('uuid%d needs hashlib.%s, which this runtime lacks' % (version, algorithm))
    if isinstance(name, str):
        name = name.encode()
    digest = getattr(hashlib, algorithm)(namespace.bytes + name).digest()
    return UUID(bytes=digest[:16], version=version)


def uuid3(namespace, name):
    return _hashed('md5', namespace, name, 3)


def uuid5(namespace, name):
    return _hashed('sha1', namespace, name, 5)


NAMESPACE_DNS = UUID('6ba7b810-9dad-11d1-80b4-00c04fd430c8')
NAMESPACE_URL = UUID('6ba7b811-9dad-11d1-80b4-00c04fd430c8')
NAMESPACE_OID = UUID('6ba7b812-9dad-11d1-80b4-00c04fd430c8')
NAMESPACE_X500 = UUID('6ba7b814-9dad-11d1-80b4-00c04fd430c8')
