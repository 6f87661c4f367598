import { describe, expect, test } from "vitest";
import { startPython } from "./loadLib.ts";
import { writeModule } from "./writeModule.ts";

// src/python/lib/typing.py in the real runtime. Expected values are CPython 3.11's output for the
// same code, except where a comment says why the sandbox differs.

describe("typing", () => {
  test("every common name imports; TYPE_CHECKING is False", async () => {
    const python = await startPython();
    expect(python.run(`
from typing import (Any, Optional, Union, List, Dict, Tuple, Set, FrozenSet, Callable, Iterable, Iterator,
    Generator, AsyncIterator, Awaitable, Coroutine, Mapping, MutableMapping, Sequence, Type, TypeVar, Generic,
    Protocol, Literal, Final, ClassVar, NamedTuple, TypedDict, cast, overload, TYPE_CHECKING, Annotated,
    NoReturn, AnyStr, IO, TextIO, Deque, DefaultDict, ParamSpec, TypeAlias, get_type_hints, runtime_checkable)
from typing import Self
import typing
print(TYPE_CHECKING, cast(int, 'not checked'), typing.Text is str)
if TYPE_CHECKING:
    import module_that_does_not_exist
`)).toBe("False not checked True\n");
  });

  test("subscripted forms build at run time", async () => {
    const python = await startPython();
    expect(python.run(`
from typing import List, Dict, Optional, Union, Callable, Tuple, TypeVar, Any
T = TypeVar('T')
UserId = Optional[int]
Handler = Callable[[int, str], None]
print(List[int], Dict[str, int], Tuple[int, ...], Union[int, str], T, Any)
print(Handler, List[T])
`)).toBe("typing.List[int] typing.Dict[str, int] typing.Tuple[int, ...] typing.Union[int, str] ~T typing.Any\ntyping.Callable[[int, str], NoneType] typing.List[~T]\n");
  });

  test("Generic[T] and Protocol are usable as bases", async () => {
    const python = await startPython();
    expect(python.run(`
from typing import Generic, TypeVar, Protocol, Optional, overload, NamedTuple
T = TypeVar('T')
class Box(Generic[T]):
    def __init__(self, item: T) -> None:
        self.item = item
    def get(self) -> 'Optional[T]':
        return self.item
class Greeter(Protocol):
    def greet(self, name: str) -> str: ...
class English:
    def greet(self, name: str) -> str:
        return 'hello ' + name
def welcome(g: Greeter, who: str) -> str:
    return g.greet(who)
print(Box(3).get(), welcome(English(), 'ann'))
Pair = NamedTuple('Pair', [('a', int), ('b', int)])
print(Pair(1, 2).b)
`)).toBe("3 hello ann\n2\n");
  });

  test("annotations are never evaluated", async () => {
    // Sandbox-only: MicroPython's compiler drops annotations; CPython raises NameError at the def.
    const python = await startPython();
    expect(python.run(`
def welcome(who: undefined_name) -> NotDefinedEither:
    return who
print(welcome('ann'))
`)).toBe("ann\n");
  });

  test("List() and friends cannot be instantiated", async () => {
    // CPython says 'Type List cannot be instantiated; use list() instead'; the sandbox leaves out the
    // hint.
    const python = await startPython();
    expect(python.run(`
from typing import List
try:
    List()
except TypeError as e:
    print('TypeError', e)
`)).toBe("TypeError Type List cannot be instantiated\n");
  });

  test("NamedTuple and TypedDict, as classes and as calls", async () => {
    const python = await startPython();
    writeModule(python, "shapes", `
from typing import NamedTuple, TypedDict, Optional


class Point(NamedTuple):
    x: int
    y: int = 0
    label: Optional[str] = None

    def norm(self):
        return abs(self.x) + abs(self.y)


class Pair(NamedTuple):
    a: int
    b: str


class Movie(TypedDict):
    title: str
    year: int
`);
    expect(python.run(`
from shapes import Point, Pair, Movie
from typing import NamedTuple, TypedDict
p = Point(1)
print(p, Point(1, 2, 'a'), Point(x=3, label='l'), p.norm(), p == (1, 0, None), isinstance(p, tuple), p._fields, Point._field_defaults == {'y': 0, 'label': None})
x, y, label = Point(5, 6); print(x, y, label, Pair(1, 'b'), Pair(a=2, b='c')[1])
for bad in (lambda: Point(), lambda: Point(1, z=2)):
    try: bad()
    except TypeError as e: print('TypeError')
F = NamedTuple('F', [('a', int), ('b', int)]); print(F(1, 2))
m = Movie(title='Blade Runner', year=1982); print(type(m).__name__, m['year'], sorted(m))
M2 = TypedDict('M2', {'name': str}); print(M2(name='x'))
`)).toBe("Point(x=1, y=0, label=None) Point(x=1, y=2, label='a') Point(x=3, y=0, label='l') 1 True True ('x', 'y', 'label') True\n5 6 None Pair(a=1, b='b') c\nTypeError\nTypeError\nF(a=1, b=2)\ndict 1982 ['title', 'year']\n{'name': 'x'}\n");
  });

  test("from __future__ import annotations works in a module", async () => {
    // MicroPython has no __future__ module: without src/python/lib/__future__.py this import
    // fails with ImportError. CPython 3.11 prints the same.
    const python = await startPython();
    writeModule(python, "modern", `
from __future__ import annotations
import __future__


def greet(name: str) -> str:
    return 'hi ' + name
`);
    expect(python.run(`
import modern, __future__
print(modern.greet('ann'), __future__.annotations.getOptionalRelease(), 'annotations' in __future__.all_feature_names)
`)).toBe("hi ann (3, 7, 0, 'beta', 1) True\n");
  });
});
