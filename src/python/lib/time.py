"""time: the runtime's time plus CPython's clocks and strftime."""
from utime import *
from utime import ticks_us, ticks_diff, time_ns

_t0 = ticks_us()
_ns0 = time_ns()


def perf_counter_ns():
    # time_ns() is JS Date.now() in ms; ticks_us() is the finest clock the port has.
    return _ns0 + ticks_diff(ticks_us(), _t0) * 1000


def perf_counter():
    return perf_counter_ns() / 1e9


monotonic = perf_counter
monotonic_ns = perf_counter_ns
process_time = perf_counter
process_time_ns = perf_counter_ns
timezone = 0
altzone = 0
daylight = 0
tzname = ('UTC', 'UTC')

_DAYS = ('Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday')
_MONTHS = ('January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September',
           'October', 'November', 'December')


def strftime(fmt, t=None):
    """CPython's directives, in the C locale; t is a time tuple (default: localtime(), UTC here)."""
    if t is None:
        t = localtime()
    y, mo, d, h, mi, s, wd, yd = t[:8]
    out = []
    i = 0
    while i < len(fmt):
        c = fmt[i]
        if c != '%' or i + 1 == len(fmt):
            out.append(c)
            i += 1
            continue
        k = fmt[i + 1]
        i += 2
        if k == 'Y':
            v = str(y)
        elif k == 'm':
            v = '%02d' % mo
        elif k == 'd':
            v = '%02d' % d
        elif k == 'H':
            v = '%02d' % h
        elif k == 'I':
            v = '%02d' % ((h % 12) or 12)
        elif k == 'M':
            v = '%02d' % mi
        elif k == 'S':
            v = '%02d' % s
        elif k == 'p':
            v = 'AM' if h < 12 else 'PM'
        elif k == 'y':
            v = '%02d' % (y % 100)
        elif k == 'j':
            v = '%03d' % yd
        elif k == 'a':
            v = _DAYS[wd][:3]
        elif k == 'A':
            v = _DAYS[wd]
        elif k == 'b' or k == 'h':
            v = _MONTHS[mo - 1][:3]
        elif k == 'B':
            v = _MONTHS[mo - 1]
        elif k == 'w':
            v = str((wd + 1) % 7)
        elif k == 'u':
            v = str(wd + 1)
        elif k == 'c':
            v = strftime('%a %b %e %H:%M:%S %Y', t)
        elif k == 'x':
            v = strftime('%m/%d/%y', t)
        elif k == 'X':
            v = strftime('%H:%M:%S', t)
        elif k == 'F':
            v = strftime('%Y-%m-%d', t)
        elif k == 'T':
            v = strftime('%H:%M:%S', t)
        elif k == 'D':
            v = strftime('%m/%d/%y', t)
        elif k == 'e':
            v = '%2d' % d
        elif k == 'z':
            v = '+0000'
        elif k == 'Z':
            v = 'UTC'
        elif k == 'f' and len(t) > 8:
            v = '%06d' % t[8]
        elif k == '%':
            v = '%'
        else:
            raise ValueError('strftime: unsupported directive %' + k)
        out.append(v)
    return ''.join(out)

