"""CPython's mimetypes for the common web types (no system mime.types file to read).

The table is CPython 3.11's built-in one where it has the extension, and the IANA type a
Linux /etc/mime.types gives for the web types it lacks (woff2, webp, md, ...). `strict` is
accepted and ignored: every type here counts as standard.
"""
_TABLE = (
    'text/html html htm;text/css css;application/javascript js mjs;application/json json;'
    'text/xml xml;text/plain txt c h;text/csv csv;text/tab-separated-values tsv;text/markdown md;'
    'image/svg+xml svg;image/png png;image/jpeg jpg jpeg;image/gif gif;image/webp webp;'
    'image/avif avif;image/vnd.microsoft.icon ico;image/bmp bmp;image/tiff tiff tif;'
    'application/pdf pdf;application/zip zip;application/x-tar tar;font/woff woff;font/woff2 woff2;'
    'font/ttf ttf;font/otf otf;application/vnd.ms-fontobject eot;audio/mpeg mp3;audio/x-wav wav;'
    'audio/ogg ogg oga;video/ogg ogv;audio/opus opus;video/mp4 mp4;audio/mp4 m4a;video/webm webm;'
    'video/quicktime mov;video/x-msvideo avi;video/mpeg mpeg mpg;audio/flac flac;audio/aac aac;'
    'application/wasm wasm;application/manifest+json webmanifest;application/atom+xml atom;'
    'text/calendar ics;text/x-vcard vcf;application/msword doc;'
    'application/vnd.openxmlformats-officedocument.wordprocessingml.document docx;'
    'application/vnd.ms-excel xls;'
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet xlsx;'
    'application/vnd.ms-powerpoint ppt;'
    'application/vnd.openxmlformats-officedocument.presentationml.presentation pptx;'
    'application/vnd.oasis.opendocument.text odt;application/vnd.oasis.opendocument.spreadsheet ods;'
    'application/vnd.oasis.opendocument.presentation odp;application/rtf rtf;'
    'application/epub+zip epub;application/java-archive jar;application/x-7z-compressed 7z;'
    'application/vnd.rar rar;application/octet-stream bin exe;application/x-sh sh;text/x-python py;'
    'application/sql sql;message/rfc822 eml;application/ld+json jsonld;application/postscript ps eps;'
    'application/xml xsl rdf;audio/midi midi mid;audio/3gpp 3gp'
)
types_map = {}
_extensions = {}
for _entry in _TABLE.split(';'):
    _type, *_exts = _entry.split(' ')
    _extensions[_type] = ['.' + e for e in _exts]
    for _ext in _exts:
        types_map['.' + _ext] = _type
encodings_map = {'.gz': 'gzip', '.Z': 'compress', '.bz2': 'bzip2', '.xz': 'xz', '.br': 'br'}
suffix_map = {'.svgz': '.svg.gz', '.tgz': '.tar.gz', '.taz': '.tar.gz', '.tz': '.tar.gz', '.tbz2': '.tar.bz2',
              '.txz': '.tar.xz'}
common_types = {}
knownfiles = []
inited = True


def init(files=None):
    pass


def _splitext(path):
    name = path[path.rfind('/') + 1:]
    dot = name.rfind('.')
    if dot <= 0 or not name[:dot].strip('.'):
        return path, ''
    cut = len(path) - len(name) + dot
    return path[:cut], path[cut:]


def guess_type(url, strict=True):
    """(type, encoding) of a path or URL: guess_type('a.tar.gz') == ('application/x-tar', 'gzip')."""
    url = str(url)
    colon = url.find(':')
    if colon > 0 and url[:colon].lower() == 'data':
        media = url[colon + 1:].split(',', 1)[0].split(';', 1)[0]
        return ('text/plain' if '=' in media or '/' not in media else media), None
    if colon > 0 and '/' not in url[:colon]:
        url = url[colon + 1:]
    base, ext = _splitext(url)
    while ext.lower() in suffix_map:
        base, ext = _splitext(base + suffix_map[ext.lower()])
    encoding = encodings_map.get(ext) or encodings_map.get(ext.lower())
    if encoding:
        base, ext = _splitext(base)
    return types_map.get(ext) or types_map.get(ext.lower()), encoding


def guess_all_extensions(type, strict=True):
    return list(_extensions.get(type.lower(), ()))


def guess_extension(type, strict=True):
    found = guess_all_extensions(type)
    return found[0] if found else None


def add_type(type, ext, strict=True):
    types_map[ext] = type
    known = _extensions.setdefault(type, [])
    if ext not in known:
        known.append(ext)
