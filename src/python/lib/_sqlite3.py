# _sqlite3: the DB-API 2.0 module as CPython documents it, on the real SQLite engine the host
# runs for this app (src/runner/sqliteHost.ts); `sqlite3` re-exports it. Databases live in
# /data (persisted with the request's other changes, all or nothing), in /tmp, or in memory.
# Parameters cross to the host as the call's own arguments when the FFI carries them exactly,
# else as JSON text (src/runner/sqliteParams.ts); rows come back as JSON (sqliteValues.ts), and
# execute()'s numbers through an array the host writes (src/runner/sqliteModule.ts).
import json
import binascii
import uctypes
from array import array
from micropython import const
import _swasgi_sqlite as _host

# Looked up once: each attribute of _host is a call into the host.
_run = _host.run
_execute = _host.execute

apilevel = "2.0"
paramstyle = "qmark"
threadsafety = 1
version = "2.6.0"
version_info = (2, 6, 0)
sqlite_version = _host.version()
sqlite_version_info = tuple(int(part) for part in sqlite_version.split("."))
PARSE_DECLTYPES = 1
PARSE_COLNAMES = 2
Binary = memoryview

# Rows per call into the host: one call serves a typical page; fetchall asks for more.
_FIRST_BATCH = const(256)
_FETCHALL_BATCH = const(4096)
# Parameters `run` takes as its own arguments: at most this many, and ints only within
# MicroPython's small ints (the FFI truncates ints past 32 bits; floats it keeps apart).
_DIRECT_COUNT = const(200)
# SQL texts a connection keeps the host's key and column names for, before it starts over.
_NAMES_KEPT = 256
_BEGIN = {"": "BEGIN", "DEFERRED": "BEGIN DEFERRED", "IMMEDIATE": "BEGIN IMMEDIATE", "EXCLUSIVE": "BEGIN EXCLUSIVE"}


class Warning(Exception):
    pass


class Error(Exception):
    pass


class InterfaceError(Error):
    pass


class DatabaseError(Error):
    pass


class DataError(DatabaseError):
    pass


class OperationalError(DatabaseError):
    pass


class IntegrityError(DatabaseError):
    pass


class InternalError(DatabaseError):
    pass


class ProgrammingError(DatabaseError):
    pass


class NotSupportedError(DatabaseError):
    pass


_ERRORS = {
    "InterfaceError": InterfaceError,
    "DatabaseError": DatabaseError,
    "DataError": DataError,
    "OperationalError": OperationalError,
    "IntegrityError": IntegrityError,
    "InternalError": InternalError,
    "ProgrammingError": ProgrammingError,
    "NotSupportedError": NotSupportedError,
    "MemoryError": MemoryError,
    "OverflowError": OverflowError,
}

adapters = {}
converters = {}


def register_adapter(type_, adapter):
    """Values of `type_` are passed through `adapter` before binding (CPython's protocol-less form)."""
    adapters[type_] = adapter


def register_converter(typename, converter):
    """Recorded for compatibility; swasgi does not apply converters (detect_types is ignored)."""
    converters[typename.upper()] = converter


def complete_statement(statement):
    """Whether `statement` ends with a ';' outside quotes and comments (a rough port)."""
    quote = None
    i = 0
    last = ""
    while i < len(statement):
        c = statement[i]
        if quote:
            if c == quote:
                quote = None
        elif c in "'\"`[":
            quote = "]" if c == "[" else c
        elif statement.startswith("--", i):
            end = statement.find("\n", i)
            i = len(statement) if end < 0 else end
            continue
        elif statement.startswith("/*", i):
            end = statement.find("*/", i + 2)
            if end < 0:
                return False
            i = end + 2
            continue
        elif c not in " \t\r\n":
            last = c
        i += 1
    return quote is None and last == ";"


def _answer(text):
    result = json.loads(text)
    if type(result) is dict:
        kind, message, code, name = result["e"]
        if code == 9:
            # SQLITE_INTERRUPT: the host stopped SQL at the time limit and scheduled a
            # KeyboardInterrupt, which Python only raises at a loop's jump back: take one here,
            # so it ends this request rather than whatever Python runs next.
            for _ in (0, 1):
                pass
        cls = _ERRORS.get(kind, DatabaseError)
        error = cls(message)
        if code >= 0 and cls is not MemoryError and cls is not OverflowError:
            error.sqlite_errorcode = code
            error.sqlite_errorname = name
        raise error
    return result


