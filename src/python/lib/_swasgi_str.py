"""The str methods MicroPython leaves out, and `,` grouping for floats in format specs.

MicroPython finds a built-in type's methods in the type's locals dict, whose address is a slot
of the type object. Both live in the wasm's linear memory, which is this interpreter's alone
(one per app), so `patch()` points str's slot at a heap dict holding the original entries plus
these Python functions; the dict is kept alive by this module. `patch()` runs once, at boot,
before any app code, and checks the slot holds str.__dict__ before writing it: on a runtime
with another layout it changes nothing (the error hints then say what to use instead).
"""
import uctypes

_cformat = str.format


def _fill(fillchar):
    if not isinstance(fillchar, str) or len(fillchar) != 1:
        raise TypeError('The fill character must be exactly one character long')
    return fillchar


def title(s):
    out = []
    cased = False
    for c in s:
        if c.isalpha():
            out.append(c.lower() if cased else c.upper())
            cased = True
        else:
            out.append(c)
            cased = False
    return ''.join(out)


def capitalize(s):
    return s[:1].upper() + s[1:].lower()


def swapcase(s):
    return ''.join(c.lower() if c.isupper() else c.upper() for c in s)


def casefold(s):
    return s.lower()


def ljust(s, width, fillchar=' '):
    return s + _fill(fillchar) * (width - len(s))


def rjust(s, width, fillchar=' '):
    return _fill(fillchar) * (width - len(s)) + s


def zfill(s, width):
    sign = s[:1] if s[:1] in ('+', '-') else ''
    return sign + '0' * (width - len(s)) + s[len(sign):]


def removeprefix(s, prefix):
    return s[len(prefix):] if prefix and s.startswith(prefix) else s[:]


def removesuffix(s, suffix):
    return s[:-len(suffix)] if suffix and s.endswith(suffix) else s[:]


def isalnum(s):
    return s != '' and all(c.isalpha() or c.isdigit() for c in s)


def isdecimal(s):
    return s != '' and s.isdigit()


def isascii(s):
    return all(ord(c) < 128 for c in s)


def isidentifier(s):
    return s != '' and not s[0].isdigit() and all(c.isalpha() or c.isdigit() or c == '_' or ord(c) > 127 for c in s)


def isprintable(s):
    return all(c >= ' ' and c != '\x7f' for c in s)


def istitle(s):
    seen = cased = False
    for c in s:
        if c.isupper():
            if cased:
                return False
            seen = cased = True
        elif c.islower():
            if not cased:
                return False
            seen = cased = True
        else:
            cased = False
    return seen


def expandtabs(s, tabsize=8):
    out = []
    col = 0
    for c in s:
        if c == '\t':
            n = tabsize - col % tabsize if tabsize > 0 else 0
            out.append(' ' * n)
            col += n
        else:
            out.append(c)
            col = 0 if c in '\r\n' else col + 1
    return ''.join(out)


def maketrans(x, y=None, z=None):
    if y is None:
        if not isinstance(x, dict):
            raise TypeError('if you give only one argument to maketrans it must be a dict')
        return {(ord(k) if isinstance(k, str) else k): v for k, v in x.items()}
    if len(x) != len(y):
        raise ValueError('the first two maketrans arguments must have equal length')
    table = {ord(a): ord(b) for a, b in zip(x, y)}
    for c in z or '':
        table[ord(c)] = None
    return table


def translate(s, table):
    out = []
    for c in s:
        try:
            v = table[ord(c)]
        except LookupError:
            out.append(c)
            continue
        if v is not None:
            out.append(chr(v) if isinstance(v, int) else v)
    return ''.join(out)


def _group(digits, sep):
    head = len(digits) % 3 or 3
    return digits[:head] + ''.join(sep + digits[i:i + 3] for i in range(head, len(digits), 3))


