"""CPython's dataclasses for MicroPython, which keeps no class annotations.

The fields are read from the class's source file (_swasgi_classbody): a dataclass must be
defined in a .py file of the app or library, not in exec'd code.
"""
import _swasgi_classbody


class _MissingType:
    def __repr__(self):
        return 'MISSING'


MISSING = _MissingType()
KW_ONLY = type('KW_ONLY', (), {})


class FrozenInstanceError(AttributeError):
    pass


class InitVar:
    """`x: InitVar[int]`: an __init__ parameter handed to __post_init__, not a field."""

    def __init__(self, type):
        self.type = type

    def __class_getitem__(cls, type):  # CPython's spelling; annotations are never evaluated here
        return InitVar(type)


class Field:
    def __init__(self, default, default_factory, init, repr, hash, compare, metadata, kw_only):
        if default is not MISSING and default_factory is not MISSING:
            raise ValueError('cannot specify both default and default_factory')
        self.name = self.type = None
        self.default = default
        self.default_factory = default_factory
        self.init = init
        self.repr = repr
        self.hash = hash
        self.compare = compare
        self.metadata = metadata or {}
        self.kw_only = kw_only
        self._initvar = False

    def __repr__(self):
        return 'Field(name=%r,type=%r,default=%r,default_factory=%r,init=%r,repr=%r,hash=%r,compare=%r)' % (
            self.name, self.type, self.default, self.default_factory, self.init, self.repr, self.hash,
            self.compare)


def field(*, default=MISSING, default_factory=MISSING, init=True, repr=True, hash=None, compare=True,
          metadata=None, kw_only=MISSING):
    return Field(default, default_factory, init, repr, hash, compare, metadata, kw_only)


def fields(class_or_instance):
    cls = class_or_instance if isinstance(class_or_instance, type) else type(class_or_instance)
    try:
        return cls._swasgi_fields
    except AttributeError:
        raise TypeError('must be called with a dataclass type or instance')


def is_dataclass(obj):
    cls = obj if isinstance(obj, type) else type(obj)
    return hasattr(cls, '_swasgi_fields')


def _names(names):
    quoted = ["'%s'" % n for n in names]
    if len(quoted) < 3:
        return ' and '.join(quoted)
    return ', '.join(quoted[:-1]) + ', and ' + quoted[-1]


def _init_error(name, positional, params, values, extra, unknown):
    """Raises the TypeError CPython gives for a bad call of a generated __init__."""
    if extra:
        low = 1 + len([f for f in positional if f.default is MISSING and f.default_factory is MISSING])
        high = len(positional) + 1
        raise TypeError('%s takes %s positional arguments but %d were given'
                        % (name, high if low == high else 'from %d to %d' % (low, high), high + len(extra)))
    if unknown:
        raise TypeError('%s got an unexpected keyword argument %r' % (name, list(unknown)[0]))
    for kind, kw_only in (('positional', False), ('keyword-only', True)):
        missing = [f.name for f, v in zip(params, values) if f.kw_only == kw_only and v is MISSING
                   and f.default is MISSING and f.default_factory is MISSING]
        if missing:
            raise TypeError('%s missing %d required %s argument%s: %s' % (
                name, len(missing), kind, 's' if len(missing) > 1 else '', _names(missing)))


