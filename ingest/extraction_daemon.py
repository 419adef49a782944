"""A resident extraction process: the spaCy model and our rulers loaded once and kept
between commands, as ``dmypy`` keeps a type checker and Gradle its daemon.

Loading the model and building our patterns is most of what adding one document
costs (its own extraction takes a fraction of a second), so ``qharmony add`` and
``build`` hand their extraction to this process when it runs, and start it when it
does not. It listens on a Unix socket in a folder of the build cache (the folder
0700, the socket 0600, and a peer of another user refused): never TCP, never
another host. The socket is named by the pipeline fingerprint, so code, model or
patterns of another version never answer: a new version's first client tells the
older process to stop. It exits after ``IDLE_SECONDS`` without a request.

Requests and answers are pickles, of the same trust as the cache's entries (local
state of this user). The answer carries the process's fingerprint and each
extraction is the same object the build would make in its own process, so the graph
is the same with or without it; a process that cannot start or stops answering
leaves extraction to the caller (``parallel``), in its own process.

    python -m qharmony.ingest.extraction_daemon SOCKET IDLE_SECONDS
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import pickle
import socket
import struct
import subprocess
import sys
import time
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from .cache import pipeline_fingerprint
from .jurisdictions import Registry
from .readers import SourceText
from .records import Extraction

#: seconds without a request after which the process exits
IDLE_SECONDS = 900.0
#: how often an idle process checks that its socket is still where clients look
CHECK_SECONDS = 30.0
#: seconds a client waits for a process it started to listen (it loads the model first)
START_TIMEOUT = 120.0
#: seconds a client waits to connect, and for the answer to one chunk, before it extracts
#: in its own process instead
CONNECT_TIMEOUT = 5.0
REPLY_TIMEOUT = 600.0
#: seconds the process waits for a connected client's next request before it drops the
#: connection (a client that hangs or stopped reading must not hold the only one)
CLIENT_IDLE = 300.0
#: the longest socket path the kernel takes (``sun_path``, less its terminating byte)
MAX_SOCKET_PATH = 107
_HEADER = struct.Struct("!Q")


class Unavailable(OSError):
    """No resident process can serve this request; extract in this process."""


@lru_cache(maxsize=1)
def _version() -> str:
    """The pipeline's fingerprint and this protocol's own code: a process running other
    code of either has another socket, so it never answers this client."""
    digest = hashlib.sha256(pipeline_fingerprint().encode())
    here = Path(__file__).parent
    for name in ("extraction_daemon.py", "parallel.py"):
        digest.update((here / name).read_bytes())
    return digest.hexdigest()[:20]


def socket_path(folder: Path) -> Path:
    """The socket of this pipeline version's process in ``folder``."""
    return Path(folder) / f"extract-{_version()}.sock"


# ---------------------------------------------------------------- framing
def _send(conn: socket.socket, value: object) -> None:
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    conn.sendall(_HEADER.pack(len(data)) + data)


def _read_exactly(conn: socket.socket, n: int) -> bytes:
    parts, left = [], n
    while left:
        chunk = conn.recv(min(left, 1 << 20))
        if not chunk:
            raise ConnectionError("the other side closed the connection")
        parts.append(chunk)
        left -= len(chunk)
    return b"".join(parts)


def _receive(conn: socket.socket) -> object:
    (size,) = _HEADER.unpack(_read_exactly(conn, _HEADER.size))
    return pickle.loads(_read_exactly(conn, size))


# ---------------------------------------------------------------- the client's side
def _connect(path: Path, timeout: float | None) -> socket.socket:
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    conn.settimeout(timeout)
    try:
        conn.connect(str(path))
    except OSError:
        conn.close()
        raise
    return conn


def _stop_others(folder: Path, keep: Path) -> None:
    """Tell the processes of other pipeline versions in ``folder`` to stop."""
    for other in folder.glob("extract-*.sock"):
        if other == keep:
            continue
        try:
            with _connect(other, 2.0) as conn:
                _send(conn, ("stop",))
        except OSError:
            other.unlink(missing_ok=True)  # nobody listens there any more


def _start(folder: Path, path: Path, idle: float) -> subprocess.Popen:
    """Start the process; ``Unavailable`` when its folder or log cannot be made (a
    read-only or another user's build cache)."""
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(folder, 0o700)
        _stop_others(folder, path)
        log = open(folder / "extract.log", "ab")  # noqa: SIM115  (handed to the child)
    except OSError as exc:
        raise Unavailable(f"cannot start an extraction process in {folder}: {exc}") from None
    try:
        return subprocess.Popen(
            [sys.executable, "-m", __name__, str(path), str(idle)],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            start_new_session=True,  # not stopped with the command that started it
            close_fds=True,
        )
    finally:
        log.close()


