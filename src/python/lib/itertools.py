"""itertools for this runtime, as generators (CPython's results, in the same order)."""


def count(start=0, step=1):
    n = start
    while True:
        yield n
        n += step


def cycle(iterable):
    saved = []
    for element in iterable:
        yield element
        saved.append(element)
    while saved:
        for element in saved:
            yield element


def repeat(obj, times=None):
    if times is None:
        while True:
            yield obj
    for _ in range(times):
        yield obj


def accumulate(iterable, func=None, *, initial=None):
    it = iter(iterable)
    total = initial
    if initial is None:
        try:
            total = next(it)
        except StopIteration:
            return
    yield total
    for element in it:
        total = func(total, element) if func else total + element
        yield total


class chain:
    def __init__(self, *iterables):
        self._gen = (x for it in iterables for x in it)

    def __iter__(self):
        return self

    def __next__(self):
        return next(self._gen)

    @classmethod
    def from_iterable(cls, iterables):
        c = cls()
        c._gen = (x for it in iterables for x in it)
        return c


def compress(data, selectors):
    return (d for d, s in zip(data, selectors) if s)


def dropwhile(predicate, iterable):
    it = iter(iterable)
    for x in it:
        if not predicate(x):
            yield x
            break
    for x in it:
        yield x


def takewhile(predicate, iterable):
    for x in iterable:
        if not predicate(x):
            break
        yield x


def filterfalse(predicate, iterable):
    if predicate is None:
        predicate = bool
    return (x for x in iterable if not predicate(x))


def starmap(function, iterable):
    for args in iterable:
        yield function(*args)


def islice(iterable, *args):
    if len(args) == 1:
        start, stop, step = 0, args[0], 1
    else:
        start, stop, step = args[0] or 0, args[1], (args[2] if len(args) > 2 else None) or 1
    if start < 0 or (stop is not None and stop < 0) or step <= 0:
        raise ValueError('Indices for islice() must be None or an integer: 0 <= x <= sys.maxsize.')
    it = iter(iterable)
    i = 0
    nxt = start
    for element in it:
        if stop is not None and i >= stop:
            return
        if i == nxt:
            yield element
            nxt += step
        i += 1


def groupby(iterable, key=None):
    it = iter(iterable)
    keyf = key or (lambda x: x)
    try:
        cur = next(it)
    except StopIteration:
        return
    cur_key = keyf(cur)
    done = False
    while not done:
        target = cur_key

        def group():
            nonlocal cur, cur_key, done
            while True:
                yield cur
                try:
                    cur = next(it)
                except StopIteration:
                    done = True
                    return
                cur_key = keyf(cur)
                if cur_key != target:
                    return

        g = group()
        yield target, g
        for _ in g:
            pass


def tee(iterable, n=2):
    it = iter(iterable)
    buffers = [[] for _ in range(n)]

    def gen(mine):
        while True:
            if not mine:
                try:
                    value = next(it)
                except StopIteration:
                    return
                for b in buffers:
                    b.append(value)
            yield mine.pop(0)

    return tuple(gen(b) for b in buffers)


def zip_longest(*iterables, fillvalue=None):
    its = [iter(it) for it in iterables]
    active = len(its)
    if not active:
        return
    while True:
        values = []
        for i, it in enumerate(its):
            try:
                values.append(next(it))
            except StopIteration:
                active -= 1
                if not active:
                    return
                its[i] = repeat(fillvalue)
                values.append(fillvalue)
        yield tuple(values)


def product(*iterables, repeat=1):
    pools = [tuple(p) for p in iterables] * repeat
    result = [()]
    for pool in pools:
        result = [x + (y,) for x in result for y in pool]
    for prod in result:
        yield prod


def permutations(iterable, r=None):
    pool = tuple(iterable)
    r = len(pool) if r is None else r

    def extend(prefix, rest):
        if len(prefix) == r:
            yield tuple(pool[i] for i in prefix)
            return
        for k in range(len(rest)):
            yield from extend(prefix + [rest[k]], rest[:k] + rest[k + 1:])

    if r <= len(pool):
        yield from extend([], list(range(len(pool))))


def _choose(pool, r, again):
    n = len(pool)

    def extend(start, chosen):
        if len(chosen) == r:
            yield tuple(chosen)
            return
        for i in range(start, n if again else n - (r - len(chosen)) + 1):
            yield from extend(i if again else i + 1, chosen + [pool[i]])

    return extend(0, [])


def combinations(iterable, r):
    pool = tuple(iterable)
    return _choose(pool, r, False) if r <= len(pool) else iter(())


def combinations_with_replacement(iterable, r):
    pool = tuple(iterable)
    return _choose(pool, r, True) if pool or not r else iter(())


def pairwise(iterable):
    it = iter(iterable)
    try:
        a = next(it)
    except StopIteration:
        return
    for b in it:
        yield a, b
        a = b
