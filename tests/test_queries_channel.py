"""The socket between the server and a query worker (``queries/channel.py``): whole
messages, a poll that sees every message waiting (two sent at once included), and
the other end's closing as EOFError. Fast: no store, no process."""

from __future__ import annotations

import socket
import threading

import pytest

from qharmony.queries.channel import Channel
from qharmony.queries.errors import QueryError
from qharmony.queries.wire import Encoded


def test_messages_arrive_whole_and_poll_sees_each_one_waiting():
    a, b = socket.socketpair()
    server, worker = Channel(a), Channel(b)
    assert not server.poll(0)
    answer = Encoded(b'{"head": {}, "boolean": true}', "application/sparql-results+json", "boolean", True)
    worker.send(None)  # "the store is open", then the reply: both in the socket at once
    worker.send((True, answer, 0.25))
    assert server.poll(1) and server.recv() is None
    assert server.poll(0)  # the second is still there: nothing was read ahead into a buffer
    assert server.recv() == (True, answer, 0.25)
    big = b"x" * 5_000_000  # more than the socket holds: sent while the other end reads
    sender = threading.Thread(target=worker.send, args=((False, QueryError("bad"), big),))
    sender.start()
    ok, error, body = server.recv()
    sender.join(10)
    assert (ok, str(error), body) == (False, "bad", big)
    worker.close()
    assert server.poll(1)  # the closing is news too
    with pytest.raises(EOFError):
        server.recv()
    server.close()
