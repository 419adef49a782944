"""Reading one HTTP/1.1 request for ``http_server``: the request line and headers into
a WSGI environ, and the body (of a stated length, or chunked), each bounded.

Why apart from the server: what a request may look like (sizes, header names, the
codings understood) is a rule of its own, and the one part of the server that reads
bytes a client chose; the server's part is connections, threads and answers.
Standard library only.
"""

from __future__ import annotations

import sys
from urllib.parse import unquote_to_bytes

from .numbers import MAX_DIGITS

#: most bytes of a request line and its headers
MAX_HEAD = 64 * 1024
#: most bytes of a request body (a query is at most 200,000 characters; forms are small)
MAX_BODY = 16 * 1024 * 1024
_TOKEN = frozenset(b"!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")


class BadRequest(Exception):
    """A request this server will not read; the connection is closed after the answer."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


def read_environ(line: bytes, reader, addr, host: str, port: int) -> tuple[dict, bool]:
    """The WSGI environ of the request whose first line is ``line`` (its headers read
    from ``reader``), and whether the connection is to be kept; a ``BadRequest``."""
    if len(line) > MAX_HEAD or not line.endswith(b"\n"):
        raise BadRequest(431, "the request line is too long")
    parts = line.rstrip(b"\r\n").split(b" ")
    if len(parts) != 3 or not parts[0] or not set(parts[0]) <= _TOKEN:
        raise BadRequest(400, "malformed request line")
    method, target, version = (p.decode("latin-1") for p in parts)
    if version not in ("HTTP/1.1", "HTTP/1.0"):
        raise BadRequest(505 if version.startswith("HTTP/") else 400, f"unsupported protocol {version!r}")
    headers: dict[str, str] = {}
    size = len(line)
    while True:
        field = reader.readline(MAX_HEAD + 1)
        size += len(field)
        if size > MAX_HEAD:
            raise BadRequest(431, "the request headers are too large")
        if field in (b"\r\n", b"\n"):
            break
        if not field.endswith(b"\n"):
            raise BadRequest(400, "the request ended inside its headers")
        name, sep, value = field.partition(b":")
        if not sep or not name or not set(name) <= _TOKEN:
            raise BadRequest(400, "malformed header line")  # folded lines, spaces before the colon
        if b"_" in name:
            continue  # would pose as another header in the environ (as waitress drops them)
        key = name.decode("latin-1").upper().replace("-", "_")
        text = value.strip(b" \t\r\n").decode("latin-1")
        if key in headers:
            if key in ("CONTENT_LENGTH", "HOST") and headers[key] != text:
                raise BadRequest(400, f"conflicting {name.decode('latin-1')} headers")
            if key not in ("CONTENT_LENGTH", "HOST"):
                text = f"{headers[key]}, {text}"
        headers[key] = text
    if target.startswith(("http://", "https://")):  # absolute form: the path from it
        rest = target.split("://", 1)[1]
        headers.setdefault("HOST", rest.split("/", 1)[0])
        target = "/" + rest.split("/", 1)[1] if "/" in rest else "/"
    path, _, query = target.partition("?")
    connection = headers.get("CONNECTION", "").lower()
    keep = "close" not in connection if version == "HTTP/1.1" else "keep-alive" in connection
    environ = {
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": "",
        "PATH_INFO": unquote_to_bytes(path.split("#", 1)[0]).decode("latin-1"),
        "QUERY_STRING": query.split("#", 1)[0],
        "SERVER_NAME": host,
        "SERVER_PORT": str(port),
        "SERVER_PROTOCOL": version,
        "REMOTE_ADDR": addr[0] if isinstance(addr, tuple) else "",
        "REMOTE_PORT": str(addr[1]) if isinstance(addr, tuple) else "",
        "CONTENT_TYPE": headers.pop("CONTENT_TYPE", ""),
        "CONTENT_LENGTH": headers.pop("CONTENT_LENGTH", ""),
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    for key, value in headers.items():
        environ["HTTP_" + key] = value
    return environ, keep


def read_body(reader, environ: dict, max_body: int) -> bytes:
    """The request's body, of its length or chunked, at most ``max_body`` bytes."""
    coding = environ.get("HTTP_TRANSFER_ENCODING", "").lower()
    if coding:
        if environ["CONTENT_LENGTH"]:
            raise BadRequest(400, "a request may not have both Content-Length and Transfer-Encoding")
        if coding != "chunked":
            raise BadRequest(501, f"unsupported transfer coding {coding!r}")
        body = _chunked(reader, max_body)
        environ["CONTENT_LENGTH"] = str(len(body))
        return body
    length = environ["CONTENT_LENGTH"]
    if not length:
        environ["CONTENT_LENGTH"] = "0"
        return b""
    if not (length.isascii() and length.isdigit()):
        raise BadRequest(400, "Content-Length is not a number")
    if len(length) > MAX_DIGITS or int(length) > max_body:
        raise BadRequest(413, f"the request body is larger than {max_body:,} bytes")
    body = reader.read(int(length))
    if len(body) < int(length):
        raise BadRequest(400, "the request body ended early")
    return body


def _chunked(reader, max_body: int) -> bytes:
    out = bytearray()
    while True:
        line = reader.readline(1024)
        size_text = line.split(b";", 1)[0].strip()
        try:
            size = int(size_text, 16)
        except ValueError:
            raise BadRequest(400, "malformed chunk size") from None
        if size < 0 or len(out) + size > max_body:
            raise BadRequest(413, f"the request body is larger than {max_body:,} bytes")
        if size == 0:
            while reader.readline(MAX_HEAD + 1) not in (b"\r\n", b"\n", b""):
                pass  # trailers: ignored
            return bytes(out)
        chunk = reader.read(size + 2)
        if len(chunk) < size + 2:
            raise BadRequest(400, "the request body ended early")
        out += chunk[:size]
