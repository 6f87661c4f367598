"""The common part of CPython's urllib.parse, for MicroPython (which has no urllib).

Written to give the same answers as CPython 3.11 for str input: quoting, unquoting, query
strings, and splitting, unsplitting and joining URLs. Differences, kept on purpose:
- only UTF-8 (MicroPython's codecs know nothing else); `encoding` must name UTF-8;
- urlsplit/urlparse take str only; bracketed hosts are checked for balance, not parsed
  (CPython also validates the IPv6 address) and netlocs are not NFKC-checked;
- parse_qs/parse_qsl accept bytes and answer bytes encoded as UTF-8 (CPython raises for
  non-ASCII results).
"""
from collections import namedtuple

__all__ = [
    'quote', 'quote_plus', 'quote_from_bytes', 'unquote', 'unquote_plus', 'unquote_to_bytes',
    'urlencode', 'parse_qs', 'parse_qsl', 'urlsplit', 'urlparse', 'urlunsplit', 'urlunparse',
    'urljoin', 'urldefrag', 'SplitResult', 'ParseResult',
]

uses_relative = ['', 'ftp', 'http', 'gopher', 'nntp', 'imap', 'wais', 'file', 'https', 'shttp',
                 'mms', 'prospero', 'rtsp', 'rtsps', 'rtspu', 'sftp', 'svn', 'svn+ssh', 'ws', 'wss']
uses_netloc = ['', 'ftp', 'http', 'gopher', 'nntp', 'telnet', 'imap', 'wais', 'file', 'mms',
               'https', 'shttp', 'snews', 'prospero', 'rtsp', 'rtsps', 'rtspu', 'rsync', 'svn',
               'svn+ssh', 'sftp', 'nfs', 'git', 'git+ssh', 'ws', 'wss']
uses_params = ['', 'ftp', 'hdl', 'prospero', 'http', 'imap', 'https', 'shttp', 'rtsp', 'rtsps',
               'rtspu', 'sip', 'sips', 'mms', 'sftp', 'tel']
scheme_chars = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-.'

# Leading C0 controls and space are stripped from URLs, tab and newlines removed (WHATWG).
_C0_CONTROL_OR_SPACE = ''.join(chr(i) for i in range(0x21))
_UNSAFE_URL_CHARS = ('\t', '\r', '\n')
_ALWAYS_SAFE = frozenset(b'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~')
_HEX = '0123456789ABCDEFabcdef'


def _check_encoding(encoding):
    if encoding is not None and encoding.lower().replace('_', '-') not in ('utf-8', 'utf8'):
        raise LookupError('unknown encoding: ' + encoding + ' (only UTF-8 is available)')


def _decode_utf8(data, errors='strict'):
    """bytes -> str as CPython's UTF-8 codec does, with errors 'strict', 'replace' or 'ignore'.

    MicroPython's bytes.decode only knows 'strict' and is laxer than CPython about what is
    valid, so each invalid sequence is found here: one U+FFFD per maximal invalid subpart
    (Unicode's recommended practice, which CPython follows).
    """
    out = []
    start = i = 0
    n = len(data)
    while i < n:
        b = data[i]
        if b < 0x80:
            i += 1
            continue
        need, lo, hi = 0, 0x80, 0xBF
        if 0xC2 <= b <= 0xDF:
            need = 1
        elif 0xE0 <= b <= 0xEF:
            need = 2
            if b == 0xE0:
                lo = 0xA0  # no overlong forms
            elif b == 0xED:
                hi = 0x9F  # no surrogates
        elif 0xF0 <= b <= 0xF4:
            need = 3
            if b == 0xF0:
                lo = 0x90
            elif b == 0xF4:
                hi = 0x8F  # nothing above U+10FFFF
        j = i + 1
        if need and j < n and lo <= data[j] <= hi:
            j += 1
            got = 1
            while got < need and j < n and 0x80 <= data[j] <= 0xBF:
                j += 1
                got += 1
            if got == need:
                i = j
                continue
        if errors == 'strict':
            raise UnicodeError("'utf-8' codec can't decode byte 0x%02x in position %d" % (b, i))
        out.append(bytes(data[start:i]).decode())
        if errors == 'replace':
            out.append('\ufffd')
        elif errors != 'ignore':
            raise LookupError('unknown error handler name ' + repr(errors))
        start = i = j
    out.append(bytes(data[start:]).decode())
    return ''.join(out)


def _safe_bytes(safe):
    # CPython drops non-ASCII characters from `safe`: they are always quoted.
    if isinstance(safe, str):
        return [ord(c) for c in safe if ord(c) < 128]
    return [c for c in safe if c < 128]


