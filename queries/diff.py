"""What the graph learned between two builds: the statements added and removed,
grouped by the entity they are about (an entry added, a threshold changed, a date
corrected, a document added or removed), each with the document it came from.

Only what sources say is compared: the document graphs, the reference graph, user
graphs and the quarantine. The inferred, ontology, validation and meta graphs follow
from those, so their changes are counted, not listed. Evidence records (the
``rdf:Statement`` that says where a fact was read) are grouped under the entity whose
fact they record.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from qharmony.ontology.namespaces import (
    DCTERMS,
    GRAPH,
    ID,
    INFERRED_GRAPH,
    META_GRAPH,
    ONTOLOGY_GRAPH,
    RDF,
    RDFS,
    SKOS,
    VALIDATION_GRAPH,
    XSD,
)

from .analysis.version import GraphVersion
from .nquads import Quad, iri, literal_value, parse_line
from .versions import VersionInfo

_DERIVED = {INFERRED_GRAPH, ONTOLOGY_GRAPH, VALIDATION_GRAPH, META_GRAPH}
_LABELS = (SKOS + "notation", RDFS + "label", DCTERMS + "title")


@dataclass
class StatementChange:
    change: str  # "added" or "removed"
    subject: str
    predicate: str
    object: str
    document: str

    def to_json(self) -> dict:
        return {
            "change": self.change,
            "subject": literal_value(self.subject),
            "predicate": iri(self.predicate),
            "object": literal_value(self.object),
            "object_term": self.object,
            "document": self.document,
        }


@dataclass
class EntityChange:
    """Everything that changed about one entity."""

    entity: str
    label: str
    kind: str
    change: str  # "added", "removed" or "changed"
    summary: str
    documents: list[str]
    statements: list[StatementChange] = field(default_factory=list)
    #: every IRI its statements name, so a feed can pick the changes about a topic
    mentions: set[str] = field(default_factory=set)

    def to_json(self) -> dict:
        return {
            "entity": self.entity,
            "label": self.label,
            "kind": self.kind,
            "change": self.change,
            "summary": self.summary,
            "documents": self.documents,
            "statements": [s.to_json() for s in self.statements],
        }


@dataclass
class VersionDiff:
    old: VersionInfo
    new: VersionInfo
    entities: list[EntityChange]
    documents_added: list[str]
    documents_removed: list[str]
    added: int
    removed: int
    derived_added: int
    derived_removed: int

    @property
    def version(self) -> GraphVersion:
        return GraphVersion(self.new.hash, self.new.conforms, self.new.pipeline)

    @property
    def as_of(self) -> str:
        return f"{self.old.short} ({self.old.built}) to {self.new.short} ({self.new.built})"

    def to_json(self) -> dict:
        return {
            "from": self.old.to_json(),
            "to": self.new.to_json(),
            "documents_added": self.documents_added,
            "documents_removed": self.documents_removed,
            "statements_added": self.added,
            "statements_removed": self.removed,
            "derived_added": self.derived_added,
            "derived_removed": self.derived_removed,
            "entities": [e.to_json() for e in self.entities],
        }

    def rows(self) -> list[dict]:
        """One row per statement, for CSV and spreadsheets."""
        return [
            {
                "entity": e.entity,
                "label": e.label,
                "kind": e.kind,
                "entity_change": e.change,
                "summary": e.summary,
                **{k: v for k, v in s.to_json().items() if k != "object_term"},
            }
            for e in self.entities
            for s in e.statements
        ]


def _document(graph: str) -> str:
    return graph[len(GRAPH + "doc/") :] if graph.startswith(GRAPH + "doc/") else graph.rsplit("/", 1)[-1]


def _source_quads(lines: list[str]) -> tuple[set[Quad], set[str]]:
    quads: set[Quad] = set()
    derived: set[str] = set()
    for line in lines:
        q = parse_line(line)
        if q is None:
            continue
        if q.graph in _DERIVED:
            derived.add(q.line)
        else:
            quads.add(q)
    return quads, derived


def _local(term: str) -> str:
    value = iri(term)
    return value.rsplit("#", 1)[-1] if "#" in value else value.rsplit("/", 1)[-1]


def _entity_facts(quads: set[Quad]) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """What evidence records are about, and each subject's type and label."""
    about, kinds, labels = {}, {}, {}
    for q in quads:
        p = iri(q.predicate)
        if p == RDF + "subject":
            about[q.subject] = q.object
        elif p == RDF + "type" and q.subject not in kinds:
            kinds[q.subject] = _local(q.object)
        elif p in _LABELS and (q.subject not in labels or p == SKOS + "notation"):
            labels[q.subject] = literal_value(q.object)
    return about, kinds, labels


