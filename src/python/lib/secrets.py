"""CPython's secrets module on the host's CSPRNG (see _swasgi_urandom)."""
from _swasgi_urandom import urandom
import binascii

DEFAULT_ENTROPY = 32


def token_bytes(nbytes=None):
    return urandom(DEFAULT_ENTROPY if nbytes is None else nbytes)


def token_hex(nbytes=None):
    return binascii.hexlify(token_bytes(nbytes)).decode()


def token_urlsafe(nbytes=None):
    text = binascii.b2a_base64(token_bytes(nbytes)).decode().rstrip('\n').rstrip('=')
    return text.replace('+', '-').replace('/', '_')


def randbits(k):
    if k < 0:
        raise ValueError('number of bits must be non-negative')
    n = (k + 7) // 8
    return int.from_bytes(urandom(n), 'big') >> (n * 8 - k) if k else 0


def randbelow(exclusive_upper_bound):
    if exclusive_upper_bound <= 0:
        raise ValueError('Upper bound must be positive.')
    k = len(bin(exclusive_upper_bound - 1)) - 2  # MicroPython's int has no bit_length
    while True:  # rejection sampling: every value equally likely
        r = randbits(k)
        if r < exclusive_upper_bound:
            return r


def choice(seq):
    if not len(seq):
        raise IndexError('Cannot choose from an empty sequence')
    return seq[randbelow(len(seq))]


def compare_digest(a, b):
    """True when a == b, in time that depends on their length only."""
    if isinstance(a, str) and isinstance(b, str):
        if any(ord(c) > 127 for c in a + b):
            raise TypeError('comparing strings with non-ASCII characters is not supported')
        a, b = a.encode(), b.encode()
    elif not (isinstance(a, (bytes, bytearray, memoryview)) and isinstance(b, (bytes, bytearray, memoryview))):
        raise TypeError("unsupported operand types(s) or combination of types: '%s' and '%s'"
                        % (type(a).__name__, type(b).__name__))
    result = len(a) ^ len(b)
    if result:
        b = a
    for x, y in zip(a, b):
        result |= x ^ y
    return result == 0


class SystemRandom:
    """The random.Random methods apps use, drawing from the CSPRNG."""

    def random(self):
        return randbits(53) / 9007199254740992

    def getrandbits(self, k):
        return randbits(k)

    def randrange(self, start, stop=None, step=1):
        if stop is None:
            start, stop = 0, start
        n = (stop - start + step - (1 if step > 0 else -1)) // step
        if n <= 0:
            raise ValueError('empty range for randrange()')
        return start + step * randbelow(n)

    def randint(self, a, b):
        return self.randrange(a, b + 1)

    def choice(self, seq):
        return choice(seq)

    def shuffle(self, x):
        for i in range(len(x) - 1, 0, -1):
            j = randbelow(i + 1)
            x[i], x[j] = x[j], x[i]

    def sample(self, population, k):
        pool = list(population)
        if not 0 <= k <= len(pool):
            raise ValueError('Sample larger than population or is negative')
        for i in range(k):
            j = i + randbelow(len(pool) - i)
            pool[i], pool[j] = pool[j], pool[i]
        return pool[:k]
