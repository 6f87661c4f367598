"""CPython's enum for MicroPython, which has no metaclasses.

Members are made right after the class statement, by a hook on builtins.__build_class__ that
is installed when this module is imported and only acts on subclasses of Enum. What CPython's
metaclass EnumType does for the class itself (`Color["RED"]`, `len(Color)`, `for c in Color`,
`x in Color`, `reversed(Color)`) is done by _EnumType: swasgi's runtime asks a class for it
through the classmethod `__prepare__` when `type` cannot do an operation
(wasm/classOperations.mjs). Member order comes from the class's source (_swasgi_classbody).
"""
import builtins
import _swasgi_classbody
from collections import OrderedDict

_build_class = builtins.__build_class__


class auto:
    _made = 0

    def __init__(self):
        auto._made += 1
        self._order = auto._made


def _is_descriptor(value):
    return callable(value) or isinstance(value, (classmethod, staticmethod, property, type))


def _own_init(cls):
    for klass in _chain(cls):
        if klass in (Enum, IntEnum, StrEnum, Flag, IntFlag, int, str, object):
            return None
        if '__init__' in klass.__dict__:
            return klass.__dict__['__init__']
    return None


def _chain(cls):
    out, todo = [], [cls]
    while todo:
        klass = todo.pop(0)
        if klass not in out:
            out.append(klass)
            todo.extend(klass.__bases__)
    return out


def _no_init(self, *args, **kwargs):
    pass


def _setup(cls):
    own = cls.__dict__
    names = [n for n, v in own.items() if not n.startswith('_') and not _is_descriptor(v)]
    if not names:
        return
    for base in cls.__bases__:
        if getattr(base, '_member_names_', None):
            raise TypeError('<enum %r> cannot extend <enum %r>' % (cls.__name__, base.__name__))
    declared = _swasgi_classbody.declared(cls)
    if declared is not None:
        order = [n for n, _, has_value in declared if has_value]
        names.sort(key=lambda n: order.index(n) if n in order else len(order))
    else:  # no source: auto() in the order it ran, then by value
        names.sort(key=lambda n: (getattr(own[n], '_order', 0), own[n] if isinstance(own[n], (int, str)) else 0, n))
    mixin = int if issubclass(cls, int) else str if issubclass(cls, str) else None
    init = _own_init(cls)
    if init is not None:
        cls.__init__ = _no_init  # __new__ answers an existing member: init must not run again
    members, by_value, values = OrderedDict(), {}, []
    for name in names:
        value = own[name]
        if isinstance(value, auto):
            value = cls._generate_next_value_(name, 1, len(values), values[:])
        args = value if isinstance(value, tuple) else (value,)
        member = _raw(cls, mixin, args[0] if init is not None else value)
        member._name_ = name
        member._value_ = value
        if init is not None:
            init(member, *args)
        values.append(value)
        canonical = _lookup(by_value, value)
        if canonical is None:
            canonical = member
            _store(by_value, value, member)
            members[name] = member
        else:
            members[name] = canonical
        setattr(cls, name, canonical)
    # As CPython 3.11: aliases are not iterated, nor are a Flag's members of other than one bit.
    flag = issubclass(cls, Flag)
    cls._member_names_ = [n for n in names if members[n]._name_ == n and (not flag or _one_bit(members[n]._value_))]
    cls._member_map_ = cls.__members__ = members
    cls._value2member_map_ = by_value
    cls.__new__ = staticmethod(_find)
    if mixin is not None:
        # MicroPython finds int's and str's own methods before Enum's: as CPython's EnumType
        # does, the enum's str/repr/format win, and hash and == stay the value's.
        for method in ('__repr__', '__str__', '__format__', '__or__', '__and__', '__xor__', '__ror__',
                       '__rand__', '__rxor__', '__invert__', '__iter__', '__len__', '__contains__'):
            found = _first(cls, method)
            if method not in own and found is not None:
                setattr(cls, method, found)
        if '__hash__' not in own:
            cls.__hash__ = _value_hash


