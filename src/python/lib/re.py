"""re: CPython's API over the runtime's engine (re1.5, built in as `ure`).

Patterns are translated once (and cached) into what the engine knows: counted repetition
`x{n,m}` is expanded, `(?P<name>...)` becomes a numbered group, IGNORECASE turns letters into
classes, `.` stops at newlines unless DOTALL, VERBOSE drops whitespace and comments, `\\n`
`\\xNN` become the characters. What it cannot express (lookaround, backreferences, `\\B`,
MULTILINE anchors, ...) raises re.error naming the construct: never a different match.
Match positions come from the engine's `match(string, pos)`; a subgroup's span is only
answered when its text occurs once in the whole match.
"""
import ure

I = IGNORECASE = 2
L = LOCALE = 4
M = MULTILINE = 8
S = DOTALL = 16
U = UNICODE = 32
X = VERBOSE = 64
A = ASCII = 256
NOFLAG = 0
_SPECIAL = '.^$*+?()[]{}|\\'
_ESCAPES = {'n': '\n', 't': '\t', 'r': '\r', 'f': '\f', 'v': '\v', 'a': '\a', '0': '\0'}


class error(Exception):
    def __init__(self, msg, pattern=None, pos=None):
        self.msg = msg
        self.pattern = pattern
        self.pos = pos
        super().__init__(msg if pos is None else '%s at position %d' % (msg, pos))


def _lit(c, flags):
    if flags & I and c.isalpha() and c.lower() != c.upper():
        return '[' + c.lower() + c.upper() + ']'
    if ord(c) > 127:
        return '(?:' + c + ')'  # one atom: the engine sees its UTF-8 bytes
    return '\\' + c if c in _SPECIAL else c


def _class_char(c):
    return '\\' + c if c in '\\]-^' else c


def _nocapture(atom):
    out = []
    i = 0
    in_class = False
    while i < len(atom):
        c = atom[i]
        if c == '\\':
            out.append(atom[i:i + 2])
            i += 2
            continue
        if c == '[':
            in_class = True
        elif c == ']':
            in_class = False
        elif c == '(' and not in_class and atom[i + 1:i + 2] != '?':
            out.append('(?:')
            i += 1
            continue
        out.append(c)
        i += 1
    return ''.join(out)