def quote_from_bytes(bs, safe='/'):
    """Like quote(), but accepts only bytes."""
    if not isinstance(bs, (bytes, bytearray)):
        raise TypeError('quote_from_bytes() expected bytes')
    if not bs:
        return ''
    ok = _ALWAYS_SAFE.union(_safe_bytes(safe))
    return ''.join(chr(b) if b in ok else '%%%02X' % b for b in bs)


def quote(string, safe='/', encoding=None, errors=None):
    """Percent-encodes everything but ASCII letters, digits, '_.-~' and `safe`.

    >>> quote('/a b/ü')
    '/a%20b/%C3%BC'
    """
    if isinstance(string, str):
        if not string:
            return string
        _check_encoding(encoding)
        string = string.encode()
    elif encoding is not None:
        raise TypeError("quote() doesn't support 'encoding' for bytes")
    elif errors is not None:
        raise TypeError("quote() doesn't support 'errors' for bytes")
    return quote_from_bytes(string, safe)


def quote_plus(string, safe='', encoding=None, errors=None):
    """Like quote(), but spaces become '+' (HTML form encoding) and '/' is quoted too."""
    if (isinstance(string, str) and ' ' not in string) or \
            (isinstance(string, (bytes, bytearray)) and b' ' not in string):
        return quote(string, safe, encoding, errors)
    space = ' ' if isinstance(safe, str) else b' '
    return quote(string, safe + space, encoding, errors).replace(' ', '+')


def unquote_to_bytes(string):
    """'%41b%' -> b'Ab%': decodes %XX escapes; invalid escapes stay as they are."""
    if isinstance(string, str):
        string = string.encode()
    parts = bytes(string).split(b'%')
    out = [parts[0]]
    for part in parts[1:]:
        if len(part) >= 2 and chr(part[0]) in _HEX and chr(part[1]) in _HEX:
            out.append(bytes([int(part[:2].decode(), 16)]))
            out.append(part[2:])
        else:
            out.append(b'%')
            out.append(part)
    return b''.join(out)


# '%XX' escapes by their two hex digits, in either case: one dict lookup instead of two tests
# and an int() per escape.
_HEX_BYTE = {a + b: int(a + b, 16) for a in _HEX for b in _HEX}
# Decoded runs of non-ASCII escapes ('%C3%A9'), which forms repeat: bounded, cleared when full.
_RUNS = {}


def _decode_run(pending, errors):
    key = bytes(pending)
    if errors != 'replace':
        return _decode_utf8(key, errors)
    text = _RUNS.get(key)
    if text is None:
        text = _decode_utf8(key, errors)
        if len(_RUNS) >= 512:
            _RUNS.clear()
        _RUNS[key] = text
    return text


def unquote(string, encoding='utf-8', errors='replace'):
    """Decodes %XX escapes as UTF-8; invalid sequences become U+FFFD by default.

    >>> unquote('caf%C3%A9%20au%20lait')
    'café au lait'
    """
    if isinstance(string, (bytes, bytearray)):
        return _decode_utf8(unquote_to_bytes(string), errors or 'replace')
    if '%' not in string:
        return string
    if encoding != 'utf-8':
        _check_encoding(encoding)
    errors = errors or 'replace'
    parts = string.split('%')
    out = [parts[0]]
    pending = None  # bytes of consecutive non-ASCII escapes, decoded together
    for part in parts[1:]:
        byte = _HEX_BYTE.get(part[:2])
        if byte is None:
            rest = '%' + part
        elif byte < 0x80 and pending is None:
            out.append(chr(byte))
            rest = part[2:]
        else:
            if pending is None:
                pending = bytearray()
            pending.append(byte)
            rest = part[2:]
        if rest:
            if pending is not None:
                out.append(_decode_run(pending, errors))
                pending = None
            out.append(rest)
    if pending is not None:
        out.append(_decode_run(pending, errors))
    return ''.join(out)


def unquote_plus(string, encoding='utf-8', errors='replace'):
    """Like unquote(), and '+' means a space (HTML form encoding)."""
    return unquote(string.replace('+', ' '), encoding, errors)


def urlencode(query, doseq=False, safe='', encoding=None, errors=None, quote_via=quote_plus):
    """A mapping or a sequence of pairs -> 'a=1&b=x+y'. With doseq, sequence values repeat the key.

    >>> urlencode({'q': 'a b', 'tag': ['x', 'y']}, doseq=True)
    'q=a+b&tag=x&tag=y'
    """
    if hasattr(query, 'items'):
        query = query.items()
    else:
        try:
            if len(query) and not isinstance(query[0], tuple):
                raise TypeError
        except TypeError:
            raise TypeError('not a valid non-string sequence or mapping object')

    def one(value):
        if isinstance(value, (bytes, bytearray)):
            return quote_via(value, safe)
        return quote_via(str(value), safe, encoding, errors)

    parts = []
    for k, v in query:
        k = one(k)
        if not doseq or isinstance(v, (str, bytes, bytearray)):
            parts.append(k + '=' + one(v))
            continue
        try:
            len(v)
        except TypeError:
            parts.append(k + '=' + one(v))
            continue
        for item in v:
            parts.append(k + '=' + one(item))
    return '&'.join(parts)


