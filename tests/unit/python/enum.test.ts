import { describe, expect, test } from "vitest";
import { startPython } from "./loadLib.ts";
import { writeModule } from "./writeModule.ts";

// src/python/lib/enum.py in the real runtime. Expected values are CPython 3.11's output for the
// same code, except where a comment says why the sandbox differs. Enums live in files: member
// order comes from the class's source.

/** The enums every test imports (`from colors import ...`). */
const COLORS = `
from enum import Enum, IntEnum, StrEnum, Flag, IntFlag, auto, unique


class Color(Enum):
    RED = 1
    GREEN = 2
    BLUE = 3
    CRIMSON = 1  # an alias of RED

    def describe(self):
        return '%s is %d' % (self.name, self.value)

    @classmethod
    def default(cls):
        return cls.GREEN


class Status(IntEnum):
    OK = 200
    NOT_FOUND = 404


class Mode(StrEnum):
    READ = auto()
    WRITE = 'w'


class Shape(str, Enum):
    SQUARE = 'sq'
    CIRCLE = 'ci'


class Perm(Flag):
    R = auto()
    W = auto()
    X = auto()


class Bits(IntFlag):
    A = 1
    B = 2


class Planet(Enum):
    MERCURY = (3.303e+23, 2.4397e6)
    EARTH = (5.976e+24, 6.37814e6)

    def __init__(self, mass, radius):
        self.mass = mass
        self.radius = radius


class Letter(Enum):
    Z = 'z'
    A = 'a'
    M = 'm'


class Lenient(Enum):
    ON = 'on'
    OFF = 'off'

    @classmethod
    def _missing_(cls, value):
        return cls.ON if value in (True, 'yes') else None
`;