def _is_date(term: str) -> bool:
    return term.endswith(f"^^<{XSD}date>") or term.endswith(f"^^<{XSD}gYearMonth>")


def _summary(kind: str, change: str, statements: list[StatementChange]) -> str:
    """A line a lawyer reads: what kind of thing, and what happened to it."""
    name = kind or "statement"
    if change != "changed":
        return f"{name} {change}"
    by_predicate: dict[str, dict[str, list[str]]] = {}
    for s in statements:
        if s.subject.startswith(f"<{ID}evidence/"):
            continue
        by_predicate.setdefault(_local(s.predicate), {"added": [], "removed": []})[s.change].append(s.object)
    parts = []
    for pred, sides in sorted(by_predicate.items()):
        if sides["added"] and sides["removed"]:
            word = "corrected" if all(_is_date(t) for t in sides["added"] + sides["removed"]) else "changed"
            old = ", ".join(literal_value(t) for t in sides["removed"])
            new = ", ".join(literal_value(t) for t in sides["added"])
            parts.append(f"{pred} {word}: {old} -> {new}")
        elif sides["added"]:
            parts.append(f"{pred} added")
        else:
            parts.append(f"{pred} removed")
    return f"{name} changed: " + ("; ".join(parts) if parts else "new source evidence")


def diff_versions(old: VersionInfo, old_lines: list[str], new: VersionInfo, new_lines: list[str]) -> VersionDiff:
    """The statements of ``new`` not in ``old`` and the reverse, grouped by entity."""
    before, derived_before = _source_quads(old_lines)
    after, derived_after = _source_quads(new_lines)
    added, removed = after - before, before - after
    about_new, kinds, labels = _entity_facts(after)
    about_old, kinds_old, labels_old = _entity_facts(before)
    about = about_old | about_new
    kinds, labels = kinds_old | kinds, labels_old | labels
    subjects_before = {q.subject for q in before}
    subjects_after = {q.subject for q in after}
    groups: dict[str, list[StatementChange]] = {}
    mentions: dict[str, set[str]] = {}
    for change, quads in (("added", added), ("removed", removed)):
        for q in sorted(quads, key=lambda q: q.line):
            owner = about.get(q.subject, q.subject)
            groups.setdefault(owner, []).append(
                StatementChange(change, q.subject, q.predicate, q.object, _document(q.graph))
            )
            mentions.setdefault(owner, {iri(owner)}).update(x for x in (iri(q.subject), iri(q.object)) if x)
    entities = []
    for owner, statements in groups.items():
        if owner not in subjects_before:
            change = "added"
        elif owner not in subjects_after:
            change = "removed"
        else:
            change = "changed"
        kind = kinds.get(owner, "")
        documents = sorted({s.document for s in statements})
        entities.append(
            EntityChange(
                literal_value(owner),
                labels.get(owner, _local(owner)),
                kind,
                change,
                _summary(kind, change, statements),
                documents,
                statements,
                mentions[owner],
            )
        )
    entities.sort(key=lambda e: (("added", "changed", "removed").index(e.change), e.kind, e.entity))
    docs_before = {_document(q.graph) for q in before if q.graph.startswith(GRAPH + "doc/")}
    docs_after = {_document(q.graph) for q in after if q.graph.startswith(GRAPH + "doc/")}
    return VersionDiff(
        old,
        new,
        entities,
        sorted(docs_after - docs_before),
        sorted(docs_before - docs_after),
        len(added),
        len(removed),
        len(derived_after - derived_before),
        len(derived_before - derived_after),
    )
