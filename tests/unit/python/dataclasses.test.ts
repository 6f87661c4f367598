import { describe, expect, test } from "vitest";
import { startPython } from "./loadLib.ts";
import { writeModule } from "./writeModule.ts";

/** The dataclasses several tests import (`from models import ...`). */
const MODELS = `
from dataclasses import dataclass, field, KW_ONLY
from typing import ClassVar, List, Optional


@dataclass
class Point:
    """A point.

    x: documented here, not a field
    """
    x: int
    y: int = 0  # note: z: int is no field either
    tags: List[str] = field(default_factory=list)
    count: ClassVar[int] = 0
    label = "plain class attribute, no annotation: not a field"

    def norm(self, scale: int = 1) -> int:
        total: int = abs(self.x) + abs(self.y)
        return total * scale


@dataclass(frozen=True, order=True)
class Version:
    major: int
    minor: int = 0


@dataclass()
class Line:
    start: Point
    end: Point
    name: Optional[str] = field(default=None, repr=False, compare=False)

    def __post_init__(self):
        self.length = abs(self.end.x - self.start.x)


@dataclass
class Point3(Point):
    z: int = 9


@dataclass
class Options:
    path: str
    _: KW_ONLY
    verbose: bool = False
    depth: int = field(default=1, init=False)
`;

// src/python/lib/dataclasses.py in the real runtime. Expected values are CPython 3.11's output
// for the same code, except where a comment says why the sandbox differs. Dict key order is
// not compared (MicroPython's dicts do not keep insertion order).

describe("dataclass", () => {
  test("generates __init__, __repr__ and __eq__ from annotated fields, in source order", async () => {
    const python = await startPython();
    writeModule(python, "models", MODELS);
    expect(python.run(`
from models import Point, Line
p = Point(1)
print(p, Point(1, 2, ['a']), Point(x=3, tags=['t']))
print(p == Point(1), p == Point(2), p == (1, 0, []), Point.count, Point.y, p.norm(2))
print(Point(1).tags is not Point(1).tags)
line = Line(Point(1), Point(4, 2), name='diagonal')
print(line, line.length, line == Line(Point(1), Point(4, 2)))
`)).toBe("Point(x=1, y=0, tags=[]) Point(x=1, y=2, tags=['a']) Point(x=3, y=0, tags=['t'])\nTrue False False 0 0 2\nTrue\nLine(start=Point(x=1, y=0, tags=[]), end=Point(x=4, y=2, tags=[])) 3 True\n");
  });

  test("frozen, order and hash", async () => {
    const python = await startPython();
    writeModule(python, "models", MODELS);
    expect(python.run(`
from dataclasses import FrozenInstanceError
from models import Version, Point
v = Version(1, 2)
try:
    v.major = 3
except FrozenInstanceError as e:
    print(type(e).__name__, e, isinstance(e, AttributeError))
print(v < Version(1, 3), v >= Version(1, 2), sorted([Version(2), Version(1, 5), Version(1)]))
print(hash(v) == hash(Version(1, 2)), {v: 'known'}[Version(1, 2)])
try:
    hash(Point(1))
except TypeError:
    print('Point is unhashable (eq without frozen)')
`)).toBe("FrozenInstanceError cannot assign to field 'major' True\nTrue True [Version(major=1, minor=0), Version(major=1, minor=5), Version(major=2, minor=0)]\nTrue known\nPoint is unhashable (eq without frozen)\n");
  });

  test("inheritance, KW_ONLY and init=False fields", async () => {
    const python = await startPython();
    writeModule(python, "models", MODELS);
    expect(python.run(`
from dataclasses import fields
from models import Point3, Options
print(Point3(1, 2, [], 3), [f.name for f in fields(Point3)])
o = Options('/tmp', verbose=True)
print(o, o.depth, [(f.name, f.kw_only, f.init) for f in fields(Options)])
`)).toBe("Point3(x=1, y=2, tags=[], z=3) ['x', 'y', 'tags', 'z']\nOptions(path='/tmp', verbose=True, depth=1) 1 [('path', False, True), ('verbose', True, True), ('depth', True, False)]\n");
  });

  test("wrong arguments raise TypeError with CPython's messages", async () => {
    // Except "multiple values", which MicroPython raises before the generated __init__ runs
    // (CPython: "Point.__init__() got multiple values for argument 'x'").
    const python = await startPython();
    writeModule(python, "models", MODELS);
    expect(python.run(`
from models import Point, Line, Options
calls = [lambda: Point(), lambda: Point(1, 2, [], 4), lambda: Point(1, x=2), lambda: Point(1, q=2),
         lambda: Line(), lambda: Options('/', True)]
for call in calls:
    try:
        call()
    except TypeError as e:
        print(e)
`)).toBe("Point.__init__() missing 1 required positional argument: 'x'\nPoint.__init__() takes from 2 to 4 positional arguments but 5 were given\nfunction got multiple values for argument 'x'\nPoint.__init__() got an unexpected keyword argument 'q'\nLine.__init__() missing 2 required positional arguments: 'start' and 'end'\nOptions.__init__() takes 2 positional arguments but 3 were given\n");
  });

  test("bad declarations raise as in CPython", async () => {
    const python = await startPython();
    writeModule(python, "bad_default", `
from dataclasses import dataclass
@dataclass
class Bad:
    items: list = []
`);
    writeModule(python, "bad_order", `
from dataclasses import dataclass
@dataclass
class Bad:
    a: int = 1
    b: int
`);
    expect(python.run(`
for name in ('bad_default', 'bad_order'):
    try:
        __import__(name)
    except (ValueError, TypeError) as e:
        print(type(e).__name__, e)
`)).toBe("ValueError mutable default <class 'list'> for field items is not allowed: use default_factory\nTypeError non-default argument 'b' follows default argument\n");
  });
});

