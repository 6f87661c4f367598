"""http.HTTPStatus and http.HTTPMethod, as in CPython 3.11 (no `description`)."""
import enum

_PHRASES = (
    "100Continue;101Switching Protocols;102Processing;103Early Hints;200OK;201Created;202Accepted;"
    "203Non-Authoritative Information;204No Content;205Reset Content;206Partial Content;207Multi-Status;"
    "208Already Reported;226IM Used;300Multiple Choices;301Moved Permanently;302Found;303See Other;"
    "304Not Modified;305Use Proxy;307Temporary Redirect;308Permanent Redirect;400Bad Request;"
    "401Unauthorized;402Payment Required;403Forbidden;404Not Found;405Method Not Allowed;"
    "406Not Acceptable;407Proxy Authentication Required;408Request Timeout;409Conflict;410Gone;"
    "411Length Required;412Precondition Failed;413Request Entity Too Large;414Request-URI Too Long;"
    "415Unsupported Media Type;416Requested Range Not Satisfiable;417Expectation Failed;418I'm a Teapot;"
    "421Misdirected Request;422Unprocessable Entity;423Locked;424Failed Dependency;425Too Early;"
    "426Upgrade Required;428Precondition Required;429Too Many Requests;431Request Header Fields Too Large;"
    "451Unavailable For Legal Reasons;500Internal Server Error;501Not Implemented;502Bad Gateway;"
    "503Service Unavailable;504Gateway Timeout;505HTTP Version Not Supported;506Variant Also Negotiates;"
    "507Insufficient Storage;508Loop Detected;510Not Extended;511Network Authentication Required")


def _make(name, base, members):
    cls = type(name, (base,), members)
    enum._setup(cls)
    return cls


_table = [(int(item[:3]), item[3:]) for item in _PHRASES.split(';')]
# NOT_FOUND from "Not Found", IM_A_TEAPOT from "I'm a Teapot": every 3.11 name follows this rule.
HTTPStatus = _make('HTTPStatus', enum.IntEnum, {
    phrase.upper().replace(' ', '_').replace('-', '_').replace("'", ''): code for code, phrase in _table})
for _code, _phrase in _table:
    HTTPStatus(_code).phrase = _phrase

HTTPMethod = _make('HTTPMethod', enum.StrEnum, {
    m: m for m in ('CONNECT', 'DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT', 'TRACE')})
HTTPMethod.__repr__ = lambda self: '<HTTPMethod.%s>' % self._name_
