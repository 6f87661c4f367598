"""functools for this runtime: partial, reduce, wraps, lru_cache/cache, cmp_to_key, total_ordering,
cached_property, singledispatch.

MicroPython functions take no attributes, so wraps/update_wrapper copy what they can (onto
objects that accept it) and otherwise return the wrapper as it is.
"""
WRAPPER_ASSIGNMENTS = ('__module__', '__name__', '__qualname__', '__doc__', '__dict__')
WRAPPER_UPDATES = ('__dict__',)
_MISSING = object()


class partial:
    def __init__(self, func, *args, **keywords):
        if not callable(func):
            raise TypeError('the first argument must be callable')
        if isinstance(func, partial):
            args = func.args + args
            keywords = dict(func.keywords, **keywords)
            func = func.func
        self.func = func
        self.args = args
        self.keywords = keywords

    def __call__(self, *args, **keywords):
        if self.keywords:
            keywords = dict(self.keywords, **keywords)
        return self.func(*self.args, *args, **keywords)

    def __repr__(self):
        parts = [repr(self.func)] + [repr(a) for a in self.args] + ['%s=%r' % kv for kv in self.keywords.items()]
        return 'functools.partial(' + ', '.join(parts) + ')'


def reduce(function, iterable, initial=_MISSING):
    it = iter(iterable)
    if initial is _MISSING:
        try:
            value = next(it)
        except StopIteration:
            raise TypeError('reduce() of empty iterable with no initial value')
    else:
        value = initial
    for element in it:
        value = function(value, element)
    return value


def update_wrapper(wrapper, wrapped, assigned=WRAPPER_ASSIGNMENTS, updated=WRAPPER_UPDATES):
    for attr in assigned:
        if attr != '__dict__':
            try:
                setattr(wrapper, attr, getattr(wrapped, attr))
            except (AttributeError, TypeError):
                pass
    try:
        wrapper.__wrapped__ = wrapped
    except (AttributeError, TypeError):
        pass
    return wrapper


def wraps(wrapped, assigned=WRAPPER_ASSIGNMENTS, updated=WRAPPER_UPDATES):
    return lambda wrapper: update_wrapper(wrapper, wrapped, assigned, updated)


class _CacheInfo(tuple):
    hits = property(lambda self: self[0])
    misses = property(lambda self: self[1])
    maxsize = property(lambda self: self[2])
    currsize = property(lambda self: self[3])

    def __repr__(self):
        return 'CacheInfo(hits=%r, misses=%r, maxsize=%r, currsize=%r)' % tuple(self)

    __str__ = __repr__


class _Cached:
    def __init__(self, func, maxsize, typed):
        self.__wrapped__ = func
        self.__name__ = getattr(func, '__name__', 'cached')
        self._maxsize = maxsize
        self._typed = typed
        self.cache_clear()

    def _key(self, args, kwargs):
        key = args
        if kwargs:
            key += (_MISSING,) + tuple(kwargs.items())
        if self._typed:
            key += tuple(type(v) for v in args) + tuple(type(v) for v in kwargs.values())
        return key

    def __call__(self, *args, **kwargs):
        key = self._key(args, kwargs)
        cache = self._cache
        if key in cache:
            self._hits += 1
            value = cache.pop(key)
            cache[key] = value  # most recently used last
            return value
        self._misses += 1
        value = self.__wrapped__(*args, **kwargs)
        if self._maxsize != 0:
            cache[key] = value
            if self._maxsize is not None and len(cache) > self._maxsize:
                cache.pop(next(iter(cache)))
        return value

    def __get__(self, obj, objtype=None):
        if obj is None:
            return self
        return partial(self, obj)

    def cache_info(self):
        return _CacheInfo((self._hits, self._misses, self._maxsize, len(self._cache)))

    def cache_clear(self):
        from ucollections import OrderedDict
        self._cache = OrderedDict()
        self._hits = self._misses = 0


def lru_cache(maxsize=128, typed=False):
    if callable(maxsize) and not isinstance(maxsize, int):
        return _Cached(maxsize, 128, False)
    if maxsize is not None and maxsize < 0:
        maxsize = 0
    return lambda func: _Cached(func, maxsize, typed)


def cache(func):
    return _Cached(func, None, False)


def cmp_to_key(mycmp):
    class K:
        __slots__ = ['obj']

        def __init__(self, obj):
            self.obj = obj

        def __lt__(self, other):
            return mycmp(self.obj, other.obj) < 0

        def __gt__(self, other):
            return mycmp(self.obj, other.obj) > 0

        def __eq__(self, other):
            return mycmp(self.obj, other.obj) == 0

        def __le__(self, other):
            return mycmp(self.obj, other.obj) <= 0

        def __ge__(self, other):
            return mycmp(self.obj, other.obj) >= 0

    return K


def total_ordering(cls):
    d = cls.__dict__
    if '__lt__' in d:
        lt = d['__lt__']
        cls.__gt__ = lambda a, b: not lt(a, b) and a != b
        cls.__le__ = lambda a, b: lt(a, b) or a == b
        cls.__ge__ = lambda a, b: not lt(a, b)
    elif '__le__' in d:
        le = d['__le__']
        cls.__lt__ = lambda a, b: le(a, b) and a != b
        cls.__gt__ = lambda a, b: not le(a, b)
        cls.__ge__ = lambda a, b: not le(a, b) or a == b
    elif '__gt__' in d:
        gt = d['__gt__']
        cls.__lt__ = lambda a, b: not gt(a, b) and a != b
        cls.__ge__ = lambda a, b: gt(a, b) or a == b
        cls.__le__ = lambda a, b: not gt(a, b)
    elif '__ge__' in d:
        ge = d['__ge__']
        cls.__gt__ = lambda a, b: ge(a, b) and a != b
        cls.__lt__ = lambda a, b: not ge(a, b)
        cls.__le__ = lambda a, b: not ge(a, b) or a == b
    else:
        raise ValueError('must define at least one ordering operation: < > <= >=')
    return cls


class cached_property:
    def __init__(self, func):
        self.func = func
        self.attrname = getattr(func, '__name__', None)

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        value = self.func(instance)
        instance.__dict__[self.attrname] = value
        return value


def singledispatch(func):
    registry = {object: func}

    def dispatch(cls):
        for klass in getattr(cls, '__mro__', (cls,)) + (object,):
            if klass in registry:
                return registry[klass]
        return func

    def register(cls, f=None):
        if f is None:
            return lambda f: register(cls, f)
        registry[cls] = f
        return f

    class Dispatcher:
        def __call__(self, *args, **kw):
            return dispatch(type(args[0]))(*args, **kw)

    d = Dispatcher()
    d.register = register
    d.dispatch = dispatch
    d.registry = registry
    return d
