import { describe, expect, test } from "vitest";
import { drive, startPython } from "./loadLib.ts";
import { writeModule } from "./writeModule.ts";

// src/python/lib/traceback.py in the real runtime. Expected values are CPython 3.11's output for the
// same code, except where a comment says why the sandbox differs.
// MicroPython tracebacks have no "^^^" marker lines and name files as the runtime loaded them;
// the expected strings below are the sandbox's, with CPython's differences noted.

describe("traceback", () => {
  test("format_exception, in both signatures, with the source lines", async () => {
    // CPython also prints '^^^^' markers under each source line, and absolute file names.
    const python = await startPython();
    writeModule(python, "failing", `
def inner():
    raise ValueError('bad thing')


def outer():
    inner()
`);
    expect(python.run(`
import traceback, failing
try:
    failing.outer()
except ValueError as e:
    lines = traceback.format_exception(e)
    print(lines == traceback.format_exception(type(e), e, None), len(lines))
    print(''.join(lines), end='')
    print(traceback.format_exception(e, limit=1)[1:], traceback.format_exception(e, limit=-1)[1:])
`)).toBe("True 5\nTraceback (most recent call last):\n  File \"<stdin>\", line 4, in <module>\n  File \"failing.py\", line 7, in outer\n    inner()\n  File \"failing.py\", line 3, in inner\n    raise ValueError('bad thing')\nValueError: bad thing\n['  File \"<stdin>\", line 4, in <module>\\n', 'ValueError: bad thing\\n'] ['  File \"failing.py\", line 3, in inner\\n    raise ValueError(\\'bad thing\\')\\n', 'ValueError: bad thing\\n']\n");
  });

  test("format_exception_only and the last line of each exception", async () => {
    const python = await startPython();
    expect(python.run(`
import traceback
class AppError(Exception):
    pass
for exc in (ValueError('v'), KeyError('k'), RuntimeError(), AppError('custom')):
    print(traceback.format_exception_only(exc), traceback.format_exception_only(type(exc), exc) == traceback.format_exception_only(exc))
print(traceback.format_exception(KeyError('never raised')), traceback.format_exception_only(None))
`)).toBe("['ValueError: v\\n'] True\n[\"KeyError: 'k'\\n\"] True\n['RuntimeError\\n'] True\n['AppError: custom\\n'] True\n[\"KeyError: 'never raised'\\n\"] ['NoneType: None\\n']\n");
  });

  test("print_exception writes to a file", async () => {
    const python = await startPython();
    expect(python.run(`
import io, traceback
try:
    raise OSError('disk')
except OSError as e:
    out = io.StringIO()
    traceback.print_exception(e, file=out)
    print(out.getvalue().splitlines()[-1], out.getvalue().startswith('Traceback (most recent call last):'))
    print(list(traceback.TracebackException.from_exception(e).format_exception_only()))
`)).toBe("OSError: disk True\n['OSError: disk\\n']\n");
  });

  test("format_exc, print_exc and exc_info see the exception being handled, where CPython's do", async () => {
    // Sandbox-only: exc_info() stands in for sys.exc_info() (the built-in sys takes no new
    // attribute), its traceback is None (CPython: a traceback object), and MicroPython's message
    // for a bare raise with nothing handled is lower-case.
    const python = await startPython();
    expect(python.run(`
import io, traceback
def log():
    return traceback.format_exc().splitlines()[-1]
try:
    raise ValueError('bad')
except ValueError:
    text = traceback.format_exc()
    print(text.splitlines()[0], text.splitlines()[-1], log())
    out = io.StringIO()
    traceback.print_exc(file=out)
    print(out.getvalue() == text, traceback.exc_info()[0].__name__, traceback.exc_info()[1].args, traceback.exc_info()[2])
    try:
        {}['k']
    except KeyError:
        print(log())
    print(log())
print(repr(traceback.format_exc()), traceback.exc_info())
def cleanup():
    try:
        raise OSError('disk')
    finally:
        print('finally', log())
try:
    cleanup()
except OSError:
    pass
def gen():
    try:
        raise IndexError('i')
    except IndexError:
        yield log()
        yield log()
g = gen()
print(next(g), repr(traceback.format_exc()))
try:
    raise TypeError('t')
except TypeError:
    print(next(g), log())
def reraise():
    raise
try:
    try:
        raise LookupError('l')
    except LookupError:
        reraise()
except LookupError as e:
    print('re-raised', e.args)
try:
    reraise()
except RuntimeError as e:
    print('RuntimeError', e)
`)).toBe(
      "Traceback (most recent call last): ValueError: bad ValueError: bad\n" +
        "True ValueError ('bad',) None\n" +
        "KeyError: 'k'\n" +
        "ValueError: bad\n" +
        "'NoneType: None\\n' (None, None, None)\n" +
        "finally OSError: disk\n" +
        "IndexError: i 'NoneType: None\\n'\n" +
        "IndexError: i TypeError: t\n" +
        "re-raised ('l',)\n" +
        "RuntimeError no active exception to reraise\n",
    );
  });

  test("format_exc in a coroutine: across an await in its except block, not in another task", async () => {
    const python = await startPython();
    expect(
      await drive(python, `
import asyncio, traceback
async def fail():
    await asyncio.sleep(0)
    raise ValueError('async bad')
async def other(out):
    for _ in range(3):
        out.append('other: ' + traceback.format_exc().strip())
        await asyncio.sleep(0)
async def main(out):
    t = asyncio.create_task(other(out))
    try:
        await fail()
    except ValueError:
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        out.append(traceback.format_exc().splitlines()[-1])
    out.append(traceback.format_exc())
    await t
`),
    ).toEqual(["other: NoneType: None", "other: NoneType: None", "other: NoneType: None", "ValueError: async bad", "NoneType: None\n"]);
  });
});
