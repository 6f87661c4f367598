import { describe, expect, test } from "vitest";
import { startPython } from "./loadLib.ts";
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

  test("format_exc cannot see the exception being handled, and says what to write", async () => {
    // Sandbox-only: MicroPython has no sys.exc_info(); CPython returns the traceback of the exception
    // being handled.
    const python = await startPython();
    expect(python.run(`
import traceback
try:
    1 / 0
except ZeroDivisionError:
    print(traceback.format_exc(), end='')
`)).toBe("Traceback unavailable: MicroPython has no sys.exc_info(); write traceback.format_exception(e) with the exception from 'except ... as e'\n");
  });
});
