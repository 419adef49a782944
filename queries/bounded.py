"""A proof, from a query's tokens alone, that evaluating it costs no more than reading
the rows it may return: one triple pattern, nothing that sorts, groups, skips or joins.

Why: a query worker is another process, and on a loaded machine each hop to it and
back waits for a time slice: a fresh lookup took several times what the Oxigraph
server takes. Most light queries a client sends are one pattern: an entity's
statements (``SELECT ?p ?o WHERE { <e> ?p ?o }``), whether something holds
(``ASK { ... }``), the first rows of one property (``... LIMIT 20``). Oxigraph answers
a single pattern from one of its indexes, streaming, and stops at the row cap the
endpoint puts on every answer, so such a query can neither run long, nor grow in
memory, nor nest deep enough to crash the engine: it is safe to evaluate in the
server's own process. Anything the proof does not recognise goes to a worker, as
before. The proof is strict on purpose: a shape it refuses costs a hop, a shape it
wrongly accepted could cost the server. It is one regular expression over the whole
text, spelling each token as the screen's reader does (comments and white space
between them), so a fresh query is proved without being read token by token, and
it gives the ``TopLevel`` a worker would have been sent.

Accepted, after any ``BASE`` and ``PREFIX`` declarations::

    SELECT (* | ?v ...) [WHERE] { s p o [.] } [LIMIT n]
    ASK [WHERE] { s p o [.] }

where ``s``, ``p`` and ``o`` are each an IRI, a prefixed name or a variable (``p``
also ``a``; no variable twice: that would filter a whole index), and ``o`` may be a
plain or typed string, or a whole number.
"""

from __future__ import annotations

import functools
import re

from .evaluation import TopLevel
from .screen import CACHED_CHARS

#: the pieces of the one shape accepted, each as the screen's tokens spell it
_GAP = r"(?:\s++|\#[^\r\n]*+)*+"  # white space and comments (a comment ends at \r or \n, as pyoxigraph reads it)
_IRI = r"<[^<>\"{}|^`\\\x00-\x20]*>"
_B7, _C0 = r"[^\x00-\xb6\U00010000-\U0010ffff]", r"[^\x00-\xbf\U00010000-\U0010ffff]"
_PNAME = rf"(?:(?:[A-Za-z_]|{_C0})(?:[\w.\-]|{_B7})*+)?:(?:[\w.\-:%]|{_B7})*+"  # no backslash escape
_VAR = rf"[?$](?:[A-Za-z0-9_]|{_B7})++"
_NODE = rf"(?:{_IRI}|{_PNAME}|{_VAR})"
_STRING = r"(?:'(?:[^'\\\n]|\\.)*+'|\"(?:[^\"\\\n]|\\.)*+\")"
_OBJECT = rf"(?:{_NODE}|[0-9]++|{_STRING}(?:{_GAP}\^\^{_GAP}(?:{_IRI}|{_PNAME}))?)"
_SHAPE = re.compile(
    rf"""{_GAP}
    (?:(?:BASE{_GAP}{_IRI}|PREFIX{_GAP}{_PNAME}{_GAP}{_IRI}){_GAP})*
    (?:(?P<select>SELECT){_GAP}(?:\*|(?:{_VAR}{_GAP})++)|(?P<ask>ASK))
    {_GAP}(?:WHERE{_GAP})?\{{{_GAP}
    (?P<s>{_NODE}){_GAP}(?P<p>{_NODE}|a){_GAP}(?P<o>{_OBJECT}){_GAP}(?:\.{_GAP})?\}}
    {_GAP}(?:LIMIT{_GAP}(?P<limit>[0-9]{{1,18}}+){_GAP})?""".replace("\n    ", "").replace("\n", ""),
    re.IGNORECASE,
)


def bounded_shape(query: str) -> TopLevel | None:
    """The query's ``TopLevel`` when it is one triple pattern as the module docstring
    says (its cost bounded by the rows it returns, and so by the row cap); else None."""
    if len(query) > CACHED_CHARS:
        return None  # one pattern is short: a long text goes to a worker, unproved
    return _proved(query)


def is_bounded(query: str) -> bool:
    """True when the text is one triple pattern as the module docstring says."""
    return bounded_shape(query) is not None


def _prove(query: str) -> TopLevel | None:
    match = _SHAPE.fullmatch(query)
    if match is None:
        return None
    if match["ask"] and match["limit"] is not None:
        return None
    if any(term.startswith("_:") for term in (match["s"], match["p"], match["o"])):
        return None  # a blank node is a variable: twice, it would filter a whole index
    names = [term[1:] for term in (match["s"], match["p"], match["o"]) if term[:1] in "?$"]
    if len(set(names)) < len(names):
        return None  # a variable twice (``?x ?x ?o``) is a filter over a whole index
    limit = int(match["limit"]) if match["limit"] is not None else None
    return TopLevel("SELECT" if match["select"] else "ASK", limit, False, False)


_proved = functools.lru_cache(maxsize=512)(_prove)
