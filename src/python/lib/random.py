"""random: the runtime's random plus shuffle, sample, choices, gauss, triangular.

The runtime's generator seeds itself from the host when its module is first imported. That
happens at the first draw or seed here, not at this module's import: an app that imports random
at its top still has a pure import, which later starts restore from memory instead of running
it (src/runner/importEffects.ts), and they must not share the capturing start's seed.
"""
import math as _math

_gen = None


def _load():
    """Imports the runtime's generator (seeding it) and puts its functions in this module's place."""
    global _gen, random, randrange, getrandbits, randint, choice, uniform, seed
    import urandom
    _gen = urandom
    random, randrange, getrandbits = urandom.random, urandom.randrange, urandom.getrandbits
    randint, choice, uniform, seed = urandom.randint, urandom.choice, urandom.uniform, urandom.seed
    return urandom


# Until the first draw; names imported from here before it (`from random import random`) stay these.
def random():
    return (_gen or _load()).random()


def randrange(*args):
    return (_gen or _load()).randrange(*args)


def getrandbits(k):
    return (_gen or _load()).getrandbits(k)


def randint(a, b):
    return (_gen or _load()).randint(a, b)


def choice(seq):
    return (_gen or _load()).choice(seq)


def uniform(a, b):
    return (_gen or _load()).uniform(a, b)


def seed(a=None):
    (_gen or _load()).seed(a)


def shuffle(x):
    for i in range(len(x) - 1, 0, -1):
        j = randrange(i + 1)
        x[i], x[j] = x[j], x[i]


def sample(population, k, *, counts=None):
    if isinstance(population, (set, frozenset, dict)):
        raise TypeError('Population must be a sequence.  For dicts or sets, use sorted(d).')
    pool = list(population)
    if counts is not None:
        pool = [v for v, c in zip(pool, counts) for _ in range(c)]
    n = len(pool)
    if not 0 <= k <= n:
        raise ValueError('Sample larger than population or is negative')
    for i in range(k):
        j = randrange(i, n)
        pool[i], pool[j] = pool[j], pool[i]
    return pool[:k]


def choices(population, weights=None, *, cum_weights=None, k=1):
    n = len(population)
    if cum_weights is None:
        if weights is None:
            return [population[int(random() * n)] for _ in range(k)]
        cum_weights = []
        total = 0
        for w in weights:
            total += w
            cum_weights.append(total)
    elif weights is not None:
        raise TypeError('Cannot specify both weights and cumulative weights')
    if len(cum_weights) != n:
        raise ValueError('The number of weights does not match the population')
    total = cum_weights[-1] + 0.0
    if total <= 0.0:
        raise ValueError('Total of weights must be greater than zero')
    out = []
    for _ in range(k):
        r = random() * total
        lo, hi = 0, n - 1
        while lo < hi:
            mid = (lo + hi) // 2
            if r < cum_weights[mid]:
                hi = mid
            else:
                lo = mid + 1
        out.append(population[lo])
    return out


def gauss(mu=0.0, sigma=1.0):
    u = 1.0 - random()
    return mu + sigma * _math.sqrt(-2.0 * _math.log(u)) * _math.cos(2.0 * _math.pi * random())


normalvariate = gauss


def triangular(low=0.0, high=1.0, mode=None):
    u = random()
    c = 0.5 if mode is None else (mode - low) / (high - low) if high != low else 0.5
    if u > c:
        u, c, low, high = 1.0 - u, 1.0 - c, high, low
    return low + (high - low) * _math.sqrt(u * c)


def expovariate(lambd=1.0):
    return -_math.log(1.0 - random()) / lambd


def randbytes(n):
    return bytes(getrandbits(8) for _ in range(n))


class Random:
    """Module-level functions as methods; seeding an instance seeds the one generator there is."""

    def __init__(self, x=None):
        if x is not None:
            seed(x)

    seed = staticmethod(seed)
    random = staticmethod(random)
    randint = staticmethod(randint)
    randrange = staticmethod(randrange)
    choice = staticmethod(choice)
    choices = staticmethod(choices)
    shuffle = staticmethod(shuffle)
    sample = staticmethod(sample)
    uniform = staticmethod(uniform)
    getrandbits = staticmethod(getrandbits)
    gauss = staticmethod(gauss)


