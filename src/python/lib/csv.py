"""CPython's csv module: reader, writer, DictReader, DictWriter, dialects and quoting."""
QUOTE_MINIMAL, QUOTE_ALL, QUOTE_NONNUMERIC, QUOTE_NONE = 0, 1, 2, 3
__version__ = '1.0'


class Error(Exception):
    pass


class Dialect:
    delimiter = ','
    quotechar = '"'
    escapechar = None
    doublequote = True
    skipinitialspace = False
    lineterminator = '\r\n'
    quoting = QUOTE_MINIMAL
    strict = False


class excel(Dialect):
    pass


class excel_tab(excel):
    delimiter = '\t'


class unix_dialect(Dialect):
    lineterminator = '\n'
    quoting = QUOTE_ALL


_dialects = {'excel': excel, 'excel-tab': excel_tab, 'unix': unix_dialect}
_PARAMS = ('delimiter', 'quotechar', 'escapechar', 'doublequote', 'skipinitialspace', 'lineterminator',
           'quoting', 'strict')


def register_dialect(name, dialect=None, **fmtparams):
    _dialects[name] = _Format(dialect or excel, fmtparams)


def unregister_dialect(name):
    if name not in _dialects:
        raise Error('unknown dialect')
    del _dialects[name]


def get_dialect(name):
    if name not in _dialects:
        raise Error('unknown dialect')
    return _dialects[name]


def list_dialects():
    return list(_dialects)


_limit = 131072


def field_size_limit(new_limit=None):
    global _limit
    old = _limit
    if new_limit is not None:
        _limit = new_limit
    return old


class _Format:
    def __init__(self, dialect, params):
        if isinstance(dialect, str):
            dialect = get_dialect(dialect)
        for name in _PARAMS:
            setattr(self, name, params.pop(name) if name in params else getattr(dialect, name))
        if params:
            raise TypeError("'%s' is an invalid keyword argument for this function" % list(params)[0])
        if not isinstance(self.delimiter, str) or len(self.delimiter) != 1:
            raise TypeError('"delimiter" must be a 1-character string')
        if self.quotechar is not None and (not isinstance(self.quotechar, str) or len(self.quotechar) != 1):
            raise TypeError('"quotechar" must be a 1-character string')
        if self.quoting not in (0, 1, 2, 3):
            raise TypeError('bad "quoting" value')
        if self.quotechar is None and self.quoting != QUOTE_NONE:
            raise TypeError('quotechar must be set if quoting enabled')


_RECORD, _FIELD, _IN, _QUOTED, _QUOTE_IN_QUOTED, _ESCAPE, _ESCAPE_QUOTED, _CRNL = range(8)


class reader:
    """Rows of a CSV source: any iterable of strings (a text file, a list, io.StringIO)."""

    def __init__(self, csvfile, dialect='excel', **fmtparams):
        self._lines = iter(csvfile)
        self.dialect = _Format(dialect, fmtparams)
        self.line_num = 0

    def __iter__(self):
        return self

    def __next__(self):
        self._row, self._field, self._state, self._numeric = [], [], _RECORD, False
        while True:
            try:
                line = next(self._lines)
            except StopIteration:
                if self._field or self._state == _QUOTED:
                    if self.dialect.strict:
                        raise Error('unexpected end of data')
                    self._save()
                    return self._row
                raise
            if not isinstance(line, str):
                raise Error('iterator should return strings, not %s (the file should be opened in text mode)'
                            % type(line).__name__)
            self.line_num += 1
            if self._state == _RECORD and self._plain(line):
                return self._row
            for c in line:
                self._char(c)
            self._char(None)  # end of this line
            if self._state == _RECORD:
                return self._row

    def _plain(self, line):
        """Splits a line with no quote or escape in it at once (the common row); False otherwise."""
        d = self.dialect
        end = len(line) - 2 if line.endswith('\r\n') else len(line) - 1 if line[-1:] in ('\r', '\n') else len(line)
        text = line[:end]
        if ((d.quoting != QUOTE_NONE and d.quotechar in text) or (d.escapechar is not None and d.escapechar in text)
                or '\r' in text or '\n' in text or len(text) > _limit):
            return False
        if text:
            fields = text.split(d.delimiter)
            if d.skipinitialspace:
                fields = [f.lstrip(' ') for f in fields]
            self._row = [float(f) if f else f for f in fields] if d.quoting == QUOTE_NONNUMERIC else fields
        return True

    def _save(self):
        text = ''.join(self._field)
        if len(text) > _limit:
            raise Error('field larger than field limit (%d)' % _limit)
        self._row.append(float(text) if self._numeric else text)
        self._field, self._numeric = [], False

    def _char(self, c):
        d, state, eol = self.dialect, self._state, c is None or c in '\r\n'
        quote = d.quotechar if d.quoting != QUOTE_NONE else None
        if state == _CRNL:
            if c is None:
                self._state = _RECORD
            elif c not in '\r\n':
                raise Error("new-line character seen in unquoted field - do you need to open the file with "
                            "newline=''?")
            return
        if state == _RECORD:
            if c is None:
                return
            if eol:
                self._state = _CRNL
                return
            state = _FIELD
        if state == _FIELD:
            if eol:
                self._save()
                self._state = _RECORD if c is None else _CRNL
            elif c == quote:
                self._numeric, self._state = False, _QUOTED
            elif c == d.escapechar:
                self._state = _ESCAPE
            elif c == ' ' and d.skipinitialspace:
                self._state = _FIELD
            elif c == d.delimiter:
                self._save()
                self._state = _FIELD
            else:  # an unquoted field begins: QUOTE_NONNUMERIC makes it a float (an empty one stays '')
                self._numeric = d.quoting == QUOTE_NONNUMERIC
                self._field.append(c)
                self._state = _IN
        elif state in (_ESCAPE, _ESCAPE_QUOTED):
            self._field.append('\n' if c is None else c)
            self._state = _IN if state == _ESCAPE else _QUOTED
        elif state == _IN:
            if eol:
                self._save()
                self._state = _RECORD if c is None else _CRNL
            elif c == d.escapechar:
                self._state = _ESCAPE
            elif c == d.delimiter:
                self._save()
                self._state = _FIELD
            else:
                self._field.append(c)
        elif state == _QUOTED:
            if c is None:
                pass
            elif c == d.escapechar:
                self._state = _ESCAPE_QUOTED
            elif c == quote:
                self._state = _QUOTE_IN_QUOTED if d.doublequote else _IN
            else:
                self._field.append(c)
        elif state == _QUOTE_IN_QUOTED:
            if c is not None and c == quote:
                self._field.append(c)
                self._state = _QUOTED
            elif c == d.delimiter:
                self._save()
                self._state = _FIELD
            elif eol:
                self._save()
                self._state = _RECORD if c is None else _CRNL
            elif not d.strict:
                self._field.append(c)
                self._state = _IN
            else:
                raise Error("'%s' expected after '%s'" % (d.delimiter, quote))