def format_value(value, spec):
    """format(value, spec), with `,`/`_` grouping for floats, which the port drops silently."""
    custom = getattr(type(value), '__format__', None)
    if custom is not None and not isinstance(value, (int, float, str)):
        return custom(value, spec)
    sep = ',' if ',' in spec else '_' if '_' in spec else ''
    if not sep or not isinstance(value, float):
        return _cformat('{:' + spec + '}', value) if spec else str(value)
    spec = spec.replace(sep, '')
    # [[fill]align][sign][#][0][width][.precision][type]: number first, padding after.
    i = 2 if len(spec) > 1 and spec[1] in '<>=^' else 1 if spec and spec[0] in '<>=^' else 0
    fill, align = (spec[0] if i == 2 else ' '), (spec[i - 1] if i else '>')
    rest = spec[i:]
    sign = rest[0] if rest and rest[0] in '+- ' else ''
    rest = rest[len(sign):]
    zero = rest[:1] == '0'
    if zero and not i:
        fill, align = '0', '='
    digits = 0
    while digits < len(rest) and rest[digits].isdigit():
        digits += 1
    width = int(rest[:digits]) if digits else 0
    kind = rest[digits:]
    text = _cformat('{:' + sign + kind + '}', value) if kind else (sign if value >= 0 and sign != '-' else '') + repr(value)
    neg = text[:1] in ('+', '-', ' ')
    head, body = (text[0], text[1:]) if neg else ('', text)
    whole = 0
    while whole < len(body) and body[whole].isdigit():
        whole += 1
    if zero and align == '=' and fill == '0':
        need = width - len(head) - (len(body) - whole)
        digits_only = body[:whole]
        while len(_group(digits_only, sep)) < need:
            digits_only = '0' + digits_only
        body = _group(digits_only, sep) + body[whole:]
        return head + body
    text = head + _group(body[:whole], sep) + body[whole:]
    pad = width - len(text)
    if pad <= 0:
        return text
    if align == '<':
        return text + fill * pad
    if align == '^':
        return fill * (pad // 2) + text + fill * (pad - pad // 2)
    if align == '=':
        return head + fill * pad + text[len(head):]
    return fill * pad + text


def _field_value(name, args, kwargs, auto):
    first = name
    for i, c in enumerate(name):
        if c in '.[':
            first = name[:i]
            break
    if first == '':
        obj = args[auto[0]]
        auto[0] += 1
    elif first.isdigit():
        obj = args[int(first)]
    else:
        obj = kwargs[first]
    rest = name[len(first):]
    while rest:
        if rest[0] == '.':
            end = len(rest)
            for j in range(1, len(rest)):
                if rest[j] in '.[':
                    end = j
                    break
            obj = getattr(obj, rest[1:end])
        else:
            end = rest.index(']') + 1
            key = rest[1:end - 1]
            obj = obj[int(key)] if key.isdigit() else obj[key]
        rest = rest[end:]
    return obj


def vformat(template, args, kwargs, auto=None):
    out = []
    auto = auto or [0]
    i = 0
    n = len(template)
    while i < n:
        c = template[i]
        if c == '}':
            if template[i + 1:i + 2] != '}':
                raise ValueError("Single '}' encountered in format string")
            out.append('}')
            i += 2
            continue
        if c != '{':
            j = i
            while j < n and template[j] not in '{}':
                j += 1
            out.append(template[i:j])
            i = j
            continue
        if template[i + 1:i + 2] == '{':
            out.append('{')
            i += 2
            continue
        depth = 1
        j = i + 1
        while j < n and depth:
            depth += {'{': 1, '}': -1}.get(template[j], 0)
            j += 1
        if depth:
            raise ValueError("expected '}' before end of string")
        field = template[i + 1:j - 1]
        i = j
        spec = ''
        colon = field.find(':')
        if colon >= 0:
            field, spec = field[:colon], field[colon + 1:]
            if '{' in spec:
                spec = vformat(spec, args, kwargs, auto)
        conversion = None
        if '!' in field:
            field, conversion = field.split('!', 1)
        value = _field_value(field, args, kwargs, auto)
        if conversion == 'r':
            value = repr(value)
        elif conversion == 's':
            value = str(value)
        out.append(format_value(value, spec))
    return ''.join(out)


def format(s, *args, **kwargs):
    # The C formatter, unless a spec may group digits (it drops `,` for floats silently) or
    # it refuses what CPython does (`{0.attr}`, `__format__` as datetime's `{:%Y}`).
    if ':' in s and (',' in s or '_' in s):
        return vformat(s, args, kwargs)
    try:
        return _cformat(s, *args, **kwargs)
    except (ValueError, TypeError, NotImplementedError):
        if '{' not in s:
            raise
    return vformat(s, args, kwargs)


def format_map(s, mapping):
    return vformat(s, (), mapping)


METHODS = (title, capitalize, swapcase, casefold, ljust, rjust, zfill, removeprefix, removesuffix, isalnum,
           isdecimal, isascii, isidentifier, isprintable, istitle, expandtabs, translate, format, format_map)
_keep = []


def extend_type(types, extra):
    """Points each built-in type's locals slot at one heap dict: its methods plus `extra`.

    The types must share one locals dict (str alone; dict and OrderedDict). Answers whether it could.
    """
    original = types[0].__dict__
    cells = []
    for t in types:
        base = id(t)
        slot = uctypes.bytearray_at(base, 20)[19]
        if not slot:
            return False
        cell = uctypes.bytearray_at(base + 20 + 4 * (slot - 1), 4)
        if int.from_bytes(cell, 'little') != id(original):
            return False
        cells.append(cell)
    table = dict(original)
    table.update(extra)
    # The type's slot is no GC root: keep the table reachable from the VM's builtins too, so
    # dropping this module from sys.modules cannot free it under the type.
    _keep.append(table)
    import builtins
    builtins.__swasgi_type_tables__ = _keep
    for cell in cells:
        cell[:] = id(table).to_bytes(4, 'little')
    return True


def _move_to_end(d, key, last=True):
    value = d.pop(key)
    if last:
        d[key] = value
        return
    rest = list(d.items())
    d.clear()
    d[key] = value
    for k, v in rest:
        d[k] = v


def patch():
    """Gives str the methods above, and OrderedDict move_to_end (dict shares its table)."""
    methods = {fn.__name__: fn for fn in METHODS}
    methods['isnumeric'] = isdecimal
    methods['maketrans'] = staticmethod(maketrans)
    done = extend_type((str,), methods)
    from ucollections import OrderedDict
    return extend_type((dict, OrderedDict), {'move_to_end': _move_to_end}) and done