class _Translator:
    def __init__(self, pattern, flags):
        self.p = pattern
        self.flags = flags
        self.i = 0
        self.groups = 0
        self.names = {}

    def fail(self, what):
        raise error(what + ' is not supported by this runtime\'s re', self.p, self.i)

    def escape(self, in_class):
        p = self.p
        c = p[self.i + 1:self.i + 2]
        self.i += 2
        if c == '':
            raise error('bad escape (end of pattern)', p, self.i - 1)
        if c in 'dDwWsS':
            return '\\' + c
        if not in_class and c in 'AZ':
            return '^' if c == 'A' else '$'  # the engine's ^ and $ are the string's ends
        if c in _ESCAPES and not (c == '0' and p[self.i:self.i + 1].isdigit()):
            ch = _ESCAPES[c]
        elif c == 'x' or c == 'u' or c == 'U':
            n = {'x': 2, 'u': 4, 'U': 8}[c]
            digits = p[self.i:self.i + n]
            try:
                ch = chr(int(digits, 16))
            except ValueError:
                raise error('incomplete escape \\' + c + digits, p, self.i - 2)
            self.i += n
        elif c == 'b' and not in_class:
            self.fail('a word boundary \\b')
        elif c == 'b':
            ch = '\b'
        elif c.isdigit():
            self.fail('a backreference (\\' + c + ')')
        elif c.isalpha():
            self.fail('the escape \\' + c)
        else:
            ch = c
        return _class_char(ch) if in_class else _lit(ch, self.flags)

    def char_class(self):
        p = self.p
        start = self.i
        self.i += 1
        out = ['[']
        if p[self.i:self.i + 1] == '^':
            out.append('^')
            self.i += 1
        first = True
        while True:
            if self.i >= len(p):
                raise error('unterminated character set', p, start)
            c = p[self.i]
            if c == ']' and not first:
                self.i += 1
                break
            first = False
            if c == '\\':
                item = self.escape(True)
            else:
                item = _class_char(c) if c != '-' else '-'
                self.i += 1
            if c == '[' and p[self.i:self.i + 1] == ':':
                self.fail('a POSIX class [:...:]')
            if ord(item[-1]) > 127:
                self.fail('a non-ASCII character in a set [...]')
            out.append(item)
            if self.flags & I and len(item) == 1 and item.isalpha():
                other = item.swapcase()
                nxt = p[self.i:self.i + 2]
                if nxt[:1] == '-' and nxt[1:] not in ('', ']') and nxt[1:].isalpha():
                    out.append('-' + nxt[1])
                    self.i += 2
                    out.append(other + '-' + nxt[1].swapcase())
                elif other != item:
                    out.append(other)
        out.append(']')
        return ''.join(out)

    def group_start(self):
        p = self.p
        if p[self.i + 1:self.i + 2] != '?':
            self.i += 1
            self.groups += 1
            return '('
        rest = p[self.i + 2:self.i + 4]
        if rest[:1] == ':':
            self.i += 3
            return '(?:'
        if rest == 'P<':
            end = p.find('>', self.i)
            name = p[self.i + 4:end]
            if end < 0 or not name.isidentifier():
                raise error('bad character in group name', p, self.i + 4)
            if name in self.names:
                raise error('redefinition of group name %r' % name, p, self.i + 4)
            self.groups += 1
            self.names[name] = self.groups
            self.i = end + 1
            return '('
        if rest == 'P=':
            self.fail('a named backreference (?P=...)')
        if rest[:1] in ('=', '!') or rest in ('<=', '<!'):
            self.fail('lookahead/lookbehind (?' + (rest if rest[:1] == '<' else rest[:1]) + '...)')
        if rest[:1] == '#':
            end = p.find(')', self.i)
            self.i = end + 1
            return None
        j = self.i + 2
        while j < len(p) and p[j] in 'aiLmsux':
            j += 1
        if p[j:j + 1] == ')' and j > self.i + 2:
            if self.i != 0 and p[:self.i].strip('()?aiLmsux') != '':
                raise error('global flags not at the start of the expression', p, self.i)
            for f in p[self.i + 2:j]:
                self.flags |= {'i': I, 'm': M, 's': S, 'x': X, 'a': A, 'u': U, 'L': L}[f]
            self.i = j + 1
            return None
        self.fail('the group construct (?' + rest)

    def repeat(self, atom):
        p = self.p
        end = p.find('}', self.i)
        body = p[self.i + 1:end] if end > 0 else ''
        lo, comma, hi = body.partition(',')
        if end < 0 or not (lo.isdigit() or (comma and lo == '')) or not (hi.isdigit() or hi == '') or (not comma and not lo):
            return None
        self.i = end + 1
        lazy = p[self.i:self.i + 1] == '?'
        if lazy:
            self.i += 1
        lo = int(lo or 0)
        hi = int(hi) if hi else (lo if not comma else None)
        if hi is not None and hi < lo:
            raise error('min repeat greater than max repeat', p, self.i)
        if max(lo, hi or 0) > 1000:
            self.fail('a repeat count above 1000')
        if atom is None:
            raise error('nothing to repeat', p, self.i)
        if p[self.i:self.i + 1] == '+':
            self.fail('a possessive repeat')
        plain = _nocapture(atom)
        if plain != atom and (hi is None or hi != lo or lo == 0):
            self.fail('a variable count {n,m} of a group that captures; use (?:...)')
        q = '??' if lazy else '?'
        if hi is None:
            return plain * lo + (plain + ('*?' if lazy else '*'))
        tail = ''
        for _ in range(hi - lo):
            tail = '(?:' + plain + tail + ')' + q
        return (plain * (lo - 1) + atom if lo else '') + tail

    def translate(self):
        p = self.p
        out = []
        atom_at = None
        while self.i < len(p):
            c = p[self.i]
            flags = self.flags
            if flags & X and c in ' \t\n\r\f\v':
                self.i += 1
                continue
            if flags & X and c == '#':
                nl = p.find('\n', self.i)
                self.i = len(p) if nl < 0 else nl + 1
                continue
            if c == '(':
                piece = self.group_start()
                if piece is None:
                    continue
                out.append(piece)
                atom_at = None
                continue
            if c == ')':
                self.i += 1
                depth = 0
                k = len(out) - 1
                while k >= 0:
                    if out[k] in ('(', '(?:'):
                        if depth == 0:
                            break
                        depth -= 1
                    elif out[k] == ')':
                        depth += 1
                    k -= 1
                if k < 0:
                    raise error('unbalanced parenthesis', p, self.i - 1)
                group = ''.join(out[k:]) + ')'
                del out[k:]
                out.append(group)
                atom_at = len(out) - 1
                continue
            if c == '{':
                atom = out[atom_at] if atom_at is not None and atom_at == len(out) - 1 else None
                expanded = self.repeat(atom)
                if expanded is not None:
                    out[-1] = expanded
                    atom_at = None
                    continue
                out.append('{')
                self.i += 1
                atom_at = len(out) - 1
                continue
            if c in '*+?':
                self.i += 1
                if self.p[self.i:self.i + 1] == '?':
                    c += '?'
                    self.i += 1
                elif self.p[self.i:self.i + 1] == '+':
                    self.fail('a possessive repeat')
                if atom_at is None or atom_at != len(out) - 1:
                    raise error('nothing to repeat', p, self.i - 1)
                out[-1] += c
                atom_at = None
                continue
            if c in '^$' and flags & M:
                self.fail('MULTILINE with ^ or $')
            if c == '[':
                out.append(self.char_class())
            elif c == '\\':
                out.append(self.escape(False))
            elif c == '.':
                out.append('.' if flags & S else '[^\n]')
                self.i += 1
            elif c in '^$|':
                out.append(c)
                self.i += 1
                atom_at = None
                continue
            else:
                out.append(_lit(c, flags))
                self.i += 1
                atom_at = len(out) - 1
                continue
            atom_at = len(out) - 1
        if any(x in ('(', '(?:') for x in out):
            raise error('missing ), unterminated subpattern', p, len(p))
        return ''.join(out)