def connect(folder: Path, *, start: bool = True, idle: float = IDLE_SECONDS) -> socket.socket:
    """A connection to this pipeline version's process in ``folder``, started if
    ``start`` and none listens. Raises ``Unavailable`` when there is none."""
    path = socket_path(folder)
    if len(os.fsencode(path)) > MAX_SOCKET_PATH:
        raise Unavailable(f"the socket path {path} is too long for a Unix socket")
    try:
        return _connected(path)
    except OSError:
        if not start:
            raise Unavailable(f"no extraction process listens at {path}") from None
    child = _start(Path(folder), path, idle)
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        try:
            return _connected(path)
        except OSError:
            if child.poll():  # it failed (0: another process of this version holds the lock)
                raise Unavailable(f"the extraction process exited at start (see the log beside {path})") from None
            time.sleep(0.05)
    raise Unavailable(f"the extraction process did not start listening at {path} (see its log beside it)")


def _connected(path: Path) -> socket.socket:
    conn = _connect(path, CONNECT_TIMEOUT)
    conn.settimeout(REPLY_TIMEOUT)
    return conn


def extract_remote(
    conn: socket.socket, sources: Sequence[SourceText], registry: Registry
) -> tuple[str, list[Extraction] | object]:
    """Send one chunk of documents; the process's fingerprint and its extractions (or
    the ``parallel._Failure`` it reports). A lost connection raises ``Unavailable``."""
    try:
        _send(conn, ("extract", list(sources), registry))
        answer = _receive(conn)
    except (OSError, EOFError, pickle.UnpicklingError) as exc:
        raise Unavailable(f"the extraction process stopped answering ({exc})") from None
    return answer


def stop(folder: Path) -> bool:
    """Ask this pipeline version's process in ``folder`` to exit; whether one was there."""
    try:
        with _connect(socket_path(folder), 5.0) as conn:
            _send(conn, ("stop",))
            _receive(conn)
    except (OSError, EOFError):
        return False
    return True


# ---------------------------------------------------------------- the process
def _same_user(conn: socket.socket) -> bool:
    option = getattr(socket, "SO_PEERCRED", None)
    if option is None:
        return True  # the folder's and socket's modes still keep others out
    _pid, uid, _gid = struct.unpack("3i", conn.getsockopt(socket.SOL_SOCKET, option, struct.calcsize("3i")))
    return uid == os.getuid()


def serve(path: Path, idle: float) -> None:
    """Load the pipeline, listen at ``path`` and answer one connection at a time
    until ``idle`` seconds pass without one, or a client asks to stop."""
    from .parallel import _extract_chunk  # the same function a worker process runs

    lock = open(path.with_suffix(".lock"), "a")  # noqa: SIM115  (held for the process's life)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return  # another process of this version is starting or serving
    from .parallel import load_pipeline

    load_pipeline()  # before listening: a client that connects is served at once
    path.unlink(missing_ok=True)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    old = os.umask(0o177)
    try:
        listener.bind(str(path))
    finally:
        os.umask(old)
    os.chmod(path, 0o600)
    listener.listen(8)
    listener.settimeout(min(idle, CHECK_SECONDS))
    mine, last = os.stat(path).st_ino, time.monotonic()
    try:
        while time.monotonic() - last < idle:
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                if _moved(path, mine):
                    return  # its folder was deleted or the socket replaced: no client can reach it
                continue
            with conn:
                if _same_user(conn) and not _answer(conn, _extract_chunk):
                    return
            last = time.monotonic()
    finally:
        listener.close()
        if not _moved(path, mine):
            path.unlink(missing_ok=True)


def _moved(path: Path, inode: int) -> bool:
    try:
        return os.stat(path).st_ino != inode
    except OSError:
        return True


def _answer(conn: socket.socket, extract_chunk) -> bool:
    """Answer a connection's requests until it closes; False when asked to stop."""
    conn.settimeout(CLIENT_IDLE)
    while True:
        try:
            request = _receive(conn)
        except (OSError, EOFError, pickle.UnpicklingError, struct.error):
            return True
        if request[0] == "stop":
            try:
                _send(conn, ("stopped",))
            except OSError:
                pass
            return False
        _kind, sources, registry = request
        try:
            _send(conn, extract_chunk(sources, registry))
        except OSError:
            return True


if __name__ == "__main__":
    serve(Path(sys.argv[1]), float(sys.argv[2]))
