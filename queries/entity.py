"""What the graph knows about one entity, for its page and its JSON twin."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from functools import lru_cache

from rdflib import URIRef

from qharmony.ontology.files import ontology_graph
from qharmony.ontology.namespaces import INFERRED_GRAPH, RDF, RDFS, compact

from .analysis.evidence import document_kind, excerpt, review_of
from .catalog import get_query
from .results import Term, cell
from .store import Store

_LABEL = RDFS + "label"


@lru_cache(maxsize=1)
def _term_labels() -> dict[str, str]:
    graph = ontology_graph()
    return {str(s): str(o) for s, o in graph.subject_objects(URIRef(_LABEL))}


def term_label(iri: str) -> str:
    """A person's name for an ontology term, else its prefixed name."""
    return _term_labels().get(iri) or compact(iri)


@dataclass
class Statement:
    predicate: str
    predicate_label: str
    value: dict
    value_label: str
    inferred: bool


@dataclass
class Evidence:
    predicate: str
    predicate_label: str
    value: dict
    value_label: str
    document: str
    document_title: str
    start: int
    end: int
    before: str
    span: str
    after: str
    confidence: float
    rule: str
    held_for_review: bool
    #: OfficialText, Summary or Commentary: only official text is quoted as law
    document_kind: str = "Commentary"
    official_url: str = ""
    hedged: bool = False
    #: review (issue 16): the fact's fingerprint, and whether it was reviewed, by whom, when
    fingerprint: str = ""
    review: dict = field(default_factory=dict)


@dataclass
class EntityPage:
    iri: str
    label: str
    types: list[dict] = field(default_factory=list)
    outgoing: list[Statement] = field(default_factory=list)
    incoming: list[Statement] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def found(self) -> bool:
        return bool(self.outgoing or self.incoming)

    def to_json(self) -> dict:
        return asdict(self)


def _value_label(term: Term, label: Term | None) -> str:
    if label is not None:
        return label.value
    if term.type == "uri":
        return term_label(term.value)
    return term.value


def entity_page(store: Store, iri: str) -> EntityPage:
    """Statements about ``iri`` both ways, and the evidence each was read from."""
    bind = {"entity": Term.iri(iri)}
    out = store.select(get_query("entity_outgoing").text, bind)
    page = EntityPage(iri, compact(iri))
    for row in out.rows:
        p, o = row["p"].value, row["o"]
        if p == _LABEL and page.label == compact(iri):
            page.label = o.value
        if p == RDF + "type":
            if row["g"].value != INFERRED_GRAPH:
                page.types.append({"iri": o.value, "label": term_label(o.value)})
            continue
        page.outgoing.append(
            Statement(
                p, term_label(p), o.to_json(), _value_label(o, row.get("oLabel")), row["g"].value == INFERRED_GRAPH
            )
        )
    inc = store.select(get_query("entity_incoming").text, bind)
    for row in inc.rows:
        s, p = row["s"], row["p"].value
        page.incoming.append(
            Statement(
                p, term_label(p), s.to_json(), _value_label(s, row.get("sLabel")), row["g"].value == INFERRED_GRAPH
            )
        )
    _dedupe(page)
    ev = store.select(get_query("entity_evidence").text, bind)
    for row in ev.rows:
        ex, o = excerpt(row), row["o"]
        page.evidence.append(
            Evidence(
                row["p"].value,
                term_label(row["p"].value),
                o.to_json(),
                _value_label(o, None),
                ex.document,
                ex.document_title,
                ex.start,
                ex.end,
                ex.before,
                ex.span,
                ex.after,
                ex.confidence,
                row["rule"].value,
                "held" in row,
                document_kind(row),
                cell(row, "officialUrl"),
                "hedged" in row,
                cell(row, "fingerprint"),
                review_of(row),
            )
        )
    return page


def _dedupe(page: EntityPage) -> None:
    """A statement asserted in a document and also inferred is shown once, as asserted."""
    for attr in ("outgoing", "incoming"):
        seen: dict[tuple, Statement] = {}
        for st in getattr(page, attr):
            key = (st.predicate, st.value["value"])
            if key not in seen or (seen[key].inferred and not st.inferred):
                seen[key] = st
        setattr(page, attr, list(seen.values()))
