"""What a class body declares, read from the class's source file.

MicroPython's compiler drops annotations (`x: int` leaves nothing behind, `x: int = 0` only the
value) and class dicts do not keep definition order, so dataclasses and enum read the body
from the module's file: names, annotation text and whether a value was assigned, in order.
"""
import sys

_files = {}
_KEYWORDS = ('else', 'try', 'finally', 'except', 'elif', 'if', 'while', 'for', 'with', 'match', 'case')


def _source(cls):
    path = getattr(sys.modules.get(getattr(cls, '__module__', None)), '__file__', None)
    if not path:
        return None
    if path not in _files:
        try:
            with open(path) as f:
                _files[path] = f.read().split('\n')
        except OSError:
            _files[path] = None
    return _files[path]


def _scan(line, state):
    """Updates [quote, depth] past `line`; answers the line's code without its comment."""
    i, n, code_end = 0, len(line), len(line)
    while i < n:
        c = line[i]
        q = state[0]
        if q:
            if c == '\\':
                i += 1
            elif line.startswith(q, i):
                state[0] = None
                i += len(q) - 1
        elif c == '#':
            code_end = i
            break
        elif c in '"\'':
            state[0] = c * 3 if line.startswith(c * 3, i) else c
            i += len(state[0]) - 1
        elif c in '([{':
            state[1] += 1
        elif c in ')]}':
            state[1] -= 1
        i += 1
    if state[0] and len(state[0]) == 1:
        state[0] = None  # an unclosed one-quote string ends with its line
    return line[:code_end]


def _statement(code):
    """(name, annotation or None, has_value) for `name: ann`, `name: ann = v`, `name = v`."""
    i = 0
    while i < len(code) and (code[i].isalpha() or code[i].isdigit() or code[i] == '_'):
        i += 1
    name, rest = code[:i], code[i:].strip()
    if not name or name[0].isdigit() or name in _KEYWORDS:
        return None
    if rest.startswith('=') and not rest.startswith('=='):
        return name, None, True
    if not rest.startswith(':'):
        return None
    ann, value, depth = rest[1:], False, 0
    for j, c in enumerate(ann):
        depth += c in '([{'
        depth -= c in ')]}'
        if c == '=' and not depth and ann[j + 1:j + 2] != '=':
            ann, value = ann[:j], True
            break
    ann = ann.strip()
    return (name, ann, value) if ann else None


def declared(cls):
    """[(name, annotation or None, has_value)] in source order, or None without a source."""
    lines = _source(cls)
    if lines is None:
        return None
    head = 'class ' + cls.__name__
    state = [None, 0]
    i = 0
    while i < len(lines):
        in_code = state[0] is None and state[1] == 0
        code = _scan(lines[i], state)
        i += 1
        text = code.lstrip()
        if not (in_code and text.startswith(head) and text[len(head):len(head) + 1] in '(: '):
            continue
        while state[1] > 0 and i < len(lines):  # a header over several lines: `class A(\n Base,\n):`
            _scan(lines[i], state)
            i += 1
        found = _body(lines, i, len(code) - len(text))
        if all(name in cls.__dict__ for name, _, value in found if value):
            return found  # the first class of that name whose assigned names match
    return None


def _body(lines, start, outer):
    found, state, indent = [], [None, 0], None
    for line in lines[start:]:
        in_code = state[0] is None and state[1] == 0
        code = _scan(line, state)
        text = code.strip()
        if not in_code or not text:
            continue
        width = len(code) - len(code.lstrip())
        if width <= outer:
            break
        if indent is None:
            indent = width
        if width == indent:
            item = _statement(text)
            if item:
                found.append(item)
    return found