class writer:
    def __init__(self, csvfile, dialect='excel', **fmtparams):
        self._file = csvfile
        self.dialect = _Format(dialect, fmtparams)
        self._extra = [c for c in self.dialect.lineterminator if c not in '\r\n']  # usually none

    def _field(self, value, alone):
        d = self.dialect
        q, e = d.quotechar, d.escapechar
        text = '' if value is None else repr(value) if isinstance(value, float) else str(value)
        special = d.delimiter in text or '\r' in text or '\n' in text or (self._extra and any(
            c in text for c in self._extra))
        if d.quoting == QUOTE_NONE:
            if special or (q is not None and q in text) or (e is not None and e in text):
                if e is None:
                    raise Error('need to escape, but no escapechar set')
                escaped = (d.delimiter, '\r', '\n', q, e) + tuple(d.lineterminator)
                text = ''.join(e + c if c in escaped else c for c in text)
            return text
        if d.quoting == QUOTE_ALL:
            quoted = True
        elif d.quoting == QUOTE_NONNUMERIC:
            quoted = not isinstance(value, (int, float, bool))
        else:
            # An escaped character (escapechar, or quotechar without doublequote) needs no quotes.
            quoted = special or (alone and text == '') or (d.doublequote and q in text)
        if e is not None and e in text:
            text = text.replace(e, e + e)
        if q in text:
            if not d.doublequote and e is None:
                raise Error('need to escape, but no escapechar set')
            text = text.replace(q, q + q if d.doublequote else e + q)
        return q + text + q if quoted else text

    def writerow(self, row):
        try:
            fields = list(row)
        except TypeError:
            raise Error('iterable expected, not %s' % type(row).__name__)
        alone = len(fields) == 1
        line = self.dialect.delimiter.join([self._field(v, alone) for v in fields])
        return self._file.write(line + self.dialect.lineterminator)

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


class DictReader:
    def __init__(self, f, fieldnames=None, restkey=None, restval=None, dialect='excel', *args, **kwds):
        self._fieldnames = fieldnames
        self.restkey, self.restval = restkey, restval
        self.reader = reader(f, dialect, *args, **kwds)
        self.dialect = dialect
        self.line_num = 0

    def __iter__(self):
        return self

    @property
    def fieldnames(self):
        if self._fieldnames is None:
            try:
                self._fieldnames = next(self.reader)
            except StopIteration:
                pass
        self.line_num = self.reader.line_num
        return self._fieldnames

    @fieldnames.setter
    def fieldnames(self, value):
        self._fieldnames = value

    def __next__(self):
        if self.line_num == 0:
            self.fieldnames
        row = next(self.reader)
        self.line_num = self.reader.line_num
        while row == []:
            row = next(self.reader)
        names = self.fieldnames
        d = dict(zip(names, row))
        if len(names) < len(row):
            d[self.restkey] = row[len(names):]
        for key in names[len(row):]:
            d[key] = self.restval
        return d


class DictWriter:
    def __init__(self, f, fieldnames, restval='', extrasaction='raise', dialect='excel', *args, **kwds):
        if extrasaction.lower() not in ('raise', 'ignore'):
            raise ValueError("extrasaction (%s) must be 'raise' or 'ignore'" % extrasaction)
        self.fieldnames = list(fieldnames)
        self.restval = restval
        self.extrasaction = extrasaction.lower()
        self.writer = writer(f, dialect, *args, **kwds)

    def writeheader(self):
        return self.writer.writerow(self.fieldnames)

    def _row(self, rowdict):
        if self.extrasaction == 'raise':
            wrong = [k for k in rowdict if k not in self.fieldnames]
            if wrong:
                raise ValueError('dict contains fields not in fieldnames: ' + ', '.join(repr(k) for k in wrong))
        return [rowdict.get(k, self.restval) for k in self.fieldnames]

    def writerow(self, rowdict):
        return self.writer.writerow(self._row(rowdict))

    def writerows(self, rowdicts):
        for row in rowdicts:
            self.writerow(row)