def _one_bit(value):
    return isinstance(value, int) and value > 0 and value & (value - 1) == 0


def _first(cls, method):
    for klass in _chain(cls):
        if method in klass.__dict__ and klass not in (int, str, object):
            return klass.__dict__[method]


def _value_hash(self):
    return hash(self._value_)


def _raw(cls, mixin, value):
    """A new instance of cls holding `value`, past the member lookup in cls.__new__."""
    if mixin is None:
        return object.__new__(cls)
    lookup = cls.__dict__.get('__new__')
    if lookup is not None:
        delattr(cls, '__new__')
    try:
        return cls(value)
    finally:
        if lookup is not None:
            cls.__new__ = lookup


def _lookup(by_value, value):
    try:
        return by_value.get(value)
    except TypeError:  # an unhashable value
        for key, member in by_value.get(_Unhashable, ()):
            if key == value:
                return member
    return None


def _store(by_value, value, member):
    try:
        by_value[value] = member
    except TypeError:
        by_value.setdefault(_Unhashable, []).append((value, member))


class _Unhashable:
    pass


def _find(cls, value):
    if type(value) is cls:
        return value
    member = _lookup(cls._value2member_map_, value)
    if member is None:
        member = cls._missing_(value)
        if member is None:
            raise ValueError('%r is not a valid %s' % (value, cls.__name__))
    return member


def _hook(func, name, *bases, **kwargs):
    cls = _build_class(func, name, *bases, **kwargs)
    if any(isinstance(b, type) and issubclass(b, Enum) for b in bases):
        _setup(cls)
    return cls


class _EnumType:
    """The class-level operations of an enum class, as CPython 3.11's EnumType has them."""

    def __init__(self, cls):
        self._cls = cls

    def __getitem__(self, name):
        return self._cls._member_map_[name]

    def __setitem__(self, name, value):
        raise TypeError("'EnumType' object does not support item assignment")

    def __delitem__(self, name):
        raise TypeError("'EnumType' object does not support item deletion")

    def __iter__(self):
        return iter(self._members())

    def __reversed__(self):
        return iter(self._members()[::-1])

    def __len__(self):
        return len(self._cls._member_names_)

    def __contains__(self, member):
        if not isinstance(member, Enum):
            raise TypeError("unsupported operand type(s) for 'in': '%s' and 'EnumType'" % type(member).__name__)
        return isinstance(member, self._cls) and member._name_ in self._cls._member_map_

    def _members(self):
        return [self._cls._member_map_[n] for n in self._cls._member_names_]


class Enum:
    _member_names_ = ()
    _member_map_ = {}

    @classmethod
    def __prepare__(cls):
        """What the runtime asks of a class for `Color[...]`, `len`, iteration, `in`, reversed()."""
        return _EnumType(cls)

    @property
    def name(self):
        return self._name_

    @property
    def value(self):
        return self._value_

    @classmethod
    def _missing_(cls, value):
        return None

    @staticmethod
    def _generate_next_value_(name, start, count, last_values):
        for last in reversed(last_values):
            if isinstance(last, int):
                return last + 1
        return start

    def __repr__(self):
        return '<%s.%s: %r>' % (type(self).__name__, self._name_, self._value_)

    def __str__(self):
        return '%s.%s' % (type(self).__name__, self._name_)

    def __format__(self, spec):
        return format(str(self), spec)

    def __hash__(self):
        return hash(self._name_)

    def __reduce_ex__(self, proto):
        return type(self), (self._value_,)


class ReprEnum(Enum):
    """str() and format() of the mixed-in type, repr of Enum (as CPython 3.11)."""


class IntEnum(int, ReprEnum):
    def __str__(self):
        return str(int(self))

    def __format__(self, spec):
        return format(int(self), spec)


class StrEnum(str, ReprEnum):
    @staticmethod
    def _generate_next_value_(name, start, count, last_values):
        return name.lower()

    def __str__(self):
        return self._value_

    def __format__(self, spec):
        return format(self._value_, spec)


