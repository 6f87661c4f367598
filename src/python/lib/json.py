"""json: the runtime's C json, plus CPython's indent=, sort_keys=, default=, ensure_ascii=, skipkeys=.

`dumps(obj)` (and `separators=` alone) go straight to the C encoder, which writes non-ASCII
text as UTF-8 (CPython escapes it unless ensure_ascii=False): pass ensure_ascii=True for
CPython's escapes. The decoder is the C one; it raises ValueError, so JSONDecodeError is
ValueError here.
"""
from ujson import loads, load, dumps as _dumps

JSONDecodeError = ValueError


def dumps(obj, *, skipkeys=False, ensure_ascii=False, check_circular=True, allow_nan=True, cls=None, indent=None,
          separators=None, default=None, sort_keys=False, **kw):
    if indent is None and default is None and not (sort_keys or ensure_ascii or skipkeys or cls):
        return _dumps(obj, separators=separators) if separators else _dumps(obj)
    if cls is not None:
        return cls(skipkeys=skipkeys, ensure_ascii=ensure_ascii, indent=indent, separators=separators,
                   default=default, sort_keys=sort_keys, **kw).encode(obj)
    if isinstance(indent, int):
        indent = ' ' * indent
    item, colon = separators or ((',', ': ') if indent is not None else (', ', ': '))
    out = []
    _encode(obj, out, indent, '\n', item, colon, default, sort_keys, ensure_ascii, skipkeys, [])
    return ''.join(out)


def dump(obj, fp, **kw):
    fp.write(dumps(obj, **kw))


def _string(s, ensure_ascii):
    text = _dumps(s)
    if not ensure_ascii:
        return text
    out = []
    for c in text:
        n = ord(c)
        if n < 128:
            out.append(c)
        elif n < 0x10000:
            out.append('\\u%04x' % n)
        else:
            n -= 0x10000
            out.append('\\u%04x\\u%04x' % (0xd800 | n >> 10, 0xdc00 | n & 0x3ff))
    return ''.join(out)


def _key(k, skipkeys):
    if isinstance(k, str):
        return k
    if k is True or k is False or k is None:
        return _dumps(k)
    if isinstance(k, (int, float)):
        return _dumps(k)
    if skipkeys:
        return None
    raise TypeError('keys must be str, int, float, bool or None, not ' + type(k).__name__)


def _encode(o, out, indent, nl, item, colon, default, sort_keys, ensure_ascii, skipkeys, stack):
    if isinstance(o, str):
        out.append(_string(o, ensure_ascii))
    elif o is None or o is True or o is False or isinstance(o, (int, float)):
        out.append(_dumps(o))
    elif isinstance(o, (list, tuple, dict)):
        for seen in stack:
            if seen is o:
                raise ValueError('Circular reference detected')
        stack.append(o)
        inner = nl + indent if indent is not None else ''
        if isinstance(o, dict):
            pairs = [(k, v) for k, v in ((_key(k, skipkeys), v) for k, v in o.items()) if k is not None]
            if sort_keys:
                pairs.sort(key=lambda kv: kv[0])
            if not pairs:
                out.append('{}')
            else:
                out.append('{')
                for i, (k, v) in enumerate(pairs):
                    out.append((item if i else '') + inner)
                    out.append(_string(k, ensure_ascii) + colon)
                    _encode(v, out, indent, inner, item, colon, default, sort_keys, ensure_ascii, skipkeys, stack)
                out.append((nl if indent is not None else '') + '}')
        elif not o:
            out.append('[]')
        else:
            out.append('[')
            for i, v in enumerate(o):
                out.append((item if i else '') + inner)
                _encode(v, out, indent, inner, item, colon, default, sort_keys, ensure_ascii, skipkeys, stack)
            out.append((nl if indent is not None else '') + ']')
        stack.pop()
    elif default is not None:
        _encode(default(o), out, indent, nl, item, colon, default, sort_keys, ensure_ascii, skipkeys, stack)
    else:
        raise TypeError('Object of type %s is not JSON serializable' % type(o).__name__)


class JSONEncoder:
    def __init__(self, *, skipkeys=False, ensure_ascii=False, check_circular=True, allow_nan=True, sort_keys=False,
                 indent=None, separators=None, default=None):
        self.skipkeys = skipkeys
        self.ensure_ascii = ensure_ascii
        self.sort_keys = sort_keys
        self.indent = indent
        self.separators = separators
        if default is not None:
            self.default = default

    def default(self, o):
        raise TypeError('Object of type %s is not JSON serializable' % type(o).__name__)

    def encode(self, o):
        return dumps(o, skipkeys=self.skipkeys, ensure_ascii=self.ensure_ascii, indent=self.indent,
                     separators=self.separators, default=self.default, sort_keys=self.sort_keys)
