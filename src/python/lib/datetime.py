"""datetime: the runtime's frozen datetime plus strftime, strptime, utcnow and CPython's repr."""
import time as _time
from _swasgi_frozen import frozen as _frozen

_d = _frozen('datetime')
MINYEAR = _d.MINYEAR
MAXYEAR = _d.MAXYEAR
timedelta = _d.timedelta
tzinfo = _d.tzinfo
timezone = _d.timezone
date = _d.date
time = _d.time
datetime = _d.datetime
UTC = timezone.utc


def _tuple(d, t):
    y, mo, dd = (d.year, d.month, d.day) if d is not None else (1900, 1, 1)
    h, mi, s, us = (t.hour, t.minute, t.second, t.microsecond) if t is not None else (0, 0, 0, 0)
    wd = date(y, mo, dd).weekday()
    yd = date(y, mo, dd).toordinal() - date(y, 1, 1).toordinal() + 1
    return y, mo, dd, h, mi, s, wd, yd, us


def _strftime(self, fmt):
    d = self if isinstance(self, (date, datetime)) else None  # the frozen datetime is no date subclass
    t = self if isinstance(self, (datetime, time)) else None
    off = self.utcoffset() if t is not None else None
    if off is not None:
        secs = int(off.total_seconds())
        sign = '-' if secs < 0 else '+'
        secs = abs(secs)
        z = '%s%02d%02d' % (sign, secs // 3600, secs // 60 % 60)
        fmt = fmt.replace('%z', z).replace('%Z', self.tzname() or '')
    else:
        fmt = fmt.replace('%z', '').replace('%Z', '')
    return _time.strftime(fmt, _tuple(d, t))


def _format(self, spec):
    return _strftime(self, spec) if spec else str(self)


def _strptime(cls, text, fmt):
    fields = {'Y': 1900, 'm': 1, 'd': 1, 'H': 0, 'M': 0, 'S': 0, 'f': 0}
    i = j = 0
    pm = None
    while i < len(fmt):
        c = fmt[i]
        if c == '%' and i + 1 < len(fmt):
            k = fmt[i + 1]
            i += 2
            if k == '%':
                if text[j:j + 1] != '%':
                    break
                j += 1
                continue
            if k in 'bBaA':
                names = _time._MONTHS if k in 'bB' else _time._DAYS
                for n, name in enumerate(names):
                    full = name if k in 'BA' else name[:3]
                    if text[j:j + len(full)].lower() == full.lower():
                        if k in 'bB':
                            fields['m'] = n + 1
                        j += len(full)
                        break
                else:
                    raise ValueError('time data %r does not match format %r' % (text, fmt))
                continue
            if k == 'p':
                pm = text[j:j + 2].upper() == 'PM'
                j += 2
                continue
            width = {'Y': 4, 'f': 6}.get(k, 2)
            if k not in 'YmdHIMSfy':
                raise ValueError('strptime: unsupported directive %' + k)
            n = 0
            while n < width and j + n < len(text) and text[j + n].isdigit():
                n += 1
            if n == 0:
                raise ValueError('time data %r does not match format %r' % (text, fmt))
            v = int(text[j:j + n])
            if k == 'f':
                v *= 10 ** (6 - n)
            if k == 'y':
                k, v = 'Y', v + (2000 if v < 69 else 1900)
            fields['H' if k == 'I' else k] = v
            j += n
        else:
            if text[j:j + 1] != c:
                raise ValueError('time data %r does not match format %r' % (text, fmt))
            i += 1
            j += 1
    if j != len(text) or i < len(fmt):
        raise ValueError('time data %r does not match format %r' % (text, fmt))
    if pm is not None:
        fields['H'] = fields['H'] % 12 + (12 if pm else 0)
    return cls(fields['Y'], fields['m'], fields['d'], fields['H'], fields['M'], fields['S'], fields['f'])


def _repr(self):
    name = 'datetime.' + type(self).__name__
    if isinstance(self, datetime):
        parts = [self.year, self.month, self.day, self.hour, self.minute, self.second, self.microsecond]
    elif isinstance(self, date):
        parts = [self.year, self.month, self.day]
    else:
        parts = [self.hour, self.minute, self.second, self.microsecond]
    least = 5 if isinstance(self, datetime) else 3 if isinstance(self, date) else 2
    while len(parts) > least and parts[-1] == 0:
        parts.pop()
    text = name + '(' + ', '.join(str(p) for p in parts)
    if not isinstance(self, date) or isinstance(self, datetime):
        if self.tzinfo is not None:
            text += ', tzinfo=' + repr(self.tzinfo)
    return text + ')'


for _cls in (date, time, datetime):
    _cls.strftime = _strftime
    _cls.__format__ = _format
    _cls.__repr__ = _repr
datetime.strptime = classmethod(_strptime)
datetime.utcnow = classmethod(lambda cls: cls.now(timezone.utc).replace(tzinfo=None))
datetime.utcfromtimestamp = classmethod(lambda cls, t: cls.fromtimestamp(t, timezone.utc).replace(tzinfo=None))
date.isocalendar = lambda self: _isocalendar(self)


def _isocalendar(d):
    thursday = d.toordinal() + 3 - d.weekday()
    year = date.fromordinal(thursday).year
    week = (thursday - date(year, 1, 1).toordinal()) // 7 + 1
    return year, week, d.weekday() + 1