class Match:
    def __init__(self, pattern, m, string, start, pos, endpos):
        self.re = pattern
        self._m = m
        self.string = string
        self.pos = pos
        self.endpos = endpos
        self._start = start
        self._end = start + len(m.group(0))

    def _index(self, g):
        if isinstance(g, str):
            if g not in self.re.groupindex:
                raise IndexError('no such group')
            return self.re.groupindex[g]
        if not 0 <= g <= self.re.groups:
            raise IndexError('no such group')
        return g

    def group(self, *gs):
        if len(gs) > 1:
            return tuple(self.group(g) for g in gs)
        return self._m.group(self._index(gs[0] if gs else 0))

    __getitem__ = group

    def groups(self, default=None):
        m = self._m
        return tuple(default if v is None else v for v in (m.group(i) for i in range(1, self.re.groups + 1)))

    def groupdict(self, default=None):
        m = self._m
        return {name: (default if m.group(i) is None else m.group(i)) for name, i in self.re.groupindex.items()}

    def span(self, g=0):
        i = self._index(g)
        if i == 0:
            return self._start, self._end
        text = self._m.group(i)
        if text is None:
            return -1, -1
        whole = self._m.group(0)
        at = whole.find(text)
        if whole.count(text) != 1 and not (text == whole):
            raise error('the span of group %r is ambiguous in this runtime (its text occurs more than once in the match)' % g)
        return self._start + at, self._start + at + len(text)

    def start(self, g=0):
        return self.span(g)[0]

    def end(self, g=0):
        return self.span(g)[1]

    @property
    def lastindex(self):
        found = [i for i in range(1, self.re.groups + 1) if self._m.group(i) is not None]
        return found[-1] if found else None

    @property
    def lastgroup(self):
        i = self.lastindex
        for name, j in self.re.groupindex.items():
            if j == i:
                return name
        return None

    def expand(self, template):
        return _expand(self, template)

    def __bool__(self):
        return True

    def __repr__(self):
        return '<re.Match object; span=%r, match=%r>' % (self.span(), self.group(0))


