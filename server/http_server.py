"""The HTTP/1.1 server ``qharmony serve`` runs: one thread per connection that reads a
request, calls the WSGI callable (the front door) and writes its answer.

Why not waitress: waitress reads requests on one thread, hands each to a pool thread
and hands the answer back to the first thread to send, so a light ``/sparql`` answer
waited for two thread switches besides the query worker's, and importing and
starting it took a tenth of a second; on a loaded machine each switch waits for a
time slice. Here the thread that reads a request answers it. What waitress gave is
kept: at most ``threads`` requests are worked on at once (the rest wait their turn),
at most ``max_connections`` connections are open (one more is answered 503), request
heads and bodies are bounded (431 and 413), a connection idle or trickling for
``timeout`` seconds is closed, chunked bodies and ``Expect: 100-continue`` are
understood, an answer without a length is sent chunked, and a failure inside the
app is a JSON 500 without a traceback (the cause is logged). Standard library only;
reading a request (its head into an environ, its body) is ``http_request``'s.

An answer may be written by another process: for a GET or POST the environ offers
the connection (``DIRECT``: its file descriptor and the head this server would
send), and an app that had the answer written elsewhere (by a query worker) returns
``Sent`` with what is left to send. This module is also the one home of the status
reasons and of the plain JSON error shape for what is answered without Flask.
"""

from __future__ import annotations

import json
import logging
import socket
import threading
import time
from io import BytesIO

from .http_request import MAX_BODY, MAX_HEAD, BadRequest, read_body, read_environ

_log = logging.getLogger("qharmony.server.app")
#: the reason phrase of each status we answer with
REASONS = {
    200: "OK",
    400: "Bad Request",
    403: "Forbidden",
    404: "Not Found",
    413: "Content Too Large",
    415: "Unsupported Media Type",
    429: "Too Many Requests",
    431: "Request Header Fields Too Large",
    500: "Internal Server Error",
    501: "Not Implemented",
    503: "Service Unavailable",
    505: "HTTP Version Not Supported",
}
#: the environ key of a ``DirectWrite``
DIRECT = "qharmony.direct"


def status_line(status: int) -> str:
    """``"404 Not Found"``: a status as WSGI's ``start_response`` takes it."""
    return f"{status} {REASONS.get(status, 'Error')}"


def error_body(message: str, status: int) -> bytes:
    """The one JSON error shape (``render.render_error``'s JSON, byte for byte)."""
    body = json.dumps({"ok": False, "error": message, "status": status}, sort_keys=True, separators=(",", ":"))
    return (body + "\n").encode()


class Sent:
    """What an app returns when another process wrote its answer to the client:
    ``rest``, the bytes that process left for the server to send."""

    def __init__(self, rest: bytes = b""):
        self.rest = rest


class DirectWrite:
    """The connection offered to the app (``environ[DIRECT]``): its file descriptor,
    for a process it is passed to, and the head this server would send before a body
    of known length, split where the length goes."""

    def __init__(self, server: LeanServer, environ: dict, fd: int, keep: bool):
        self.fd = fd
        self._server, self._environ, self._keep = server, environ, keep

    def head(self, status: str, headers: list[tuple[str, str]]) -> tuple[bytes, bytes]:
        """``(before, after)``: the head is ``before + str(length) + after``."""
        names = {name.lower(): value for name, value in headers}
        names["content-length"] = "\x00"
        marked = [*headers, ("Content-Length", "\x00")]
        before, _, after = self._server._head(self._environ, status, marked, names, [], False, self._keep).partition(
            b"\x00"
        )
        return before, after


_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


class _Date:
    """The Date header (RFC 9110's IMF-fixdate, in English whatever the locale),
    formatted once a second."""

    def __init__(self):
        self.second, self.text = 0, ""

    def __call__(self) -> str:
        now = int(time.time())
        if now != self.second:
            t = time.gmtime(now)
            self.second = now
            self.text = (
                f"{_DAYS[t.tm_wday]}, {t.tm_mday:02d} {_MONTHS[t.tm_mon - 1]} {t.tm_year} "
                f"{t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d} GMT"
            )
        return self.text