def _value(value, index):
    kind = type(value)
    if value is None or kind is str or kind is int or kind is float or kind is bool:
        return value
    if kind is bytes or kind is bytearray or kind is memoryview:
        return {"b": binascii.hexlify(bytes(value)).decode()}
    adapter = adapters.get(kind)
    if adapter is not None:
        return _value(adapter(value), index)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, str):
        return str(value)
    raise ProgrammingError("Error binding parameter %s: type '%s' is not supported" % (index, kind.__name__))


def _encoded(parameters):
    if isinstance(parameters, dict):
        return {name: _value(value, ":" + name) for name, value in parameters.items()}
    if isinstance(parameters, (str, bytes, bytearray)):
        raise ProgrammingError("parameters are of unsupported type")
    try:
        values = list(parameters)
    except TypeError:
        raise ProgrammingError("parameters are of unsupported type")
    return [_value(value, i + 1) for i, value in enumerate(values)]


def _plain(values):
    """Whether json.dumps writes these values as the host reads them (it writes bytes as text)."""
    for value in values:
        kind = type(value)
        if kind is not str and kind is not int and kind is not float and value is not None and kind is not bool:
            return False
    return True


def _params(parameters):
    """One parameter set as text for the host (src/runner/sqliteParams.ts)."""
    kind = type(parameters)
    if (kind is tuple or kind is list) and _plain(parameters) or kind is dict and _plain(parameters.values()):
        return json.dumps(parameters)
    return "b" + json.dumps(_encoded(parameters))


def _param_sets(seq):
    if type(seq) is list or type(seq) is tuple:
        for parameters in seq:
            kind = type(parameters)
            if not ((kind is tuple or kind is list) and _plain(parameters) or kind is dict and _plain(parameters.values())):
                break
        else:
            return json.dumps(seq)
    return "b" + json.dumps([_encoded(parameters) for parameters in seq])


def _rows(text, rows):
    """Rows from the host as tuples; blobs (the only JSON objects in them) become bytes."""
    if '{"b":' not in text:
        return list(map(tuple, rows))
    out = []
    for row in rows:
        for i in range(len(row)):
            value = row[i]
            if type(value) is dict:
                row[i] = binascii.unhexlify(value["b"])
        out.append(tuple(row))
    return out


class Row:
    """A result row that answers to index and to column name (case-insensitive), like CPython's."""

    def __init__(self, cursor, values):
        self._names = cursor._names()
        self._values = tuple(values)

    def keys(self):
        return [name for name, _ in self._names[1]]

    def __getitem__(self, key):
        if type(key) is str:
            index = self._names[0].get(key.lower())
            if index is None:
                raise IndexError("No item with that key")
            return self._values[index]
        return self._values[key]

    def __len__(self):
        return len(self._values)

    def __iter__(self):
        return iter(self._values)

    def __eq__(self, other):
        return isinstance(other, Row) and self.keys() == other.keys() and self._values == other._values

    def __ne__(self, other):
        return not self.__eq__(other)

    def __hash__(self):
        return hash(tuple(self.keys())) ^ hash(self._values)

    def __repr__(self):
        return "<sqlite3.Row object>"