def _expand(m, template):
    if isinstance(template, (bytes, bytearray)):
        groups = _Latin1(m)
        return _expand(groups, template.decode('latin-1')).encode('latin-1')
    if '\\' not in template:
        return template
    out = []
    i = 0
    n = len(template)
    while i < n:
        c = template[i]
        if c != '\\' or i + 1 == n:
            out.append(c)
            i += 1
            continue
        d = template[i + 1]
        if d == 'g':
            end = template.find('>', i)
            name = template[i + 3:end]
            ref = int(name) if name.isdigit() else name
            i = end + 1
        elif d.isdigit():
            j = i + 1
            while j < n and j < i + 3 and template[j].isdigit():
                j += 1
            ref = int(template[i + 1:j])
            i = j
        else:
            out.append(_ESCAPES.get(d, '\\' + d))
            i += 2
            continue
        out.append(m.group(ref) or '')
    return ''.join(out)


class _Latin1:
    # A bytes match seen as text, for expanding a bytes template.
    def __init__(self, m):
        self._m = m

    def group(self, g):
        v = self._m.group(g)
        return v.decode('latin-1') if v is not None else None


def _byte_pos(string, pos):
    # The engine takes byte offsets into the UTF-8 text; Python takes character indexes.
    return pos if pos == 0 or isinstance(string, (bytes, bytearray)) else len(string[:pos].encode())


