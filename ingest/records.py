"""What extraction produces: entities and relations with spans and confidence.

These records are the ``qharmony extract --format jsonl`` schema and the input of
the RDF mapping; canonical ids are ISO codes for countries, ``JUR:CODE`` for entries,
technology slugs, and threshold dictionaries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Entity:
    type: str
    id: str
    text: str
    start: int
    end: int
    confidence: float
    rule: str
    attributes: dict[str, Any] = field(default_factory=dict)
    sentence: tuple[int, int] | None = None

    def to_json(self, document: str) -> dict:
        data = {
            "kind": "entity",
            "type": self.type,
            "id": self.id,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "confidence": round(self.confidence, 3),
            "document": document,
            "rule": self.rule,
        }
        if self.attributes:
            data["attributes"] = self.attributes
        return data


@dataclass(frozen=True)
class Reviewed:
    """A person's decision applied to a relation (``ingest/decisions.py``): the
    fingerprint of the fact as extracted, and the decision's IRI and action."""

    fingerprint: str
    decision: str
    action: str


@dataclass
class Relation:
    type: str
    subject: str
    subject_type: str
    object: Any
    object_type: str
    start: int
    end: int
    confidence: float
    rule: str
    sentence: tuple[int, int] | None = None
    #: a refinement of the type, e.g. ``same_text`` for ``corresponds_to``
    qualifier: str = ""
    #: set when a reviewer's decision was applied to this relation
    review: Reviewed | None = None

    def to_json(self, document: str) -> dict:
        data = {
            "kind": "relation",
            "type": self.type,
            "subject": self.subject,
            "object": self.object,
            "start": self.start,
            "end": self.end,
            "confidence": round(self.confidence, 3),
            "document": document,
            "rule": self.rule,
        }
        if self.qualifier:
            data["qualifier"] = self.qualifier
        return data


@dataclass(frozen=True)
class Pointer:
    """A software (D) or technology (E) entry "for items in 4A906.b" whose targets this
    document does not define: it controls ``kinds`` when another document of the same
    build says a target controls a quantum technology (``ingest/pointers.py``)."""

    entry: str
    targets: tuple[str, ...]
    kinds: tuple[str, ...]
    start: int
    end: int
    confidence: float
    rule: str
    #: a Technology mention to record when the pointer resolves ("4D906 software")
    mention: tuple[int, int] | None = None


@dataclass
class Extraction:
    """Everything read from one document."""

    document: str
    text: str
    title: str = ""
    source_url: str = ""
    path: str = ""
    entities: list[Entity] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    #: entries that point to entries of other documents, settled by ``pointers.resolve``
    pointers: list[Pointer] = field(default_factory=list)

    def to_jsonl_records(self) -> list[dict]:
        return [e.to_json(self.document) for e in self.entities] + [r.to_json(self.document) for r in self.relations]
