"""The fingerprint of an extracted fact: what lets a reviewer's decision find the
same fact again in the next build.

It is made of the document, the words the fact was read from (its span and the
sentence around it, as text, so an edit elsewhere in the document does not move it)
and the statement itself in canonical ids (relation, subject, object), never of
IRIs, offsets or confidence, which a new pipeline version may change without the
fact changing. A fact whose fingerprint no longer appears has changed: its decisions
are reported as orphaned.
"""

from __future__ import annotations

import hashlib
import json
import re

from .records import Extraction, Relation

_SPACE = re.compile(r"\s+")


def _words(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def statement_key(r: Relation) -> list:
    """The statement of a relation as plain values, in a stable order."""
    return [r.type, r.qualifier, r.subject_type, r.subject, r.object_type, r.object]


def fact_fingerprint(ex: Extraction, r: Relation) -> str:
    """A stable hex id of one extracted fact: document, span, sentence, statement."""
    s_start, s_end = r.sentence or (r.start, r.end)
    key = [ex.document, _words(ex.text[r.start : r.end]), _words(ex.text[s_start:s_end]), *statement_key(r)]
    blob = json.dumps(key, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:24]