class Pattern:
    def __init__(self, pattern, flags=0):
        if isinstance(pattern, (bytes, bytearray)):
            source = pattern.decode('latin-1')
        else:
            source = pattern
        t = _Translator(source, flags)
        translated = t.translate()
        self.pattern = pattern
        self.flags = t.flags
        self.groups = t.groups
        self.groupindex = t.names
        self._simple = not any(c in translated for c in '*?|^$') and '()' not in translated
        if isinstance(pattern, (bytes, bytearray)):
            translated = translated.encode('latin-1')
        try:
            self._re = ure.compile(translated)
        except Exception as e:
            raise error('the pattern %r is too complex for this runtime\'s re (%s)' % (pattern, e))

    def _at(self, string, pos, endpos, anchored):
        n = len(string)
        pos = max(0, min(pos, n))
        end = n if endpos is None else max(pos, min(endpos, n))
        bpos = _byte_pos(string, pos)
        bend = None if end == n else _byte_pos(string, end)
        r = self._re
        m = r.match(string, bpos, bend) if bend is not None else r.match(string, bpos)
        if m is not None or anchored:
            return m and Match(self, m, string, pos, pos, end)
        m = r.search(string, bpos, bend) if bend is not None else r.search(string, bpos)
        if m is None:
            return None
        text = m.group(0)
        q = string.find(text, pos + 1)
        while q >= 0:
            bq = _byte_pos(string, q)
            found = r.match(string, bq, bend) if bend is not None else r.match(string, bq)
            if found is not None:
                return Match(self, found, string, q, pos, end)
            q = string.find(text, q + 1)
        raise error('internal: could not place a match')

    def match(self, string, pos=0, endpos=None):
        return self._at(string, pos, endpos, True)

    def search(self, string, pos=0, endpos=None):
        return self._at(string, pos, endpos, False)

    def fullmatch(self, string, pos=0, endpos=None):
        end = len(string) if endpos is None else min(endpos, len(string))
        m = self._at(string, pos, endpos, True)
        if m is not None and m._end == end:
            return m
        if m is None or self._simple:
            return None
        # A shorter alternative matched first: anchor the pattern's end.
        return _compile('(?:%s)$' % _source(self.pattern), self.flags).match(string[:end], pos)

    def finditer(self, string, pos=0, endpos=None):
        end = len(string) if endpos is None else min(endpos, len(string))
        while pos <= end:
            m = self._at(string, pos, end, False)
            if m is None:
                return
            yield m
            pos = m._end if m._end > m._start else m._end + 1

    def findall(self, string, pos=0, endpos=None):
        g = self.groups
        out = []
        for m in self.finditer(string, pos, endpos):
            out.append(m.group(0) if g == 0 else m.group(1) or string[:0] if g == 1 else m.groups(string[:0]))
        return out

    def split(self, string, maxsplit=0):
        out = []
        last = 0
        for m in self.finditer(string):
            if maxsplit and len(out) // (self.groups + 1) >= maxsplit:
                break
            out.append(string[last:m._start])
            out.extend(m.groups())
            last = m._end
        out.append(string[last:])
        return out

    def subn(self, repl, string, count=0):
        out = []
        last = 0
        n = 0
        for m in self.finditer(string):
            if count and n >= count:
                break
            out.append(string[last:m._start])
            out.append(repl(m) if callable(repl) else _expand(m, repl))
            last = m._end
            n += 1
        out.append(string[last:])
        return string[:0].join(out), n

    def sub(self, repl, string, count=0):
        # The engine's own sub is right for patterns that never match empty and templates
        # without escapes; everything else goes through finditer.
        if self._simple and not callable(repl) and (b'\\' if isinstance(repl, (bytes, bytearray)) else '\\') not in repl:
            return self._re.sub(repl, string, count)
        return self.subn(repl, string, count)[0]

    def __repr__(self):
        return 're.compile(%r)' % (self.pattern,)


def _source(p):
    return p.decode('latin-1') if isinstance(p, (bytes, bytearray)) else p


_cache = {}


def _compile(pattern, flags=0):
    if isinstance(pattern, Pattern):
        return pattern
    key = (pattern, flags)
    p = _cache.get(key)
    if p is None:
        if len(_cache) > 200:
            _cache.clear()
        p = _cache[key] = Pattern(pattern, flags)
    return p


def compile(pattern, flags=0):
    return _compile(pattern, flags)


def match(pattern, string, flags=0):
    return _compile(pattern, flags).match(string)


def search(pattern, string, flags=0):
    return _compile(pattern, flags).search(string)


def fullmatch(pattern, string, flags=0):
    return _compile(pattern, flags).fullmatch(string)


def findall(pattern, string, flags=0):
    return _compile(pattern, flags).findall(string)


def finditer(pattern, string, flags=0):
    return _compile(pattern, flags).finditer(string)


def split(pattern, string, maxsplit=0, flags=0):
    return _compile(pattern, flags).split(string, maxsplit)


def sub(pattern, repl, string, count=0, flags=0):
    return _compile(pattern, flags).sub(repl, string, count)


def subn(pattern, repl, string, count=0, flags=0):
    return _compile(pattern, flags).subn(repl, string, count)


def escape(pattern):
    if isinstance(pattern, (bytes, bytearray)):
        return escape(pattern.decode('latin-1')).encode('latin-1')
    return ''.join('\\' + c if c in '()[]{}?*+-|^$\\.&~# \t\n\r\v\f' else c for c in pattern)


def purge():
    _cache.clear()
