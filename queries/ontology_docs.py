"""The ontology as documentation: an index of its terms and a page per class or
property, with axioms in plain words, usage counts and examples from the data."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from qharmony.ontology.namespaces import ONTOLOGY_GRAPH, OWL, QH, RDF, RDFS, SKOS, compact

from .catalog import get_query
from .results import Term
from .store import Store

SKOS_DEFINITION = SKOS + "definition"

#: axiom predicate -> (heading on the page, which side of the axiom the term is on)
_SECTIONS = [
    ("superclasses", RDFS + "subClassOf", "out"),
    ("subclasses", RDFS + "subClassOf", "in"),
    ("superproperties", RDFS + "subPropertyOf", "out"),
    ("subproperties", RDFS + "subPropertyOf", "in"),
    ("domain", RDFS + "domain", "out"),
    ("range", RDFS + "range", "out"),
    ("inverse", OWL + "inverseOf", "out"),
    ("inverse", OWL + "inverseOf", "in"),
    ("disjoint with", OWL + "disjointWith", "out"),
    ("disjoint with", OWL + "disjointWith", "in"),
    ("used as domain of", RDFS + "domain", "in"),
    ("used as range of", RDFS + "range", "in"),
]
_CHARACTERISTICS = {
    OWL + "TransitiveProperty": "transitive",
    OWL + "SymmetricProperty": "symmetric",
    OWL + "FunctionalProperty": "functional",
}
_KINDS = {
    OWL + "Class": "class",
    OWL + "ObjectProperty": "object property",
    OWL + "DatatypeProperty": "datatype property",
}


@dataclass
class TermRef:
    iri: str
    label: str


@dataclass
class TermPage:
    iri: str
    found: bool = False
    kind: str = ""
    label: str = ""
    definition: str = ""
    characteristics: list[str] = field(default_factory=list)
    sections: dict[str, list[TermRef]] = field(default_factory=dict)
    instances: int = 0
    uses: int = 0
    examples: list[dict] = field(default_factory=list)

    def to_json(self) -> dict:
        return asdict(self)


def _graph() -> dict[str, Term]:
    return {"ontology": Term.iri(ONTOLOGY_GRAPH)}


def ontology_index(store: Store) -> list[dict]:
    """Every class and property with its label, definition and kind."""
    rows = store.select(get_query("ontology_terms").text, _graph()).rows
    return [
        {
            "term": r["term"].value,
            "local": r["term"].value[len(QH) :],
            "kind": r["kind"].value,
            "label": r["label"].value if "label" in r else compact(r["term"].value),
            "definition": r["definition"].value if "definition" in r else "",
        }
        for r in rows
    ]


def term_page(store: Store, local: str) -> TermPage:
    """The documentation page of ``qh:local``; ``found`` is False for unknown names."""
    iri = QH + local
    page = TermPage(iri)
    rows = store.select(get_query("ontology_term").text, {**_graph(), "term": Term.iri(iri)}).rows
    for r in rows:
        p, other, direction = r["p"].value, r["other"], r["direction"].value
        label = r["otherLabel"].value if "otherLabel" in r else compact(other.value)
        if direction == "out" and p == RDF + "type":
            page.kind = page.kind or _KINDS.get(other.value, "")
            if other.value in _CHARACTERISTICS:
                page.characteristics.append(_CHARACTERISTICS[other.value])
        elif direction == "out" and p == RDFS + "label":
            page.label = other.value
        elif direction == "out" and p == SKOS_DEFINITION:
            page.definition = other.value
        for heading, predicate, side in _SECTIONS:
            if p == predicate and direction == side and other.type == "uri":
                refs = page.sections.setdefault(heading, [])
                if all(ref.iri != other.value for ref in refs):
                    refs.append(TermRef(other.value, label))
    page.found = bool(page.kind)
    if not page.found:
        return page
    usage = store.select(get_query("term_usage").text, {"term": Term.iri(iri)}).rows
    if usage:
        page.instances = int(usage[0]["instances"].value)
        page.uses = int(usage[0]["uses"].value)
    for r in store.select(get_query("term_examples").text, {"term": Term.iri(iri)}).rows:
        page.examples.append(
            {
                "subject": r["subject"].value,
                "subject_label": r["subjectLabel"].value if "subjectLabel" in r else "",
                "object": r["object"].value if "object" in r else "",
                "object_label": (
                    r["objectLabel"].value if "objectLabel" in r else r["object"].value if "object" in r else ""
                ),
            }
        )
    return page
