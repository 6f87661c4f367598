"""Modules compiled before their import, so that importing them skips the compiler.

The host calls `compile_all` once per version of an app, before any of its code runs, and
keeps the result in the app's image (src/runner/appImage.ts): each module that compiled gets
a stub in STUBS, a directory that sys.path puts just before the app's own. MicroPython's
import finds the stub where it would have found the .py (same names, same order), and the
stub runs `exec(take(globals()), globals())` (src/runner/importStub.ts).
"""
import gc
import sys
import time
import uos

STUBS = "/lib/.precompiled"
# How a stub's own frame starts in a printed traceback (its source name is "<swasgi import>").
STUB_FRAME = '  File "<swasgi import>"'

# Stub path -> (file name as the import would give it, code object); emptied as modules load.
_codes = {}
# Stub path -> file name, kept: a module whose import failed is imported again from source.
_sources = {}
# Whether compile_all forgot the library modules the app shadows (the bridge need not again).
shadows_released = False


def compile_all(entries, budget_ms):
    """Compiles the JSON list [[stub, source, module name]]; stops starting files after budget_ms.

    Returns what STUBS now holds, one path a line ("pkg/", "pkg/__init__.mpy"), for the host
    to write again over a restored image (files are not part of an image).
    """
    global shadows_released
    import json
    from _swasgi_compat import release_shadowed

    start = time.ticks_ms()
    entries = json.loads(entries)
    # What the bridge would forget at boot (library modules the app has its own file for)
    # goes first, so that the app's own file is the one compiled.
    release_shadowed()
    shadows_released = True
    with open(STUBS + ".mpy", "rb") as f:
        stub = f.read()
    made = []
    try:
        uos.mkdir(STUBS)
    except OSError:
        pass  # a second run in this interpreter
    # Every directory of the app has its twin: an import must find a package (or a directory
    # it takes for one) in STUBS wherever it would have found it in the app.
    dirs = [d + "/" for d in _dirs("")]
    for rel, source, module in entries:
        if module in sys.modules or time.ticks_diff(time.ticks_ms(), start) > budget_ms:
            continue
        try:
            with open(source) as f:
                code = compile(f.read(), source, "exec")
        except Exception:
            continue  # no stub: the import compiles it and reports the error as it always did
        parts = rel.split("/")
        dirs += ["/".join(parts[:i]) + "/" for i in range(1, len(parts))]
        path = rel[:-3] + ".mpy"
        made.append(path)
        _codes[STUBS + "/" + path] = (source, code)
        _sources[STUBS + "/" + path] = source
    listing = sorted(set(dirs)) + made
    for path in listing:
        if path.endswith("/"):
            try:
                uos.mkdir(STUBS + "/" + path[:-1])
            except OSError:
                pass  # made already
        else:
            with open(STUBS + "/" + path, "wb") as f:
                f.write(stub)
    if _codes and STUBS not in sys.path:
        sys.path.insert(sys.path.index("") if "" in sys.path else 0, STUBS)
    # The compiler's garbage goes before the image is taken (the host zeroes free blocks).
    gc.collect()
    return "\n".join(listing)


def _dirs(rel):
    """The app's directories below rel (the working directory is the app's), parents first."""
    found = []
    for name, kind, *_ in uos.ilistdir(rel or "."):
        if kind == 0x4000:
            path = rel + "/" + name if rel else name
            found.append(path)
            found += _dirs(path)
    return found


def take(g):
    """The code a stub runs, for the module whose globals are g; sets __file__ to the source."""
    path = g["__file__"]
    source = _sources[path]
    g["__file__"] = source
    entry = _codes.pop(path, None)
    if entry is not None:
        return entry[1]
    with open(source) as f:
        return compile(f.read(), source, "exec")


def without_stub_frames(text):
    """A printed traceback without the stubs' frames: they are swasgi's, not the app's."""
    return "\n".join(line for line in text.split("\n") if not line.startswith(STUB_FRAME))