def parse_qsl(qs, keep_blank_values=False, strict_parsing=False, encoding='utf-8',
              errors='replace', max_num_fields=None, separator='&'):
    """'a=1&b=x+y&a=2' -> [('a', '1'), ('b', 'x y'), ('a', '2')], in order.

    Blank values ('a=' or a bare 'a') are dropped unless keep_blank_values.
    """
    as_bytes = isinstance(qs, (bytes, bytearray))
    if as_bytes:
        qs = _decode_utf8(qs, 'replace')
    if isinstance(separator, (bytes, bytearray)):
        separator = bytes(separator).decode()
    if not separator or not isinstance(separator, str):
        raise ValueError('Separator must be of type string or bytes.')
    if max_num_fields is not None:
        fields = 1 + qs.count(separator) if qs else 0
        if max_num_fields < fields:
            raise ValueError('Max number of fields exceeded')
    if not qs:
        return []
    # '+' means a space in names and values alike: replaced once, not per field.
    plus = '+' not in separator and '+' in qs
    if plus:
        qs = qs.replace('+', ' ')
    pairs = []
    for field in qs.split(separator):
        if not field and not strict_parsing:
            continue
        eq = field.find('=')
        if eq < 0:
            if strict_parsing:
                raise ValueError('bad query field: %r' % (field.replace(' ', '+') if plus else field,))
            if not keep_blank_values:
                continue
            name, value = field, ''
        else:
            name, value = field[:eq], field[eq + 1:]
        if value or keep_blank_values:
            if not plus:
                name, value = name.replace('+', ' '), value.replace('+', ' ')
            if '%' in name:
                name = unquote(name, encoding, errors)
            if '%' in value:
                value = unquote(value, encoding, errors)
            if as_bytes:
                name, value = name.encode(), value.encode()
            pairs.append((name, value))
    return pairs


def parse_qs(qs, keep_blank_values=False, strict_parsing=False, encoding='utf-8',
             errors='replace', max_num_fields=None, separator='&'):
    """'a=1&b=2&a=3' -> {'a': ['1', '3'], 'b': ['2']}."""
    result = {}
    for name, value in parse_qsl(qs, keep_blank_values, strict_parsing, encoding, errors,
                                 max_num_fields, separator):
        if name in result:
            result[name].append(value)
        else:
            result[name] = [value]
    return result


class _NetlocMixin:
    """username, password, hostname and port, read from netloc as CPython does."""

    @property
    def username(self):
        return self._userinfo[0]

    @property
    def password(self):
        return self._userinfo[1]

    @property
    def hostname(self):
        host = self._hostinfo[0]
        if not host:
            return None
        host, percent, zone = host.partition('%')  # an IPv6 zone keeps its case
        return host.lower() + percent + zone

    @property
    def port(self):
        port = self._hostinfo[1]
        if port is None:
            return None
        if not (port.isdigit() and all(ord(c) < 128 for c in port)):
            raise ValueError('Port could not be cast to integer value as ' + repr(port))
        port = int(port)
        if not 0 <= port <= 65535:
            raise ValueError('Port out of range 0-65535')
        return port

    @property
    def _userinfo(self):
        userinfo, have_info, _ = self.netloc.rpartition('@')
        if not have_info:
            return None, None
        username, have_password, password = userinfo.partition(':')
        return username, (password if have_password else None)

    @property
    def _hostinfo(self):
        hostinfo = self.netloc.rpartition('@')[2]
        _, have_open_br, bracketed = hostinfo.partition('[')
        if have_open_br:
            hostname, _, port = bracketed.partition(']')
            port = port.partition(':')[2]
        else:
            hostname, _, port = hostinfo.partition(':')
        return hostname, (port or None)

    def _replace(self, **changes):
        # MicroPython's namedtuple has no _replace; CPython code uses it to edit URLs.
        return type(self)(*[changes.pop(f, v) for f, v in zip(self._fields, self)])


class SplitResult(namedtuple('SplitResult', ('scheme', 'netloc', 'path', 'query', 'fragment')),
                  _NetlocMixin):
    _fields = ('scheme', 'netloc', 'path', 'query', 'fragment')

    def geturl(self):
        return urlunsplit(self)


