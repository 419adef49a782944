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


def test_a_message_carries_a_descriptor_that_the_other_end_receives_as_its_own():
    a, b = socket.socketpair()
    server, worker = Channel(a), Channel(b)
    left, right = socket.socketpair()  # stands for a client's connection
    # larger than the socket holds: the descriptor goes with the first bytes, the rest follows
    sender = threading.Thread(target=server.send, args=(("query", "x" * 3_000_000), (left.fileno(),)))
    sender.start()
    message, fds = worker.recv_with_fds()
    sender.join(10)
    assert message == ("query", "x" * 3_000_000) and len(fds) == 1 and fds[0] != left.fileno()
    with socket.socket(fileno=fds[0]) as theirs:  # the worker's own descriptor of the same connection
        theirs.sendall(b"answer")
    assert right.recv(16) == b"answer"
    server.send("plain")  # no descriptor: nothing comes with it
    assert worker.recv_with_fds() == ("plain", [])
    for s in (left, right, server, worker):
        s.close()


def test_a_worker_writes_a_whole_answer_to_the_client_only_while_it_may():
    import time

    from qharmony.queries.wire import Delivered, Delivery, deliver, written

    client, conn = socket.socketpair()
    answer = Encoded(b'{"boolean": true}', "application/sparql-results+json", "boolean")
    head = (b"HTTP/1.1 200 OK\r\nContent-Length: ", b"\r\n\r\n")
    later = time.monotonic() + 60
    got = deliver(answer, Delivery(conn.fileno(), {"boolean": head}, keep=True, write_by=later), conn.fileno())
    assert isinstance(got, Delivered) and got.sent == got.total and got.answer == answer
    on_the_wire = b"HTTP/1.1 200 OK\r\nContent-Length: 17\r\n\r\n" + answer.body
    assert client.recv(1000) == written(head, answer.body) == on_the_wire
    assert got.rest(head) == b""
    not_kept = deliver(answer, Delivery(conn.fileno(), {"boolean": head}, write_by=later), conn.fileno())
    assert not_kept.answer is None and client.recv(1000).endswith(answer.body)
    past = Delivery(conn.fileno(), {"boolean": head}, write_by=time.monotonic() - 1)
    assert deliver(answer, past, conn.fileno()) is answer  # too late: the server may stop it, it writes nothing
    cut = Encoded(answer.body, answer.media, "boolean", truncated=True)
    assert deliver(cut, Delivery(conn.fileno(), {"boolean": head}, write_by=later), conn.fileno()) is cut
    select = Encoded(b"{}", answer.media, "select")  # no head for its kind (the format does not fit it)
    assert deliver(select, Delivery(conn.fileno(), {"boolean": head}, write_by=later), conn.fileno()) is select
    conn.setblocking(False)
    huge = Encoded(b"x" * 20_000_000, "text/csv", "select")  # more than the connection takes at once
    part = deliver(huge, Delivery(conn.fileno(), {"select": head}, write_by=later), conn.fileno())
    assert 0 <= part.sent < part.total and part.answer == huge
    assert part.rest(head) == written(head, huge.body)[part.sent :]  # what the server sends after it
    for s in (client, conn):
        s.close()
