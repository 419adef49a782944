"""What extraction reads of a parsed block, computed once per doc.

spaCy recomputes ``Doc.text`` (a Python object per token), ``Doc.ents``, ``Doc.sents``
and ``Span.ents`` (a rescan of the whole doc's entities) on every access; the walk asks
for them many times per block, which on the real CCL cost more than the pipeline
itself. These functions return the same values, kept in ``doc.user_data``. They are
for the walk, after the pipeline has run: a component that changes ``doc.ents`` must
not use them.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # spaCy is imported by what makes the docs; readers of a mapping need not
    from spacy.tokens import Doc, Span

TEXT = "qharmony.text"
_ENTS = "qharmony.ents"
_STARTS = "qharmony.ent_starts"
_SENTS = "qharmony.sents"
_SENT_ENDS = "qharmony.sent_ends"
_OWNERS = "qharmony.owners"
_CITATIONS = "qharmony.citations"


def doc_text(doc: Doc) -> str:
    """``doc.text``; extraction stores the block's text when it makes the doc."""
    data = doc.user_data
    text = data.get(TEXT)
    if text is None:
        text = data[TEXT] = doc.text
    return text


def span_text(span: Span) -> str:
    """``span.text``: a slice of the doc's text (a span never ends in whitespace)."""
    return doc_text(span.doc)[span.start_char : span.end_char]


def doc_ents(doc: Doc) -> tuple[Span, ...]:
    """``doc.ents``."""
    data = doc.user_data
    ents = data.get(_ENTS)
    if ents is None:
        ents = data[_ENTS] = tuple(doc.ents)
        data[_STARTS] = [e.start for e in ents]
    return ents


def span_ents(span: Span) -> list[Span]:
    """``span.ents``: the entities from the span's start up to the first that ends
    past it, as spaCy computes them, found by bisection."""
    ents = doc_ents(span.doc)
    starts = span.doc.user_data[_STARTS]
    out = []
    end = span.end
    for i in range(bisect_left(starts, span.start), len(ents)):
        if ents[i].end > end:
            break
        out.append(ents[i])
    return out


def release(doc: Doc) -> None:
    """Drop the cached spans once the walk is done with a doc: they refer to it, and the
    cycle would keep it (and its tokens) alive until the collector's next full pass."""
    data = doc.user_data
    for key in (_ENTS, _STARTS, _SENTS, _SENT_ENDS, _OWNERS, _CITATIONS):
        data.pop(key, None)


def doc_sents(doc: Doc) -> list[Span]:
    """``list(doc.sents)``."""
    data = doc.user_data
    sents = data.get(_SENTS)
    if sents is None:
        sents = data[_SENTS] = list(doc.sents)
    return sents


def span_sent(span: Span) -> Span:
    """``span.sent`` (the doc has sentence starts): the sentence the span starts in, found
    by bisection (spaCy walks the tokens to both of its ends and makes a new span on every
    access)."""
    data = span.doc.user_data
    ends = data.get(_SENT_ENDS)
    if ends is None:
        ends = data[_SENT_ENDS] = [s.end for s in doc_sents(span.doc)]
    return doc_sents(span.doc)[bisect_right(ends, span.start)]


def owner_memo(doc: Doc) -> dict:
    """A dict kept with the doc for the walk: whose list a code is on, per (sentence, code)
    (``owners.named_jurisdiction`` is asked again for the same code by several rules)."""
    data = doc.user_data
    memo = data.get(_OWNERS)
    if memo is None:
        memo = data[_OWNERS] = {}
    return memo


def citations_memo(doc: Doc) -> dict:
    """A dict kept with the doc for the walk: the block's citations, per the document's own
    series (``citations.block_citations``; its mentions and its dates read the same text)."""
    data = doc.user_data
    memo = data.get(_CITATIONS)
    if memo is None:
        memo = data[_CITATIONS] = {}
    return memo