describe("Enum", () => {
  test("members: name, value, lookup by value, identity, aliases, methods", async () => {
    const python = await startPython();
    writeModule(python, "colors", COLORS);
    expect(python.run(`
from enum import Enum
from colors import Color
print(Color.RED, repr(Color.RED), Color.RED.name, Color.RED.value, Color(1), Color(1) is Color.RED)
print(Color.CRIMSON is Color.RED, Color.RED == Color.RED, Color.RED == 1, Color.RED != Color.BLUE)
print(isinstance(Color.RED, Color), isinstance(Color.RED, Enum), type(Color.RED) is Color)
print(Color.RED.describe(), Color.default(), {Color.RED: 'r'}[Color.RED], f'{Color.RED}', '%s' % Color.GREEN)
try:
    Color(7)
except ValueError as e:
    print(e)
`)).toBe("Color.RED <Color.RED: 1> RED 1 Color.RED True\nTrue True False True\nTrue True True\nRED is 1 Color.GREEN r Color.RED Color.GREEN\n7 is not a valid Color\n");
  });

  test("__members__ in definition order, aliases included", async () => {
    const python = await startPython();
    writeModule(python, "colors", COLORS);
    expect(python.run(`
from colors import Color, Letter
print(list(Color.__members__), [m.name for m in Color.__members__.values()], len(Color.__members__))
print(Color.__members__['GREEN'], [m.value for m in Letter.__members__.values()])
`)).toBe("['RED', 'GREEN', 'BLUE', 'CRIMSON'] ['RED', 'GREEN', 'BLUE', 'RED'] 4\nColor.GREEN ['z', 'a', 'm']\n");
  });

  test("_missing_, tuple values with __init__, unique", async () => {
    const python = await startPython();
    writeModule(python, "colors", COLORS);
    writeModule(python, "dup", `
from enum import Enum, unique
@unique
class Dup(Enum):
    A = 1
    B = 1
`);
    expect(python.run(`
from colors import Lenient, Planet
print(Lenient('yes'), Lenient('off'), Planet.EARTH.mass, Planet.EARTH.value, Planet((3.303e+23, 2.4397e6)))
try:
    import dup
except ValueError as e:
    print(e)
`)).toBe("Lenient.ON Lenient.OFF 5.976e+24 (5.976e+24, 6378140.0) Planet.MERCURY\nduplicate values found in <enum 'Dup'>: B -> A\n");
  });

  test("class-level operations as CPython's EnumType: Color[name], len, iteration, in, reversed", async () => {
    const python = await startPython();
    writeModule(python, "colors", COLORS);
    expect(python.run(`
from enum import Enum, IntEnum
from colors import Color, Status, Mode, Perm
print(Color['RED'], Color['CRIMSON'] is Color.RED, len(Color), list(Color), Color.RED in Color, Color.CRIMSON in Color)
red, green, blue = Color
print([c.name for c in Color], list(reversed(Color)), green, tuple(enumerate(Color))[2], sorted(Color, key=lambda c: -c.value)[0])
print(Status['OK'] == 200, len(Status), max(Status), list(Mode), set(Color) == {Color.RED, Color.GREEN, Color.BLUE}, list(Perm))
print(Status.OK in Status, Color.RED in Status, Perm.R in Perm, (Perm.R | Perm.X) in Perm, len(Enum), list(Enum), len(IntEnum))
`)).toBe(
      "Color.RED True 3 [<Color.RED: 1>, <Color.GREEN: 2>, <Color.BLUE: 3>] True True\n" +
        "['RED', 'GREEN', 'BLUE'] [<Color.BLUE: 3>, <Color.GREEN: 2>, <Color.RED: 1>] Color.GREEN (2, <Color.BLUE: 3>) Color.BLUE\n" +
        "True 2 404 [<Mode.READ: 'read'>, <Mode.WRITE: 'w'>] True [<Perm.R: 1>, <Perm.W: 2>, <Perm.X: 4>]\n" +
        "True False True False 0 [] 0\n",
    );
  });

  test("what CPython 3.11 refuses on an enum class or a member is refused", async () => {
    // CPython 3.11's errors and messages, except MicroPython's wording of its own: "isn't" for
    // "is not", `in` a member ("argument of type 'Color' is not iterable") and reversed() of a
    // member, which fails on its len() (CPython: "'Color' object is not reversible").
    const python = await startPython();
    writeModule(python, "colors", COLORS);
    expect(python.run(`
from colors import Color, Status
for stmt in ("1 in Color", "'RED' in Color", "200 in Status", "Color['NOPE']", "Color[0]", "Color['X'] = 1", "del Color['RED']",
             "Color.RED[0]", "len(Color.RED)", "iter(Color.RED)", "Color.RED in Color.RED", "reversed(Color.RED)"):
    try:
        exec(stmt)
        print(stmt, 'no error')
    except KeyError as e:
        print(stmt, 'KeyError', repr(e.args[0]))
    except TypeError as e:
        print(stmt, 'TypeError', e)
`)).toBe(
      "1 in Color TypeError unsupported operand type(s) for 'in': 'int' and 'EnumType'\n" +
        "'RED' in Color TypeError unsupported operand type(s) for 'in': 'str' and 'EnumType'\n" +
        "200 in Status TypeError unsupported operand type(s) for 'in': 'int' and 'EnumType'\n" +
        "Color['NOPE'] KeyError 'NOPE'\n" +
        "Color[0] KeyError 0\n" +
        "Color['X'] = 1 TypeError 'EnumType' object does not support item assignment\n" +
        "del Color['RED'] TypeError 'EnumType' object does not support item deletion\n" +
        "Color.RED[0] TypeError 'Color' object isn't subscriptable\n" +
        "len(Color.RED) TypeError object of type 'Color' has no len()\n" +
        "iter(Color.RED) TypeError 'Color' object isn't iterable\n" +
        "Color.RED in Color.RED TypeError 'Color' object isn't iterable\n" +
        "reversed(Color.RED) TypeError object of type 'Color' has no len()\n",
    );
  });

  test("a Flag iterates its one-bit members, as CPython 3.11", async () => {
    const python = await startPython();
    writeModule(python, "perms", `
from enum import Flag, auto
class Perm(Flag):
    NONE = 0
    R = auto()
    W = auto()
    X = auto()
    RW = 3
`);
    expect(python.run(`
from perms import Perm
print(list(Perm), len(Perm), Perm.RW in Perm, Perm['RW'], Perm(7), list(Perm.RW), list(Perm.__members__))
`)).toBe("[<Perm.R: 1>, <Perm.W: 2>, <Perm.X: 4>] 3 True Perm.RW Perm.R|W|X [<Perm.R: 1>, <Perm.W: 2>] ['NONE', 'R', 'W', 'X', 'RW']\n");
  });

  test("the class-level hook is the classmethod __prepare__ only: other classes keep their TypeErrors", async () => {
    // A staticmethod or plain function named __prepare__, or an instance __getitem__/__len__,
    // does not make a class subscriptable, sized or iterable (as in CPython). The last line is
    // the sandbox's own hook (CPython asks __prepare__ only of a metaclass: TypeError there).
    const python = await startPython();
    expect(python.run(`
class Static:
    @staticmethod
    def __prepare__():
        return [1]
class Items:
    def __getitem__(self, i):
        return i
    def __len__(self):
        return 1
class Hooked:
    @classmethod
    def __prepare__(cls):
        return {'a': cls.__name__}
for stmt in ("Static[0]", "len(Static)", "list(Static)", "1 in Static", "Items[0]", "len(Items)", "len(int)", "list(int)"):
    try:
        exec(stmt)
        print(stmt, 'no error')
    except TypeError as e:
        print(stmt, 'TypeError')
print(Hooked['a'], len(Hooked), list(Hooked), 'a' in Hooked, 'b' in Hooked)
`)).toBe(
      "Static[0] TypeError\nlen(Static) TypeError\nlist(Static) TypeError\n1 in Static TypeError\n" +
        "Items[0] TypeError\nlen(Items) TypeError\nlen(int) TypeError\nlist(int) TypeError\nHooked 1 ['a'] True False\n",
    );
  });

  test("what still differs: int on the left of < with an IntEnum, str-mixin members as dict keys", async () => {
    // Sandbox-only: an int on the left of < with an IntEnum member raises (CPython: True), and a
    // str-mixin member does not find a str key of a dict (CPython: 1).
    const python = await startPython();
    writeModule(python, "colors", COLORS);
    expect(python.run(`
from colors import Status, Shape
try:
    100 < Status.OK
except TypeError:
    print('100 < Status.OK TypeError')
print({'sq': 1}.get(Shape.SQUARE), {'sq': 1}.get(Shape.SQUARE.value), Status.OK > 100)
`)).toBe("100 < Status.OK TypeError\nNone 1 True\n");
  });
});

