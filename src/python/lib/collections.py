"""collections for this runtime: the built-in OrderedDict/namedtuple extended, and deque,
defaultdict, Counter, ChainMap. defaultdict and Counter keep insertion order (they extend the
built-in OrderedDict: the port's dict is unordered). `dict(dd)` copies their items (the
runtime's dict() reads a dict subclass's own dict: wasm/dictSubclassUpdate.mjs)."""
from ucollections import OrderedDict as _OrderedDict, namedtuple as _namedtuple


# move_to_end is added to the built-in OrderedDict at boot (_swasgi_str.patch): OrderedDict
# stays the built-in type, not a subclass of it.
OrderedDict = _OrderedDict


class defaultdict(_OrderedDict):
    def __init__(self, default_factory=None, *args, **kwargs):
        if default_factory is not None and not callable(default_factory):
            raise TypeError('first argument must be callable or None')
        super().__init__(*args, **kwargs)
        self.default_factory = default_factory

    def __getitem__(self, key):
        try:
            return super().__getitem__(key)
        except KeyError:
            return self.__missing__(key)

    def __missing__(self, key):
        if self.default_factory is None:
            raise KeyError(key)
        value = self[key] = self.default_factory()
        return value

    def copy(self):
        return defaultdict(self.default_factory, self)


class Counter(_OrderedDict):
    def __init__(self, iterable=None, **kwargs):
        super().__init__()
        self.update(iterable, **kwargs)

    def __getitem__(self, key):
        return self.get(key, 0)

    def __missing__(self, key):
        return 0

    def update(self, iterable=None, **kwargs):
        if iterable is not None:
            if isinstance(iterable, dict):
                for k, v in iterable.items():
                    self[k] = self.get(k, 0) + v
            else:
                for k in iterable:
                    self[k] = self.get(k, 0) + 1
        if kwargs:
            self.update(kwargs)

    def subtract(self, iterable=None, **kwargs):
        if iterable is not None:
            pairs = iterable.items() if isinstance(iterable, dict) else ((k, 1) for k in iterable)
            for k, v in pairs:
                self[k] = self.get(k, 0) - v
        if kwargs:
            self.subtract(kwargs)

    def most_common(self, n=None):
        # Equal counts keep first-seen order, as in CPython (the port's sort is not stable).
        items = list(self.items())
        order = sorted(range(len(items)), key=lambda i: (-items[i][1], i))
        items = [items[i] for i in order]
        return items if n is None else items[:n]

    def elements(self):
        for k, v in self.items():
            for _ in range(v):
                yield k

    def total(self):
        return sum(self.values())

    def copy(self):
        return Counter(self)

    def _merge(self, other, fn, keep_all):
        if not isinstance(other, Counter):
            return NotImplemented
        out = Counter()
        for k in list(self) + [k for k in other if k not in self]:
            v = fn(self.get(k, 0), other.get(k, 0))
            if v > 0:
                out[k] = v
        return out

    def __add__(self, other):
        return self._merge(other, lambda a, b: a + b, True)

    def __sub__(self, other):
        return self._merge(other, lambda a, b: a - b, True)

    def __or__(self, other):
        return self._merge(other, max, True)

    def __and__(self, other):
        return self._merge(other, min, True)


