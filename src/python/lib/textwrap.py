"""CPython's textwrap: wrap, fill, shorten, dedent, indent and TextWrapper."""


_SPACE = '\t\n\x0b\x0c\r '  # CPython's textwrap splits on ASCII whitespace only


def _expand_tabs(text, size):
    if '\t' not in text:
        return text
    lines = []
    for line in text.split('\n'):
        out = ''
        for i, piece in enumerate(line.split('\t')):
            if i:
                out += ' ' * (size - len(out) % size if size > 0 else 0)
            out += piece
        lines.append(out)
    return '\n'.join(lines)


class TextWrapper:
    def __init__(self, width=70, initial_indent='', subsequent_indent='', expand_tabs=True,
                 replace_whitespace=True, fix_sentence_endings=False, break_long_words=True,
                 drop_whitespace=True, break_on_hyphens=True, tabsize=8, *, max_lines=None,
                 placeholder=' [...]'):
        self.width = width
        self.initial_indent = initial_indent
        self.subsequent_indent = subsequent_indent
        self.expand_tabs = expand_tabs
        self.replace_whitespace = replace_whitespace
        self.fix_sentence_endings = fix_sentence_endings
        self.break_long_words = break_long_words
        self.drop_whitespace = drop_whitespace
        self.break_on_hyphens = break_on_hyphens
        self.tabsize = tabsize
        self.max_lines = max_lines
        self.placeholder = placeholder

    def _chunks(self, text):
        if self.expand_tabs:
            text = _expand_tabs(text, self.tabsize)
        if self.replace_whitespace:
            for c in '\t\n\x0b\x0c\r':
                text = text.replace(c, ' ')
        if any(c in text for c in _SPACE[:-1]):
            chunks, start = [], 0  # whitespace other than ' ' left: a character at a time
            for i in range(1, len(text) + 1):
                if i == len(text) or (text[i] in _SPACE) != (text[i - 1] in _SPACE):
                    chunks.append(text[start:i])
                    start = i
        else:
            chunks, run = [], 0  # only spaces: split on them, keeping each run of spaces as a chunk
            for i, word in enumerate(text.split(' ')):
                run += 1 if i else 0
                if word:
                    if run:
                        chunks.append(' ' * run)
                        run = 0
                    chunks.append(word)
            if run:
                chunks.append(' ' * run)
        if not self.break_on_hyphens:
            return chunks
        out = []
        for chunk in chunks:
            if '-' not in chunk:
                out.append(chunk)
                continue
            # "well-known" breaks after its hyphen; "--flag" and "a-" do not
            begin = 0
            for i in range(1, len(chunk) - 1):
                if chunk[i] == '-' and chunk[i - 1].isalpha() and chunk[i + 1].isalpha():
                    out.append(chunk[begin:i + 1])
                    begin = i + 1
            out.append(chunk[begin:])
        return out

    def _long_word(self, chunks, line, used, width):
        space = max(width - used, 1)
        if self.break_long_words:
            chunk, end = chunks[-1], space
            if self.break_on_hyphens and len(chunk) > space:
                hyphen = chunk.rfind('-', 0, space)
                if hyphen > 0 and chunk[:hyphen].strip('-'):
                    end = hyphen + 1
            line.append(chunk[:end])
            chunks[-1] = chunk[end:]
        elif not line:
            line.append(chunks.pop())

    def wrap(self, text):
        if self.width <= 0:
            raise ValueError('invalid width %r (must be > 0)' % self.width)
        if self.max_lines is not None:
            indent = self.subsequent_indent if self.max_lines > 1 else self.initial_indent
            if len(indent) + len(self.placeholder.lstrip()) > self.width:
                raise ValueError('placeholder too large for max width')
        chunks = self._chunks(text)[::-1]
        lines = []
        while chunks:
            indent = self.subsequent_indent if lines else self.initial_indent
            width = self.width - len(indent)
            if self.drop_whitespace and lines and not chunks[-1].strip():
                chunks.pop()
            line, used = [], 0
            while chunks and used + len(chunks[-1]) <= width:
                used += len(chunks[-1])
                line.append(chunks.pop())
            if chunks and len(chunks[-1]) > width:
                self._long_word(chunks, line, used, width)
                used = sum(len(c) for c in line)
            if self.drop_whitespace and line and not line[-1].strip():
                used -= len(line.pop())
            if not line:
                continue
            rest_empty = not chunks or (self.drop_whitespace and len(chunks) == 1 and not chunks[0].strip())
            if self.max_lines is None or len(lines) + 1 < self.max_lines or (rest_empty and used <= width):
                lines.append(indent + ''.join(line))
                continue
            while line:  # the last line allowed: end it with the placeholder
                if line[-1].strip() and used + len(self.placeholder) <= width:
                    lines.append(indent + ''.join(line) + self.placeholder)
                    return lines
                used -= len(line.pop())
            if lines and len(lines[-1].rstrip()) + len(self.placeholder) <= self.width:
                lines[-1] = lines[-1].rstrip() + self.placeholder
            else:
                lines.append(indent + self.placeholder.lstrip())
            return lines
        return lines

    def fill(self, text):
        return '\n'.join(self.wrap(text))


def wrap(text, width=70, **kwargs):
    return TextWrapper(width=width, **kwargs).wrap(text)


def fill(text, width=70, **kwargs):
    return TextWrapper(width=width, **kwargs).fill(text)


def shorten(text, width, **kwargs):
    return TextWrapper(width=width, max_lines=1, **kwargs).fill(' '.join(text.strip().split()))


def dedent(text):
    lines = text.split('\n')
    margin = None
    for line in lines:
        stripped = line.lstrip(' \t')
        if not stripped:
            continue
        lead = line[:len(line) - len(stripped)]
        if margin is None:
            margin = lead
        else:
            n = 0
            while n < len(margin) and n < len(lead) and margin[n] == lead[n]:
                n += 1
            margin = margin[:n]
    return '\n'.join('' if not line.strip(' \t') else line[len(margin or ''):] for line in lines)


def indent(text, prefix, predicate=None):
    out, start = [], 0
    for i, c in enumerate(text):
        if c == '\n':
            out.append(text[start:i + 1])
            start = i + 1
    if start < len(text):
        out.append(text[start:])
    keep = predicate or (lambda line: line.strip())
    return ''.join(prefix + line if keep(line) else line for line in out)
