# sqlite3: the DB-API 2.0 module. As in CPython, this is a thin front for `_sqlite3`, which the
# host writes into /lib together with the SQLite engine, only for apps that import sqlite3
# (the engine and `_sqlite3` stay out of the Service Worker's own script).
import _swasgi_sqlite

_reason = _swasgi_sqlite.reason()
if _reason:
    raise ImportError("sqlite3 is not available: " + _reason)
del _reason

from _sqlite3 import *
