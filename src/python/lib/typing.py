"""Annotations-only typing: every common name imports and subscripts, nothing is checked.

MicroPython's compiler never evaluates annotations (of functions, variables or classes), so
these objects only have to exist, subscript where code builds an alias at run time
(`UserId = Optional[int]`, `cast(List[int], x)`) and, for Generic and Protocol, serve as bases.
"""
TYPE_CHECKING = False


class _Form:
    """A typing name: subscripting answers another form, calling it (`List()`) is an error."""

    def __init__(self, name, args=()):
        self._name = name
        self.__args__ = args

    def __getitem__(self, args):
        return _Form(self._name, args if isinstance(args, tuple) else (args,))

    def __or__(self, other):
        return _Form('Union', (self, other))

    __ror__ = __or__

    def __call__(self, *args, **kwargs):
        raise TypeError('Type %s cannot be instantiated' % self._name)

    def __repr__(self):
        if not self.__args__:
            return 'typing.' + self._name
        return 'typing.%s[%s]' % (self._name, ', '.join(_name(a) for a in self.__args__))


def _name(obj):
    if isinstance(obj, (_Form, TypeVar)):
        return repr(obj)
    if obj is None or obj is ...:
        return 'NoneType' if obj is None else '...'
    if isinstance(obj, list):
        return '[%s]' % ', '.join(_name(a) for a in obj)
    return getattr(obj, '__name__', repr(obj))


for _n in ('Any', 'Optional', 'Union', 'List', 'Dict', 'Tuple', 'Set', 'FrozenSet', 'Callable',
           'Iterable', 'Iterator', 'Generator', 'AsyncIterator', 'AsyncIterable', 'AsyncGenerator',
           'Awaitable', 'Coroutine', 'Mapping', 'MutableMapping', 'Sequence', 'MutableSequence',
           'AbstractSet', 'MutableSet', 'Collection', 'Container', 'Hashable', 'Sized', 'Reversible',
           'Type', 'Literal', 'Final', 'ClassVar', 'Annotated', 'Self', 'NoReturn', 'Never',
           'LiteralString', 'TypeAlias', 'TypeGuard', 'Required', 'NotRequired', 'Concatenate',
           'Unpack', 'DefaultDict', 'OrderedDict', 'Counter', 'ChainMap', 'Deque', 'Pattern',
           'Match', 'IO', 'TextIO', 'BinaryIO', 'ContextManager', 'AsyncContextManager',
           'SupportsInt', 'SupportsFloat', 'SupportsIndex', 'SupportsAbs', 'SupportsBytes',
           'SupportsRound', 'ByteString', 'KeysView', 'ValuesView', 'ItemsView', 'MappingView'):
    globals()[_n] = _Form(_n)
Text = str


class TypeVar:
    def __init__(self, name, *constraints, bound=None, covariant=False, contravariant=False):
        self.__name__ = name
        self.__constraints__ = constraints
        self.__bound__ = bound

    def __repr__(self):
        return '~' + self.__name__

    def __or__(self, other):
        return _Form('Union', (self, other))


class ParamSpec(TypeVar):
    args = kwargs = None


class TypeVarTuple(TypeVar):
    pass


AnyStr = TypeVar('AnyStr', bytes, str)


class Protocol:
    pass


class _Generic:
    pass


class _GenericForm(_Form):
    """`Generic[T]` answers a plain base class, so `class Box(Generic[T])` works."""

    def __getitem__(self, params):
        return _Generic


Generic = _GenericForm('Generic')


def cast(typ, value):
    return value


def overload(func):
    def unavailable(*args, **kwargs):
        raise NotImplementedError('You should not call an overloaded function. A series of @overload-decorated '
                                  'functions outside a stub module should always be followed by an implementation '
                                  'that is not @overload-ed.')
    return unavailable


def final(obj):
    return obj


def runtime_checkable(cls):
    return cls


def no_type_check(obj):
    return obj


def get_type_hints(obj, globalns=None, localns=None, include_extras=False):
    return {}  # MicroPython keeps no annotations


def get_origin(tp):
    return None


def get_args(tp):
    return getattr(tp, '__args__', ())


def assert_never(arg):
    raise AssertionError('Expected code to be unreachable, but got: %r' % (arg,))


def reveal_type(obj):
    return obj


def NewType(name, tp):
    def new_type(x):
        return x
    new_type.__name__ = name
    return new_type


class _NamedTupleType:
    """`NamedTuple('P', [('x', int)])` and `class P(NamedTuple): x: int = 0`.

    MicroPython calls the type of a class statement's first base with (name, bases, body):
    NamedTuple is an instance, so the class statement lands in __new__ here, which reads the
    fields from the source (annotations are not kept) and builds a collections.namedtuple.
    """

    def __call__(self, typename, fields=None, **kwargs):
        from collections import namedtuple
        return namedtuple(typename, [f[0] for f in (fields or kwargs.items())])

    def __new__(cls, typename, bases, body):
        from collections import namedtuple
        import _swasgi_classbody
        shim = type(typename, (), body)
        declared = _swasgi_classbody.declared(shim)
        if declared is None:
            raise TypeError('NamedTuple %s: its source file cannot be read; define it in a .py file' % typename)
        names = [n for n, ann, _ in declared if ann and not ann.startswith('ClassVar')]
        defaults = {n: body[n] for n in names if n in body}
        extras = {k: v for k, v in body.items() if k not in names}
        made = type(typename, (namedtuple(typename, names),), extras)
        made._fields, made._field_defaults = tuple(names), defaults
        if defaults:
            def __new__(klass, *args, **kw):
                values = list(args) + [kw.pop(n) if n in kw else defaults[n] if n in defaults else _missing(typename, n)
                                       for n in names[len(args):]]
                if kw:
                    raise TypeError("%s.__new__() got an unexpected keyword argument '%s'" % (typename, list(kw)[0]))
                del made.__new__
                try:
                    return made(*values)
                finally:
                    made.__new__ = staticmethod(__new__)
            made.__new__ = staticmethod(__new__)
        return made


def _missing(typename, name):
    raise TypeError("%s.__new__() missing 1 required positional argument: '%s'" % (typename, name))


NamedTuple = object.__new__(_NamedTupleType)


class TypedDict(dict):
    """`class Movie(TypedDict)` is a dict; `TypedDict('Movie', {...})` answers dict."""

    def __new__(cls, *args, **kwargs):
        if args and isinstance(args[0], str):
            return dict
        return dict(*args, **kwargs)