def _make_init(cls, flds, frozen):
    """An __init__ compiled for these fields (a generic one ran 14 times slower than a plain class).

    Every parameter has a default (MISSING for required ones) and extra arguments are caught,
    so bad calls reach _init_error and get CPython's messages.
    """
    params = [f for f in flds if f.init]
    positional = [f for f in params if not f.kw_only]
    ns = {'_dc_M': MISSING, '_dc_set': object.__setattr__}
    ns['_dc_error'] = lambda values, extra, unknown: _init_error(
        cls.__name__ + '.__init__()', positional, params, values, extra, unknown)
    signature, body = ['_dc_self'], []
    for i, f in enumerate(flds):
        if f.default is not MISSING:
            ns['_dc_d%d' % i] = f.default
        if f.default_factory is not MISSING:
            ns['_dc_f%d' % i] = f.default_factory
        if f._initvar:
            signature.append('%s=%s' % (f.name, '_dc_d%d' % i if f.default is not MISSING else '_dc_M'))
            continue
        if f.init:
            signature.append('%s=%s' % (f.name, '_dc_d%d' % i if f.default is not MISSING else '_dc_M'))
            value = '_dc_f%d() if %s is _dc_M else %s' % (i, f.name, f.name) \
                if f.default_factory is not MISSING else f.name
        elif f.default_factory is not MISSING:
            value = '_dc_f%d()' % i
        elif f.default is not MISSING:
            value = '_dc_d%d' % i
        else:
            continue
        body.append("_dc_set(_dc_self, '%s', %s)" % (f.name, value) if frozen else '_dc_self.%s = %s' % (f.name, value))
    signature.insert(len(positional) + 1, '*_dc_a')
    signature.append('**_dc_k')
    required = [f.name + ' is _dc_M' for f in params if f.default is MISSING and f.default_factory is MISSING]
    check = ' or '.join(['_dc_a', '_dc_k'] + required)
    values = ''.join(f.name + ', ' for f in params)
    if hasattr(cls, '__post_init__'):
        body.append('_dc_self.__post_init__(%s)' % ', '.join(f.name for f in flds if f._initvar))
    source = 'def __init__(%s):\n    if %s:\n        _dc_error((%s), _dc_a, _dc_k)\n%s' % (
        ', '.join(signature), check, values, ''.join('    %s\n' % line for line in body))
    exec(source, ns)
    return ns['__init__']


def _values(obj, flds):
    return tuple(getattr(obj, f.name) for f in flds)


def _compare(flds, op):
    def method(self, other):
        if other.__class__ is not self.__class__:
            return NotImplemented
        return op(_values(self, flds), _values(other, flds))
    return method


def _process(cls, init, repr_, eq, order, unsafe_hash, frozen, kw_only):
    declared = _swasgi_classbody.declared(cls)
    if declared is None:
        raise TypeError("dataclass %s: MicroPython keeps no class annotations and its source file cannot be "
                        "read; define it in a .py file" % cls.__name__)
    params = []  # the fields and InitVars, in order; a redefined name keeps its place

    def put(f):
        for i, g in enumerate(params):
            if g.name == f.name:
                params[i] = f
                return
        params.append(f)
    for base in reversed(cls.__bases__):
        for f in getattr(base, '_swasgi_params', ()):
            put(f)
    own = cls.__dict__
    after_kw_only = kw_only
    for name, ann, has_value in declared:
        bare = ann and ann.strip('\'"')
        if not bare or bare.startswith('ClassVar') or bare.startswith('typing.ClassVar'):
            continue
        if bare in ('KW_ONLY', 'dataclasses.KW_ONLY'):
            after_kw_only = True
            continue
        value = own.get(name, MISSING) if has_value else MISSING
        f = value if isinstance(value, Field) else field(default=value)
        f.name, f.type = name, ann
        f._initvar = bare.startswith('InitVar') or bare.startswith('dataclasses.InitVar')
        if f.kw_only is MISSING:
            f.kw_only = after_kw_only
        if isinstance(f.default, (list, dict, set)):
            raise ValueError('mutable default %s for field %s is not allowed: use default_factory'
                             % (type(f.default), name))
        if isinstance(value, Field):
            if f.default is MISSING:
                delattr(cls, name)
            else:
                setattr(cls, name, f.default)
        put(f)
    flds = [f for f in params if not f._initvar]
    seen_default = None
    for f in params:
        if not f.init or f.kw_only:
            continue
        if f.default is not MISSING or f.default_factory is not MISSING:
            seen_default = f
        elif seen_default:
            raise TypeError('non-default argument %r follows default argument' % f.name)
    flds = tuple(flds)
    cls._swasgi_fields, cls._swasgi_params = flds, tuple(params)
    cls.__dataclass_fields__ = {f.name: f for f in flds}
    cls.__match_args__ = tuple(f.name for f in params if f.init and not f.kw_only)

    def add(name, value):
        if name not in own:
            setattr(cls, name, value)
    if init:
        add('__init__', _make_init(cls, params, frozen))
    if repr_:
        shown = [f for f in flds if f.repr]

        def __repr__(self):
            return '%s(%s)' % (type(self).__name__,
                               ', '.join('%s=%r' % (f.name, getattr(self, f.name)) for f in shown))
        add('__repr__', __repr__)
    compared = [f for f in flds if f.compare]
    if eq:
        add('__eq__', _compare(compared, lambda a, b: a == b))
    if order:
        for name, op in (('__lt__', lambda a, b: a < b), ('__le__', lambda a, b: a <= b),
                         ('__gt__', lambda a, b: a > b), ('__ge__', lambda a, b: a >= b)):
            if name in own:
                raise TypeError('Cannot overwrite attribute %s in class %s. Consider using functools.total_ordering'
                                % (name, cls.__name__))
            setattr(cls, name, _compare(compared, op))
    hashed = [f for f in flds if (f.compare if f.hash is None else f.hash)]
    if unsafe_hash or (eq and frozen):
        if '__hash__' not in own or unsafe_hash:
            cls.__hash__ = lambda self: hash(_values(self, hashed))
    elif eq and '__hash__' not in own:
        cls.__hash__ = None  # CPython: eq without frozen makes instances unhashable
    if frozen:
        names = set(f.name for f in flds)

        def __setattr__(self, name, value):
            if type(self) is cls or name in names:
                raise FrozenInstanceError("cannot assign to field '%s'" % name)
            object.__setattr__(self, name, value)

        def __delattr__(self, name):
            if type(self) is cls or name in names:
                raise FrozenInstanceError("cannot delete field '%s'" % name)
            object.__delattr__(self, name)
        cls.__setattr__ = __setattr__
        cls.__delattr__ = __delattr__
    return cls


