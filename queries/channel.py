"""One end of the socket between the server and a query worker: whole pickled
messages each way, and a poll that says whether one is waiting.

Why not ``multiprocessing.connection``: importing it costs both processes tens of
milliseconds before ``serve`` answers (and it builds a selector for every poll);
this is the same framing (a 4-byte big-endian length, then the pickle) on a plain
socket, read exactly, never into a buffer of its own, so a poll of the socket tells
the whole truth about what is waiting. A message may carry file descriptors
(SCM_RIGHTS, with its first bytes): the client connection a worker writes an answer to.
"""

from __future__ import annotations

import math
import pickle
import select
import socket
import struct

_LENGTH = struct.Struct("!i")
_LONG = struct.Struct("!Q")
#: most file descriptors one message carries
MAX_FDS = 1


class Channel:
    """Messages over one connected stream socket (not thread-safe: one user a side)."""

    def __init__(self, sock: socket.socket):
        self.sock = sock
        self._poller = select.poll()
        self._poller.register(sock.fileno(), select.POLLIN)

    @classmethod
    def from_fd(cls, fd: int) -> Channel:
        return cls(socket.socket(fileno=fd))

    def send(self, message, fds: tuple[int, ...] = ()) -> None:
        """Send one message, with ``fds`` (file descriptors the other end receives as
        its own) when given."""
        data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
        if len(data) > 0x7FFFFFFF:  # over 2 GB: -1, then an 8-byte length
            data = _LENGTH.pack(-1) + _LONG.pack(len(data)) + data
        else:
            data = _LENGTH.pack(len(data)) + data
        if fds:
            sent = socket.send_fds(self.sock, [data], list(fds))
            data = data[sent:]
        if data:
            self.sock.sendall(data)

    def recv(self):
        """The next message; EOFError when the other end has closed."""
        (size,) = _LENGTH.unpack(self._exactly(4))
        if size == -1:
            (size,) = _LONG.unpack(self._exactly(8))
        return pickle.loads(self._exactly(size))

    def recv_with_fds(self) -> tuple[object, list[int]]:
        """The next message and the file descriptors that came with it (the caller
        closes them); EOFError when the other end has closed."""
        start, fds, _, _ = socket.recv_fds(self.sock, 4, MAX_FDS)
        if not start:
            raise EOFError
        head = start + self._exactly(4 - len(start)) if len(start) < 4 else start
        (size,) = _LENGTH.unpack(head)
        if size == -1:
            (size,) = _LONG.unpack(self._exactly(8))
        return pickle.loads(self._exactly(size)), fds

    def poll(self, seconds: float) -> bool:
        """Whether a message (or the other end's closing) is waiting, within ``seconds``."""
        return bool(self._poller.poll(math.ceil(max(0.0, seconds) * 1000)))

    def _exactly(self, size: int) -> bytearray:
        buf = bytearray(size)
        view, got = memoryview(buf), 0
        while got < size:
            n = self.sock.recv_into(view[got:])
            if n == 0:
                raise EOFError
            got += n
        return buf

    def close(self) -> None:
        self.sock.close()