describe("the class-statement hook", () => {
  test("importing enum leaves every other class statement as it was", async () => {
    // Sandbox-only: the hook passes keywords on, so metaclass= fails as it did before (MicroPython has
    // no metaclass keyword); CPython would build the class.
    const python = await startPython();
    expect(python.run(`
import enum
class Plain:
    x = 1
class Child(Plain, Exception):
    pass
print(Plain.x, Child.__bases__ == (Plain, Exception), type(Plain) is type)
try:
    class WithMeta(metaclass=type):
        pass
except TypeError as e:
    print('TypeError', e)
`)).toBe("1 True True\nTypeError function doesn't take keyword arguments\n");
  });
});

describe("IntEnum, StrEnum, mixins", () => {
  test("IntEnum members are ints with Enum's repr", async () => {
    const python = await startPython();
    writeModule(python, "colors", COLORS);
    expect(python.run(`
from colors import Status
s = Status.NOT_FOUND
print(s == 404, Status(404) is s, repr(s), str(s), f'{s}', '%d' % s, s + 1, 1 + s, s * 2, {404: 'nf'}[s])
print(isinstance(s, int), s >= 400, s > Status.OK, s.name, s.value, sorted([Status.NOT_FOUND, Status.OK]))
`)).toBe("True True <Status.NOT_FOUND: 404> 404 404 404 405 405 808 nf\nTrue True True NOT_FOUND 404 [<Status.OK: 200>, <Status.NOT_FOUND: 404>]\n");
  });

  test("StrEnum and (str, Enum) members are strs", async () => {
    const python = await startPython();
    writeModule(python, "colors", COLORS);
    expect(python.run(`
from colors import Mode, Shape
print(Mode.READ, repr(Mode.READ), Mode.WRITE == 'w', Mode('w'), f'{Mode.READ}', Mode.READ.upper())
print(Shape.SQUARE == 'sq', Shape('ci'), repr(Shape.CIRCLE), Shape.SQUARE.value, {'sq': 1}[Shape.SQUARE.value])
`)).toBe("read <Mode.READ: 'read'> True w read READ\nTrue Shape.CIRCLE <Shape.CIRCLE: 'ci'> sq 1\n");
  });
});

describe("Flag", () => {
  test("Flag and IntFlag combine, test and iterate", async () => {
    const python = await startPython();
    writeModule(python, "colors", COLORS);
    expect(python.run(`
from colors import Perm, Bits
rw = Perm.R | Perm.W
print(rw, repr(rw), Perm.R in rw, Perm.X in rw, bool(Perm.R & Perm.W), repr(Perm(0)), Perm(3) is rw)
print(list(Perm.R | Perm.X), repr(~Perm.R), [m.value for m in Perm.__members__.values()])
print(Bits.A | Bits.B, repr(Bits.A | Bits.B), Bits.B == 2, Bits.A | 2, isinstance(Bits.A, int))
`)).toBe("Perm.R|W <Perm.R|W: 3> True False False <Perm: 0> True\n[<Perm.R: 1>, <Perm.X: 4>] <Perm.W|X: 6> [1, 2, 4]\n3 <Bits.A|B: 3> True 3 True\n");
  });
});