class deque:
    """A double-ended queue: a list with a moving head, so popleft is O(1) amortized."""

    def __init__(self, iterable=(), maxlen=None):
        if maxlen is not None and maxlen < 0:
            raise ValueError('maxlen must be non-negative')
        self._items = []
        self._head = 0
        self.maxlen = maxlen
        self.extend(iterable)

    def _live(self):
        if self._head:
            del self._items[:self._head]
            self._head = 0
        return self._items

    def append(self, x):
        self._items.append(x)
        if self.maxlen is not None and len(self) > self.maxlen:
            self.popleft()

    def appendleft(self, x):
        if self._head:
            self._head -= 1
            self._items[self._head] = x
        else:
            self._items.insert(0, x)
        if self.maxlen is not None and len(self) > self.maxlen:
            self.pop()

    def pop(self):
        if not len(self):
            raise IndexError('pop from an empty deque')
        return self._items.pop()

    def popleft(self):
        if not len(self):
            raise IndexError('pop from an empty deque')
        items = self._items
        x = items[self._head]
        items[self._head] = None
        self._head += 1
        if self._head > 16 and self._head * 2 > len(items):
            self._live()
        return x

    def extend(self, iterable):
        for x in list(iterable) if iterable is self else iterable:
            self.append(x)

    def extendleft(self, iterable):
        for x in iterable:
            self.appendleft(x)

    def clear(self):
        self._items = []
        self._head = 0

    def rotate(self, n=1):
        items = self._live()
        if items:
            n %= len(items)
            items[:] = items[-n:] + items[:-n]

    def remove(self, value):
        self._live().remove(value)

    def count(self, value):
        return self._live().count(value)

    def index(self, value, *args):
        return self._live().index(value, *args)

    def reverse(self):
        self._live().reverse()

    def copy(self):
        return deque(self, self.maxlen)

    def __len__(self):
        return len(self._items) - self._head

    def __bool__(self):
        return len(self) > 0

    def __iter__(self):
        return iter(self._live())

    def __reversed__(self):
        return reversed(self._live())

    def __contains__(self, value):
        return value in self._live()

    def __getitem__(self, i):
        return self._live()[i]

    def __setitem__(self, i, value):
        self._live()[i] = value

    def __delitem__(self, i):
        del self._live()[i]

    def __eq__(self, other):
        return isinstance(other, deque) and list(self) == list(other)

    def __repr__(self):
        if self.maxlen is None:
            return 'deque(%r)' % (list(self),)
        return 'deque(%r, maxlen=%d)' % (list(self), self.maxlen)


def namedtuple(typename, field_names, *, rename=False, defaults=None, module=None):
    if isinstance(field_names, str):
        field_names = field_names.replace(',', ' ').split()
    fields = tuple(field_names)
    base = _namedtuple(typename, fields)

    def _asdict(self):
        return _OrderedDict(zip(fields, self))  # ordered, as CPython's dict is

    def _replace(self, **kwargs):
        values = [kwargs.pop(f, v) for f, v in zip(fields, self)]
        if kwargs:
            raise ValueError('Got unexpected field names: %r' % list(kwargs))
        return cls(*values)

    def _make(klass, iterable):
        return klass(*iterable)

    body = {'_fields': fields, '_field_defaults': {},
            '_asdict': _asdict, '_replace': _replace, '_make': classmethod(_make), '__slots__': ()}
    if defaults:
        # A subclass of the built-in namedtuple cannot take over construction (__new__).
        raise TypeError('namedtuple(defaults=...) is not available in this runtime: pass every field, '
                        'or use a dataclass with defaults')
    cls = type(typename, (base,), body)
    return cls


class ChainMap:
    def __init__(self, *maps):
        self.maps = list(maps) or [{}]

    def __getitem__(self, key):
        for m in self.maps:
            if key in m:
                return m[key]
        raise KeyError(key)

    def get(self, key, default=None):
        return self[key] if key in self else default

    def __contains__(self, key):
        return any(key in m for m in self.maps)

    def __setitem__(self, key, value):
        self.maps[0][key] = value

    def __delitem__(self, key):
        del self.maps[0][key]

    def __iter__(self):
        seen = {}
        for m in reversed(self.maps):
            for k in m:
                seen[k] = None
        return iter(seen)

    def __len__(self):
        return len(set().union(*self.maps))

    def keys(self):
        return list(self)

    def items(self):
        return [(k, self[k]) for k in self]

    def values(self):
        return [self[k] for k in self]

    def new_child(self, m=None):
        return ChainMap(m if m is not None else {}, *self.maps)

    @property
    def parents(self):
        return ChainMap(*self.maps[1:])