class Cursor:
    # Defaults at class level: a cursor from conn.execute() stores only what its call changed.
    arraysize = 1
    # (rowcount, lastrowid) of the last call: one attribute to store per execute(), not two.
    _counts = (-1, None)
    row_factory = None
    _rows = ()
    _pos = 0
    _handle = 0
    _closed = False
    _columns = None
    _index = None
    _description = None

    def __init__(self, connection):
        self.connection = connection
        if connection.row_factory is not None:
            self.row_factory = connection.row_factory

    @property
    def rowcount(self):
        return self._counts[0]

    @property
    def lastrowid(self):
        return self._counts[1]

    @property
    def description(self):
        # Built when asked for: most code never reads it.
        if not self._columns:
            return None
        if self._description is None:
            self._description = tuple((name, None, None, None, None, None, None) for name in self._columns)
        return self._description

    def _check(self):
        if self._closed:
            raise ProgrammingError("Cannot operate on a closed cursor.")
        self.connection._check()

    def _drop(self):
        if self._handle:
            _host.finish(self._handle)
            self._handle = 0
        self._rows = ()
        self._pos = 0

    def _names(self):
        if self._index is None:
            cols = self._columns or []
            lookup = {}
            for i in range(len(cols) - 1, -1, -1):
                lookup[cols[i].lower()] = i
            self._index = (lookup, [(name, i) for i, name in enumerate(cols)])
        return self._index

    def _take(self, rows):
        factory = self.row_factory
        if factory is None:
            return rows
        return [factory(self, row) for row in rows]

    def execute(self, sql, parameters=()):
        if self._closed:
            raise ProgrammingError("Cannot operate on a closed cursor.")
        conn = self.connection
        if not conn._handle:
            raise ProgrammingError("Cannot operate on a closed database.")
        if self._handle or self._rows:
            self._drop()
        return _start(self, conn, sql, parameters)

    def executemany(self, sql, seq_of_parameters):
        self._check()
        self._drop()
        conn = self.connection
        result = _answer(_host.executemany(conn._handle, sql, _param_sets(seq_of_parameters)))
        self._columns = None
        self._counts = (result[0], self._counts[1])
        return self

    def executescript(self, sql_script):
        self._check()
        self._drop()
        self._columns = None
        self.connection._script(sql_script)
        return self

    def _more(self, batch):
        if not self._handle:
            return False
        text = _host.fetch(self._handle, batch)
        if text.startswith('{"e"'):
            self._handle = 0
        more, rows = _answer(text)
        if not more:
            self._handle = 0
        self._rows = list(self._rows[self._pos:]) + self._take(_rows(text, rows))
        self._pos = 0
        return True

    def fetchone(self):
        if self._closed or not self.connection._handle:
            self._check()
        pos = self._pos
        if pos >= len(self._rows):
            if not self._more(_FIRST_BATCH) or not self._rows:
                return None
            pos = 0
        self._pos = pos + 1
        return self._rows[pos]

    def fetchmany(self, size=None):
        self._check()
        size = self.arraysize if size is None else size
        while len(self._rows) - self._pos < size and self._more(max(size, _FIRST_BATCH)):
            pass
        rows = list(self._rows[self._pos:self._pos + size])
        self._pos += len(rows)
        return rows

    def fetchall(self):
        self._check()
        while self._more(_FETCHALL_BATCH):
            pass
        rows = list(self._rows[self._pos:])
        self._rows = ()
        self._pos = 0
        return rows

    def __iter__(self):
        return self

    def __next__(self):
        row = self.fetchone()
        if row is None:
            raise StopIteration
        return row

    def close(self):
        self._drop()
        self._closed = True

    def setinputsizes(self, sizes):
        pass

    def setoutputsize(self, size, column=None):
        pass


class Connection:
    def __init__(self, database, timeout=5.0, detect_types=0, isolation_level="", check_same_thread=True, factory=None, cached_statements=128, uri=False):
        self._handle = 0
        path = _path(database)
        # execute()'s numbers: the host writes them here (src/runner/sqliteModule.ts).
        self._out = array("q", (0, 0, 0, 0, 0))
        self._out_at = uctypes.addressof(self._out)
        # By SQL text: (the host's id for its column names, the names, the host's key for the
        # text). Names are sent once per id; the key goes in place of the text.
        self._names = {}
        self._handle = _answer(_host.open(path))
        self.row_factory = None
        self.text_factory = str
        self.isolation_level = isolation_level

    def _check(self):
        if not self._handle:
            raise ProgrammingError("Cannot operate on a closed database.")

    def _status(self):
        self._check()
        return _answer(_host.status(self._handle))

    @property
    def isolation_level(self):
        return self._isolation

    @isolation_level.setter
    def isolation_level(self, value):
        if value is None:
            if self._handle and self._status()[0]:
                self._script("COMMIT")
            self._isolation = None
            self._set_begin("")
            return
        if type(value) is not str or value.upper() not in _BEGIN:
            raise ValueError("isolation_level string must be '', 'DEFERRED', 'IMMEDIATE', or 'EXCLUSIVE'")
        self._isolation = value
        self._set_begin(_BEGIN[value.upper()])

    def _set_begin(self, begin):
        # The host opens implicit transactions with it (a closed connection opens none).
        if self._handle:
            _answer(_host.begin(self._handle, begin))

    @property
    def in_transaction(self):
        return bool(self._status()[0])

    @property
    def total_changes(self):
        return self._status()[1]

    def _script(self, sql):
        self._check()
        if type(sql) is not str:
            raise TypeError("script argument must be str")
        _answer(_host.script(self._handle, sql))

    def cursor(self, factory=Cursor):
        self._check()
        return factory(self)

    def execute(self, sql, parameters=()):
        if not self._handle:
            raise ProgrammingError("Cannot operate on a closed database.")
        return _start(Cursor(self), self, sql, parameters)

    def executemany(self, sql, seq_of_parameters):
        return self.cursor().executemany(sql, seq_of_parameters)

    def executescript(self, sql_script):
        # As CPython: a pending transaction is committed first.
        if self._status()[0]:
            self._script("COMMIT")
        return self.cursor().executescript(sql_script)

    def commit(self):
        if self._status()[0]:
            self._script("COMMIT")

    def rollback(self):
        if self._status()[0]:
            self._script("ROLLBACK")

    def close(self):
        if self._handle:
            _host.close(self._handle)
            self._handle = 0

    def create_function(self, name, narg, func, deterministic=False):
        raise NotSupportedError("create_function is not supported by swasgi's sqlite3 (SQL cannot call back into Python here)")

    def create_aggregate(self, name, n_arg, aggregate_class):
        raise NotSupportedError("create_aggregate is not supported by swasgi's sqlite3")

    def create_collation(self, name, callable):
        raise NotSupportedError("create_collation is not supported by swasgi's sqlite3")

    def enable_load_extension(self, enabled):
        raise NotSupportedError("extension loading is not available in swasgi's sqlite3")

    def __enter__(self):
        return self

    def __exit__(self, kind, value, traceback):
        if kind is None:
            try:
                self.commit()
            except BaseException:
                self.rollback()
                raise
        else:
            self.rollback()
        return False


