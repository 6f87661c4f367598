"""Loads the runtime's frozen module `name` while swasgi's own module of that name is importing.

swasgi's /lib comes before `.frozen` on sys.path (see _swasgi_compat), so `import datetime`
finds /lib/datetime.py; that file calls `frozen('datetime')` to get the frozen original and
extends it. The frozen module is loaded with `.frozen` alone on sys.path and never stays in
sys.modules.
"""
import sys


def frozen(name):
    modules = sys.modules
    mine = modules.pop(name, None)
    saved = sys.path[:]
    sys.path.clear()
    sys.path.append('.frozen')
    try:
        return __import__(name)
    finally:
        sys.path.clear()
        sys.path.extend(saved)
        if mine is None:
            modules.pop(name, None)
        else:
            modules[name] = mine