class Flag(Enum):
    @staticmethod
    def _generate_next_value_(name, start, count, last_values):
        high = 0
        for last in last_values:
            high = max(high, last)
        bit = 1
        while bit <= high:
            bit <<= 1
        return bit

    @classmethod
    def _missing_(cls, value):
        if not isinstance(value, int):
            return None
        known = 0
        for m in cls.__members__.values():
            known |= m._value_
        if value & ~known or value < 0:
            return None
        pseudo = _raw(cls, int if issubclass(cls, int) else None, value)
        parts = [n for n in cls._member_names_ if cls._member_map_[n]._value_ & value == cls._member_map_[n]._value_
                 and cls._member_map_[n]._value_]
        pseudo._name_ = '|'.join(parts) if parts or value else None
        pseudo._value_ = value
        cls._value2member_map_[value] = pseudo
        return pseudo

    def __repr__(self):
        if self._name_ is None:
            return '<%s: %r>' % (type(self).__name__, self._value_)
        return '<%s.%s: %r>' % (type(self).__name__, self._name_, self._value_)

    def __str__(self):
        return '%s.%s' % (type(self).__name__, self._name_)

    def __iter__(self):
        return iter([m for m in (self._member_map_[n] for n in self._member_names_)
                     if m._value_ and m._value_ & self._value_ == m._value_])

    def __len__(self):
        return len(list(self.__iter__()))

    def __contains__(self, other):
        if type(other) is not type(self):
            raise TypeError("unsupported operand type(s) for 'in': '%s' and '%s'"
                            % (type(other).__name__, type(self).__name__))
        return other._value_ & self._value_ == other._value_

    def __bool__(self):
        return bool(self._value_)

    def __or__(self, other):
        return type(self)(self._value_ | _flag_value(self, other))

    def __and__(self, other):
        return type(self)(self._value_ & _flag_value(self, other))

    def __xor__(self, other):
        return type(self)(self._value_ ^ _flag_value(self, other))

    def __invert__(self):
        known = 0
        for m in self.__members__.values():
            known |= m._value_
        return type(self)(known & ~self._value_)

    __ror__, __rand__, __rxor__ = __or__, __and__, __xor__


def _flag_value(flag, other):
    if type(other) is type(flag):
        return other._value_
    if isinstance(flag, int) and isinstance(other, int):
        return int(other)
    raise TypeError('unsupported operand type(s)')


class IntFlag(int, Flag):
    def __str__(self):
        return str(int(self))

    def __format__(self, spec):
        return format(int(self), spec)


def _reflected(symbol):
    return eval('lambda self, other: other %s int(self)' % symbol)


def _compared(symbol):
    return eval('lambda self, other: int(self) %s (int(other) if isinstance(other, int) else other)' % symbol)


# MicroPython's int cannot run `1 + member` or `member < member` for an int subclass: give
# the reflected operators and comparisons (`1 < member` stays a TypeError: int does not ask).
for _name, _symbol in (('lt', '<'), ('le', '<='), ('gt', '>'), ('ge', '>=')):
    setattr(IntEnum, '__%s__' % _name, _compared(_symbol))
    setattr(IntFlag, '__%s__' % _name, _compared(_symbol))
for _name, _symbol in (('radd', '+'), ('rsub', '-'), ('rmul', '*'), ('rtruediv', '/'), ('rfloordiv', '//'),
                       ('rmod', '%'), ('rpow', '**'), ('rlshift', '<<'), ('rrshift', '>>'), ('ror', '|'),
                       ('rand', '&'), ('rxor', '^')):
    setattr(IntEnum, '__%s__' % _name, _reflected(_symbol))
    if _symbol not in '|&^':
        setattr(IntFlag, '__%s__' % _name, _reflected(_symbol))


def unique(enumeration):
    aliases = [(n, m._name_) for n, m in enumeration.__members__.items() if n != m._name_]
    if aliases:
        raise ValueError('duplicate values found in <enum %r>: %s' % (
            enumeration.__name__, ', '.join('%s -> %s' % pair for pair in aliases)))
    return enumeration


builtins.__build_class__ = _hook
