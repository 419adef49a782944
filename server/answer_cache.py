"""Answers to ``/sparql`` requests kept per graph version, so that a request repeated
(a dashboard's poll, the editor's examples, a crawler, a client retrying) is answered
without evaluating its query again.

Why it is safe: an embedded store's generation never changes once in service (a
build, ``load`` or a review decision makes a new one, or rewrites ``CURRENT``), and
the key holds the version stamp (``Snapshot.version_stamp``), so an answer never
outlives the data it was computed from. The rest of the key is everything an answer
depends on: the method, the URL's query string, the body and its type, ``Accept``
and the host (the base IRI of relative IRIs); the settings are those of this
server. A query that asks for the time, random numbers, fresh identifiers or
another endpoint (``NOW()``, ``RAND()``, ``UUID()``, ``STRUUID()``, ``BNODE()``,
``SERVICE``) is never kept. Only whole answers (status 200, at most MAX_ANSWER bytes) are kept, the least
recently used dropped first when the cache is over its size. A store without a version stamp (a remote endpoint,
which others may write to) is never cached.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from qharmony.queries.screen import query_tokens

#: most bytes of answers kept, and the largest answer kept
MAX_BYTES, MAX_ANSWER = 64 * 1024 * 1024, 1024 * 1024
#: most answers kept
MAX_ENTRIES = 4096

#: what makes one evaluation's answer differ from the next on the same graph: the
#: clock, random numbers, fresh identifiers, another endpoint's data
VOLATILE = frozenset({"NOW", "RAND", "UUID", "STRUUID", "BNODE", "SERVICE"})

Key = tuple
Answer = tuple[int, str, bytes, dict]


class AnswerCache:
    """Least recently used answers, bounded in count and in bytes; thread-safe."""

    def __init__(self, max_bytes: int = MAX_BYTES, max_entries: int = MAX_ENTRIES, max_answer: int = MAX_ANSWER):
        self.max_bytes, self.max_entries, self.max_answer = max_bytes, max_entries, max_answer
        self._answers: OrderedDict[Key, Answer] = OrderedDict()
        self._bytes = 0
        self._version: str | None = None
        self._lock = threading.Lock()

    @staticmethod
    def key(version: str, environ: dict, body: bytes) -> Key:
        return (
            version,
            environ.get("REQUEST_METHOD"),
            environ.get("QUERY_STRING", ""),
            environ.get("CONTENT_TYPE", ""),
            body,
            environ.get("HTTP_ACCEPT", ""),
            environ.get("HTTP_HOST") or environ.get("SERVER_NAME", ""),
            environ.get("wsgi.url_scheme", "http"),
        )

    @staticmethod
    def keeps(query: str) -> bool:
        """Whether an answer to this text may be given again: not when it asks for
        the time, random numbers, fresh identifiers or another endpoint."""
        upper = query.upper()
        if not any(word in upper for word in VOLATILE):  # none of the names, not even as text
            return True
        return not any(kind == "name" and word.upper() in VOLATILE for kind, word in query_tokens(query))

    def get(self, key: Key) -> Answer | None:
        with self._lock:
            answer = self._answers.get(key)
            if answer is not None:
                self._answers.move_to_end(key)
            return answer

    def put(self, key: Key, answer: Answer) -> None:
        status, _, body, _ = answer
        if status != 200 or len(body) > self.max_answer:
            return
        with self._lock:
            if key[0] != self._version:  # a new graph version: the old answers can go now
                self._answers.clear()
                self._bytes, self._version = 0, key[0]
            old = self._answers.pop(key, None)
            if old is not None:
                self._bytes -= len(old[2])
            self._answers[key] = answer
            self._bytes += len(body)
            while self._answers and (self._bytes > self.max_bytes or len(self._answers) > self.max_entries):
                _, dropped = self._answers.popitem(last=False)
                self._bytes -= len(dropped[2])

    def __len__(self) -> int:
        return len(self._answers)
