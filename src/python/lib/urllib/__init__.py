# CPython's urllib package, reduced to `urllib.parse`: MicroPython ships no urllib at all.