def _start(cursor, conn, sql, parameters, type=type, str=str, tuple=tuple, list=list, len=len):
    """execute() of a cursor with nothing pending: the module's hot path, so every step counts
    (an operation of MicroPython here costs about 0.1 µs, a whole INSERT a few µs). Builtins are
    default arguments: a local is an array slot, a builtin a miss in the module's dict first."""
    if type(sql) is not str:
        raise TypeError("execute() argument 1 must be str")
    known = conn._names.get(sql)
    kind = type(parameters)
    # A tuple or list goes as the call's own arguments; the host answers 2 (before running)
    # when a value is not None, bool, a 32-bit int, float or str, and they go again as JSON.
    answer = 2
    if (kind is tuple or kind is list) and len(parameters) <= _DIRECT_COUNT:
        answer = _run(conn._handle, conn._out_at, known[2] if known else sql, _FIRST_BATCH, known[0] if known else 0, *parameters)
    if answer == 2:
        answer = _execute(conn._handle, conn._out_at, known[2] if known else sql, _params(parameters), _FIRST_BATCH, known[0] if known else 0)
    if answer:
        return _answered(cursor, conn, sql, parameters, answer, known)
    # No rows, and the column names known (or none): the host's numbers are all there is.
    out = conn._out
    cursor._counts = (out[0], out[1])
    if known:
        if known[1] is not cursor._columns:
            _columns(cursor, known[1])
    else:
        _remember(conn, sql, (0, None, out[4]))
        if cursor._columns is not None:
            _columns(cursor, None)
    return cursor


def _remember(conn, sql, known):
    names = conn._names
    if len(names) >= _NAMES_KEPT:
        names.clear()
    names[sql] = known


def _columns(cursor, columns):
    cursor._columns = columns
    # What was worked out from the old columns (a fresh cursor has nothing to forget).
    if cursor._index is not None:
        cursor._index = None
    if cursor._description is not None:
        cursor._description = None


def _answered(cursor, conn, sql, parameters, answer, known):
    """The rest of _start when the host answered more than numbers: an error, a key it no
    longer knows, or rows or column names."""
    if answer == 1:
        # The host dropped the key (it keeps many, but not all): send the text again.
        del conn._names[sql]
        return _start(cursor, conn, sql, parameters)
    if answer[0] == "{":
        _answer(answer)
    out = conn._out
    rows = json.loads(answer)
    if not known or out[3] != known[0]:
        known = (out[3], rows[0] or None, out[4])
        _remember(conn, sql, known)
        rows = rows[1]
    cursor._counts = (out[0], out[1])
    if out[2]:
        cursor._handle = out[2]
    if known[1] is not cursor._columns:
        _columns(cursor, known[1])
    if rows:
        rows = _rows(answer, rows)
        # After the columns: a row factory (sqlite3.Row) reads them.
        cursor._rows = rows if cursor.row_factory is None else cursor._take(rows)
    return cursor


def _path(database):
    if type(database) is bytes:
        database = database.decode()
    if hasattr(database, "__fspath__"):
        database = database.__fspath__()
    if type(database) is not str:
        raise TypeError("database must be a str, bytes or os.PathLike object")
    if database in ("", ":memory:") or database.startswith("/"):
        return database
    import os

    cwd = os.getcwd()
    return (cwd if cwd.endswith("/") else cwd + "/") + database


def connect(database, timeout=5.0, detect_types=0, isolation_level="", check_same_thread=True, factory=Connection, cached_statements=128, uri=False):
    """Opens a database under /data (persisted), /tmp, or ":memory:"."""
    return factory(database, timeout, detect_types, isolation_level, check_same_thread, None, cached_statements, uri)