class LeanServer:
    """Serves ``app`` (a WSGI callable) on ``host:port`` until ``close``."""

    def __init__(
        self,
        app,
        host: str,
        port: int,
        threads: int = 16,
        *,
        max_connections: int = 512,
        timeout: float = 60.0,
        max_body: int = MAX_BODY,
        listening: socket.socket | None = None,
    ):
        """``listening``: a socket ``listen`` gave already (``serve`` listens before it
        opens the store); else one is made for ``host:port``."""
        self.app, self.timeout, self.max_body = app, timeout, max_body
        self.max_connections = max_connections
        self._work = threading.BoundedSemaphore(max(1, threads))
        self._open = 0
        self._lock = threading.Lock()
        self._closed = False
        self._date = _Date()
        self.socket = listening or listen(host, port)
        self.host, self.port = self.socket.getsockname()[:2]

    # ------------------------------------------------------------ connections
    def serve_forever(self) -> None:
        while not self._closed:
            try:
                conn, addr = self.socket.accept()
            except OSError:
                if self._closed:
                    return
                time.sleep(0.01)  # out of file descriptors, for instance: try again
                continue
            with self._lock:
                full = self._open >= self.max_connections
                if not full:
                    self._open += 1
            if full:  # answered on a thread of its own: its closing may wait for the client
                threading.Thread(target=self._refuse, args=(conn,), daemon=True).start()
                continue
            threading.Thread(target=self._connection, args=(conn, addr), daemon=True).start()

    def close(self) -> None:
        self._closed = True
        try:
            self.socket.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.socket.close()

    def _refuse(self, conn: socket.socket) -> None:
        try:
            conn.settimeout(1.0)
            conn.sendall(self._plain(503, "too many connections; retry in a few seconds", close=True))
        except OSError:
            pass
        _linger_close(conn)

    def _connection(self, conn: socket.socket, addr) -> None:
        conn.settimeout(self.timeout)
        try:
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:
            pass  # a Unix socket, say
        reader = conn.makefile("rb", buffering=65536)
        try:
            while not self._closed and self._request(conn, reader, addr):
                pass
        except (OSError, ValueError):
            pass  # the client went away, or was idle too long
        finally:
            with self._lock:
                self._open -= 1
            reader.close()
            _linger_close(conn)

    # ------------------------------------------------------------ one request
    def _request(self, conn: socket.socket, reader, addr) -> bool:
        """Read one request and answer it; False when the connection is to close."""
        line = reader.readline(MAX_HEAD + 1)
        while line in (b"\r\n", b"\n"):  # blank lines before a request are allowed
            line = reader.readline(MAX_HEAD + 1)
        if not line:
            return False
        try:
            environ, keep = read_environ(line, reader, addr, self.host, self.port)
            if environ.get("HTTP_EXPECT", "").lower() == "100-continue" and environ["CONTENT_LENGTH"] != "0":
                conn.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
            environ["wsgi.input"] = BytesIO(read_body(reader, environ, self.max_body))
        except BadRequest as exc:
            conn.sendall(self._plain(exc.status, str(exc), close=True))
            return False
        return self._answer(conn, environ, keep) and keep

    # ------------------------------------------------------------ answers
    def _answer(self, conn: socket.socket, environ: dict, keep: bool) -> bool:
        """Run the app and send its answer; False when the connection must close.
        An answer of known length (the app's Content-Length, or a list of bytes, as
        every page and query answer is) goes in one write when small; one of unknown
        length (a streamed dump) is sent chunked, or closed after under HTTP/1.0."""
        started: list = []
        written: list[bytes] = []

        def start_response(status, headers, exc_info=None):
            if exc_info and sent:
                raise exc_info[1].with_traceback(exc_info[2])
            started[:] = [status, headers]
            return written.append  # the legacy write(): sent before the iterable's chunks

        sent = False
        working = True
        if environ["REQUEST_METHOD"] in ("GET", "POST"):
            environ[DIRECT] = DirectWrite(self, environ, conn.fileno(), keep)
        self._work.acquire()  # a place among the requests worked on at once
        try:
            result = self.app(environ, start_response)
            if isinstance(result, Sent):  # written by another process
                self._work.release()
                working = False
                if result.rest:
                    conn.sendall(result.rest)
                return keep
            try:
                chunks = iter(result)
                if isinstance(result, (list, tuple)):
                    body, rest = written + list(result), iter(())
                    self._work.release()  # the answer is made: a slow reader holds no place
                    working = False
                else:
                    first = next((c for c in chunks if c), b"")
                    body, rest = [*written, first], chunks
                if not started:
                    raise RuntimeError("the app did not call start_response")
                status, headers = started
                names = {name.lower(): value for name, value in headers}
                streamed = "content-length" not in names and not isinstance(result, (list, tuple))
                head = self._head(environ, status, headers, names, body, streamed, keep)
                sent = True
                if environ["REQUEST_METHOD"] == "HEAD":
                    conn.sendall(head)
                    return keep and not streamed
                if streamed and environ["SERVER_PROTOCOL"] == "HTTP/1.1":
                    conn.sendall(head + _chunk(b"".join(body)))
                    for chunk in rest:
                        if chunk:
                            conn.sendall(_chunk(chunk))
                    conn.sendall(b"0\r\n\r\n")
                    return keep
                conn.sendall(head + b"".join(body))
                for chunk in rest:
                    conn.sendall(chunk)
                return keep and not streamed and names.get("connection", "").lower() != "close"
            finally:
                if hasattr(result, "close"):
                    result.close()
        except OSError:
            return False  # the client went away
        except Exception:
            _log.exception("internal error")
            if not sent:
                conn.sendall(self._plain(500, "internal error: the problem was logged", close=True))
            return False
        finally:
            if working:
                self._work.release()

    def _head(self, environ, status, headers, names, body, streamed, keep) -> bytes:
        lines = [f"{environ['SERVER_PROTOCOL']} {status}"]
        lines += [f"{name}: {value}" for name, value in headers]
        if streamed:
            if environ["SERVER_PROTOCOL"] == "HTTP/1.1":
                lines.append("Transfer-Encoding: chunked")
            else:
                keep = False
        elif "content-length" not in names and status[:3] not in ("204", "304"):  # those have no body
            lines.append(f"Content-Length: {sum(len(b) for b in body)}")
        lines.append(f"Date: {self._date()}")
        if not keep:
            lines.append("Connection: close")
        elif environ["SERVER_PROTOCOL"] == "HTTP/1.0":
            lines.append("Connection: keep-alive")
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")

    def _plain(self, status: int, message: str, close: bool) -> bytes:
        """The one JSON error shape, for what is refused before the app sees it."""
        body = error_body(message, status)
        head = (
            f"HTTP/1.1 {status_line(status)}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\nDate: {self._date()}\r\n" + ("Connection: close\r\n" if close else "")
        )
        return head.encode() + b"\r\n" + body


def listen(host: str, port: int) -> socket.socket:
    """A socket listening on ``host:port``: connections queue from now on, answered
    once a ``LeanServer`` serves it. OSError when the address cannot be had."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(1024)
    except OSError:
        sock.close()
        raise
    return sock


def _linger_close(conn: socket.socket) -> None:
    """Close after reading what the client still sends (for a second at most): a
    socket closed with unread input is reset, and the reset can overtake the answer
    (a refusal sent before the request's body was read)."""
    deadline = time.monotonic() + 1.0
    try:
        conn.shutdown(socket.SHUT_WR)
        while (left := deadline - time.monotonic()) > 0:
            conn.settimeout(left)
            if not conn.recv(65536):
                break
    except OSError:
        pass
    conn.close()


def _chunk(data: bytes) -> bytes:
    return b"%x\r\n%s\r\n" % (len(data), data) if data else b""
