import { beforeEach, expect, test } from "vitest";
import { type PySession, startPython } from "./loadLib.ts";

// src/python/lib/logging.py in the real runtime. Expected output is CPython 3.11's for the same
// program, less the source line CPython prints under each traceback frame (the program is a
// string here, with no file to read the line from; this harness names it <stdin>). Each test has
// an interpreter of its own, as each CPython run had.

let python: PySession;
beforeEach(async () => {
  python = await startPython();
});

test("loggers, hierarchy and propagation, basicConfig, formatters in % and { style, extra, exc_info, exception()", () => {
  expect(python.run(`import io, logging
out = io.StringIO()
log = logging.getLogger("app.web")
logging.basicConfig(stream=out, level=logging.INFO, format="%(levelname)s %(name)s %(message)s")
log.info("hello %s", "world")
log.debug("hidden")
log.warning("%(a)s and %(b)s", {"a": 1, "b": 2})
try:
    raise ZeroDivisionError("division by zero")
except ZeroDivisionError:
    log.exception("failed %d", 3)
log.error("with extra", extra={"user": "ann"})
h = logging.StreamHandler(out)
child = logging.getLogger("app.web.child")
child.addHandler(h)
child.info("twice")
child.propagate = False
child.warning("once")
fmt = logging.Formatter("{levelname}|{name}|{message}|{user}", style="{")
h.setFormatter(fmt)
child.error("braces", extra={"user": "bob"})
print(logging.getLevelName(logging.WARNING), logging.getLevelName(15), logging.getLevelName("INFO"))
print(child.getEffectiveLevel(), log.parent is logging.getLogger("app"), logging.getLogger("app").parent is logging.root)
print(child.parent.name, logging.getLogger().name, log.isEnabledFor(logging.DEBUG))
try:
    raise ValueError("bad")
except ValueError as e:
    log.error("caught", exc_info=e)
log.info("stack", stack_info=False)
logging.getLogger("quiet").addHandler(logging.NullHandler())
logging.getLogger("quiet").warning("nothing")
print(out.getvalue())
`)).toBe(`WARNING Level 15 20
20 False True
app.web root False
INFO app.web hello world
WARNING app.web 1 and 2
ERROR app.web failed 3
Traceback (most recent call last):
  File "<stdin>", line 9, in <module>
ZeroDivisionError: division by zero
ERROR app.web with extra
twice
INFO app.web.child twice
once
ERROR|app.web.child|braces|bob
ERROR app.web caught
Traceback (most recent call last):
  File "<stdin>", line 26, in <module>
ValueError: bad
INFO app.web stack
WARNING quiet nothing

`);
});

test("a handler without a formatter prints the message; levels, filters, disable and module functions", () => {
  expect(python.run(`import io, logging
out = io.StringIO()
log = logging.getLogger("plain")
log.setLevel("DEBUG")
h = logging.StreamHandler(out)
log.addHandler(h)
log.propagate = False
log.debug("debug %s", 1)
h.addFilter(lambda record: "secret" not in record.getMessage())
log.info("a secret")
log.info("public")
h.setLevel(logging.WARNING)
log.info("below the handler")
log.log(logging.ERROR, "via log()")
logging.disable(logging.ERROR)
log.error("disabled")
logging.disable(logging.NOTSET)
log.critical("back")
print(repr(out.getvalue()))
print(log.hasHandlers(), logging.getLogger("plain.sub").hasHandlers(), logging.getLogger("none").hasHandlers())
try:
    log.setLevel("LOUD")
except ValueError as e:
    print("ValueError", e)
`)).toBe(`'debug 1\\npublic\\nvia log()\\nback\\n'
True True False
ValueError Unknown level: 'LOUD'
`);
});

test("FileHandler and Filter by logger name; a closed 'w' handler does not empty its file again", () => {
  expect(python.run(`import io, logging
out = io.StringIO()
svc = logging.getLogger("svc")
svc.setLevel(logging.DEBUG)
h = logging.StreamHandler(out)
h.addFilter(logging.Filter("svc.db"))
h.setFormatter(logging.Formatter("$levelname|$name|\${message}", style="$"))
svc.addHandler(h)
logging.getLogger("svc.db").debug("kept %d", 1)
logging.getLogger("svc.web").debug("filtered")
fh = logging.FileHandler("/tmp/x.log", mode="w")
fh.setFormatter(logging.Formatter("%(levelname)-8s|%(message)s"))
db = logging.getLogger("svc.db")
db.addHandler(fh)
db.warning("to file")
fh.close()
db.warning("after close")
print(repr(out.getvalue()))
print(repr(open("/tmp/x.log").read()))
`)).toBe(`'DEBUG|svc.db|kept 1\\nWARNING|svc.db|to file\\nWARNING|svc.db|after close\\n'
'WARNING |to file\\n'
`);
});