def dataclass(cls=None, *, init=True, repr=True, eq=True, order=False, unsafe_hash=False, frozen=False,
              match_args=True, kw_only=False, slots=False):
    """`@dataclass` or `@dataclass(...)`, as CPython's."""
    if order and not eq:
        raise ValueError('eq must be true if order is true')

    def wrap(cls):
        return _process(cls, init, repr, eq, order, unsafe_hash, frozen, kw_only)
    return wrap if cls is None else wrap(cls)


def _convert(obj, factory):
    if is_dataclass(obj) and not isinstance(obj, type):
        return factory([(f.name, _convert(getattr(obj, f.name), factory)) for f in fields(obj)])
    if isinstance(obj, tuple) and hasattr(obj, '_fields'):
        return type(obj)(*[_convert(v, factory) for v in obj])
    if isinstance(obj, (list, tuple)):
        return type(obj)(_convert(v, factory) for v in obj)
    if isinstance(obj, dict):
        return type(obj)((_convert(k, factory), _convert(v, factory)) for k, v in obj.items())
    return obj


def asdict(obj, *, dict_factory=dict):
    if not is_dataclass(obj) or isinstance(obj, type):
        raise TypeError('asdict() should be called on dataclass instances')
    return _convert(obj, dict_factory)


def astuple(obj, *, tuple_factory=tuple):
    if not is_dataclass(obj) or isinstance(obj, type):
        raise TypeError('astuple() should be called on dataclass instances')
    return _astuple(obj, tuple_factory)


def _astuple(obj, factory):
    if is_dataclass(obj) and not isinstance(obj, type):
        return factory([_astuple(getattr(obj, f.name), factory) for f in fields(obj)])
    if isinstance(obj, (list, tuple)) and not hasattr(obj, '_fields'):
        return type(obj)(_astuple(v, factory) for v in obj)
    if isinstance(obj, dict):
        return type(obj)((_astuple(k, factory), _astuple(v, factory)) for k, v in obj.items())
    return obj


def replace(obj, **changes):
    if not is_dataclass(obj) or isinstance(obj, type):
        raise TypeError('replace() should be called on dataclass instances')
    for f in type(obj)._swasgi_params:
        if f._initvar:
            if f.default is MISSING and f.name not in changes:
                raise ValueError("InitVar '%s' must be specified with replace()" % f.name)
        elif not f.init:
            if f.name in changes:
                raise ValueError('field %s is declared with init=False, it cannot be specified with replace()'
                                 % f.name)
        elif f.name not in changes:
            changes[f.name] = getattr(obj, f.name)
    return type(obj)(**changes)