class ParseResult(namedtuple('ParseResult',
                             ('scheme', 'netloc', 'path', 'params', 'query', 'fragment')),
                  _NetlocMixin):
    _fields = ('scheme', 'netloc', 'path', 'params', 'query', 'fragment')

    def geturl(self):
        return urlunparse(self)


def _splitnetloc(url, start=0):
    end = len(url)
    for c in '/?#':
        i = url.find(c, start)
        if i >= 0:
            end = min(end, i)
    return url[start:end], url[end:]


def urlsplit(url, scheme='', allow_fragments=True):
    """'http://h:8/p?q#f' -> SplitResult(scheme='http', netloc='h:8', path='/p', query='q', fragment='f')."""
    url = url.lstrip(_C0_CONTROL_OR_SPACE)
    scheme = scheme.strip(_C0_CONTROL_OR_SPACE)
    for c in _UNSAFE_URL_CHARS:
        url = url.replace(c, '')
        scheme = scheme.replace(c, '')
    netloc = query = fragment = ''
    i = url.find(':')
    if i > 0 and url[0] in scheme_chars[:52]:
        for c in url[:i]:
            if c not in scheme_chars:
                break
        else:
            scheme, url = url[:i].lower(), url[i + 1:]
    if url[:2] == '//':
        netloc, url = _splitnetloc(url, 2)
        if ('[' in netloc) != (']' in netloc):
            raise ValueError('Invalid IPv6 URL')
    if allow_fragments and '#' in url:
        url, fragment = url.split('#', 1)
    if '?' in url:
        url, query = url.split('?', 1)
    return SplitResult(scheme, netloc, url, query, fragment)


def urlparse(url, scheme='', allow_fragments=True):
    """urlsplit, plus ';params' of the last path segment for schemes that use them."""
    scheme, netloc, url, query, fragment = urlsplit(url, scheme, allow_fragments)
    params = ''
    if scheme in uses_params and ';' in url:
        i = url.find(';', url.rfind('/')) if '/' in url else url.find(';')
        if i >= 0:
            url, params = url[:i], url[i + 1:]
    return ParseResult(scheme, netloc, url, params, query, fragment)


def urlunsplit(components):
    """The inverse of urlsplit (up to redundant delimiters such as an empty '?')."""
    scheme, netloc, url, query, fragment = components
    if netloc or (scheme and scheme in uses_netloc and url[:2] != '//'):
        if url and url[:1] != '/':
            url = '/' + url
        url = '//' + (netloc or '') + url
    if scheme:
        url = scheme + ':' + url
    if query:
        url = url + '?' + query
    if fragment:
        url = url + '#' + fragment
    return url


def urlunparse(components):
    """The inverse of urlparse."""
    scheme, netloc, url, params, query, fragment = components
    if params:
        url = url + ';' + params
    return urlunsplit((scheme, netloc, url, query, fragment))


def urljoin(base, url, allow_fragments=True):
    """Resolves `url` against `base` (RFC 3986, as CPython does).

    >>> urljoin('http://h/a/b/c', '../d?x=1')
    'http://h/a/d?x=1'
    """
    if not base:
        return url
    if not url:
        return base
    bscheme, bnetloc, bpath, bparams, bquery, bfragment = urlparse(base, '', allow_fragments)
    scheme, netloc, path, params, query, fragment = urlparse(url, bscheme, allow_fragments)
    if scheme != bscheme or scheme not in uses_relative:
        return url
    if scheme in uses_netloc:
        if netloc:
            return urlunparse((scheme, netloc, path, params, query, fragment))
        netloc = bnetloc
    if not path and not params:
        return urlunparse((scheme, netloc, bpath, bparams, query or bquery, fragment))

    base_parts = bpath.split('/')
    if base_parts[-1] != '':
        del base_parts[-1]  # the last segment is a file, not a directory
    if path[:1] == '/':
        segments = path.split('/')
    else:
        segments = base_parts + path.split('/')
        # drop empty inner segments, which would make '//' when joined
        segments = segments[:1] + [s for s in segments[1:-1] if s] + segments[-1:]
    resolved = []
    for seg in segments:
        if seg == '..':
            if resolved:
                resolved.pop()
        elif seg != '.':
            resolved.append(seg)
    if segments[-1] in ('.', '..'):
        resolved.append('')  # a trailing dot segment names a directory
    return urlunparse((scheme, netloc, '/'.join(resolved) or '/', params, query, fragment))


def urldefrag(url):
    """'http://h/p#frag' -> ('http://h/p', 'frag')."""
    if '#' not in url:
        return url, ''
    s, n, p, a, q, frag = urlparse(url)
    return urlunparse((s, n, p, a, q, '')), frag