describe("helpers", () => {
  test("asdict, astuple, replace, fields, is_dataclass", async () => {
    const python = await startPython();
    writeModule(python, "models", MODELS);
    expect(python.run(`
from dataclasses import asdict, astuple, replace, fields, is_dataclass, field, MISSING
from models import Point, Line
line = Line(Point(1, tags=['a']), Point(4))
d = asdict(line)
print(sorted(d), sorted(d['start'].items()), astuple(line))
print(replace(Point(1, 2), y=5), [f.name for f in fields(Point(0))], fields(Point)[1].default)
print(is_dataclass(Point), is_dataclass(Point(1)), is_dataclass(3), fields(Point)[0].default is MISSING)
for bad in (lambda: asdict(Point), lambda: fields(3), lambda: field(default=1, default_factory=list)):
    try:
        bad()
    except (TypeError, ValueError) as e:
        print(type(e).__name__, e)
`)).toBe("['end', 'name', 'start'] [('tags', ['a']), ('x', 1), ('y', 0)] ((1, 0, ['a']), (4, 0, []), None)\nPoint(x=1, y=5, tags=[]) ['x', 'y', 'tags'] 0\nTrue True False True\nTypeError asdict() should be called on dataclass instances\nTypeError must be called with a dataclass type or instance\nValueError cannot specify both default and default_factory\n");
  });

  test("a dataclass outside a file cannot be read and says so", async () => {
    // Sandbox-only: MicroPython drops `x: int`, so fields come from the class's source file.
    const python = await startPython();
    expect(python.run(`
from dataclasses import dataclass
try:
    @dataclass
    class Loose:
        x: int
except TypeError as e:
    print(e)
`)).toBe("dataclass Loose: MicroPython keeps no class annotations and its source file cannot be read; define it in a .py file\n");
  });

  test("frozen with factories, init=False, __post_init__; a field named self", async () => {
    const python = await startPython();
    writeModule(python, "config", `
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Config:
    name: str
    tags: tuple = field(default_factory=tuple)
    extra: dict = field(default_factory=dict, compare=False)
    version: int = field(default=1, init=False)

    def __post_init__(self):
        object.__setattr__(self, 'slug', self.name.lower())


@dataclass
class Odd:
    self: int
    cls: str = 'c'
`);
    expect(python.run(`
from config import Config, Odd
c = Config('Main', ('a',))
print(c, c.slug, c.version, c == Config('Main', ('a',), {'x': 1}), hash(c) == hash(Config('Main', ('a',))))
print(Config('x').extra is not Config('x').extra, Odd(1), Odd(self=2, cls='k'))
try:
    Config('x', version=2)
except TypeError as e:
    print(e)
`)).toBe("Config(name='Main', tags=('a',), extra={}, version=1) main 1 True True\nTrue Odd(self=1, cls='c') Odd(self=2, cls='k')\nConfig.__init__() got an unexpected keyword argument 'version'\n");
  });

  test("InitVar goes to __post_init__ only; a redefined field keeps its place", async () => {
    const python = await startPython();
    writeModule(python, "accounts", `
from dataclasses import dataclass, field, InitVar, fields, asdict


@dataclass
class Account:
    owner: str
    secret: InitVar[str]
    balance: int = 0
    salt: InitVar[str] = 'pepper'

    def __post_init__(self, secret, salt):
        self.digest = secret + ':' + salt


@dataclass
class Base:
    x: int = 1
    y: int = 2


@dataclass
class Derived(Base):
    x: int = 10
    z: int = 3
`);
    expect(python.run(`
from accounts import Account, Derived
from dataclasses import fields, asdict, replace
a = Account('ann', 's3cret')
print(a, a.digest, [f.name for f in fields(a)], sorted(asdict(a).items()), Account('bob', 'x', 5, 'salt').digest)
print(Derived(), [f.name for f in fields(Derived)], Derived(1, 2, 4))
try: Account('c')
except TypeError as e: print(e)
try: replace(a, balance=3)
except ValueError as e: print('ValueError', e)
`)).toBe("Account(owner='ann', balance=0) s3cret:pepper ['owner', 'balance'] [('balance', 0), ('owner', 'ann')] x:salt\nDerived(x=10, y=2, z=3) ['x', 'y', 'z'] Derived(x=1, y=2, z=4)\nAccount.__init__() missing 1 required positional argument: 'secret'\nValueError InitVar 'secret' must be specified with replace()\n");
  });

  test("a class header and a default over several lines", async () => {
    const python = await startPython();
    writeModule(python, "wide", `
from dataclasses import dataclass


class Base:
    pass


@dataclass
class Wide(
    Base,
):
    a: int
    b: str = (
        'x'
    )
    c: int = 3
`);
    expect(python.run(`
from wide import Wide
print(Wide(1), Wide(2, 'y', 4))
`)).toBe("Wide(a=1, b='x', c=3) Wide(a=2, b='y', c=4)\n");
  });
});
