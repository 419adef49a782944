"""The ontology as documentation: an index of its terms and a page per class or
property, with axioms in plain words, usage counts and examples from the data."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from qharmony.ontology.namespaces import ONTOLOGY_GRAPH, OWL, QH, RDF, RDFS, SKOS, compact

from .catalog import get_query
from .results import Term, cell
from .store import Store

SKOS_DEFINITION = SKOS + "definition"

#: axiom predicate -> headings on the page when the term is its subject, and its object
_SECTIONS = {
    RDFS + "subClassOf": ("superclasses", "subclasses"),
    RDFS + "subPropertyOf": ("superproperties", "subproperties"),
    RDFS + "domain": ("domain", "used as domain of"),
    RDFS + "range": ("range", "used as range of"),
    OWL + "inverseOf": ("inverse", "inverse"),
    OWL + "disjointWith": ("disjoint with", "disjoint with"),
}
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
            "label": cell(r, "label", compact(r["term"].value)),
            "definition": cell(r, "definition"),
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
        label = cell(r, "otherLabel", compact(other.value))
        if direction == "out" and p == RDF + "type":
            page.kind = page.kind or _KINDS.get(other.value, "")
            if other.value in _CHARACTERISTICS:
                page.characteristics.append(_CHARACTERISTICS[other.value])
        elif direction == "out" and p == RDFS + "label":
            page.label = other.value
        elif direction == "out" and p == SKOS_DEFINITION:
            page.definition = other.value
        if p in _SECTIONS and other.type == "uri":
            refs = page.sections.setdefault(_SECTIONS[p][0 if direction == "out" else 1], [])
            if all(ref.iri != other.value for ref in refs):
                refs.append(TermRef(other.value, label))
    page.found = bool(page.kind)
    if not page.found:
        return page
    usage = store.select(get_query("term_usage").text, {"term": Term.iri(iri)}).rows
    if usage:
        page.instances = int(usage[0]["instances"].value)
        page.uses = int(usage[0]["uses"].value)
    examples = "class_examples" if page.kind == "class" else "property_examples"
    for r in store.select(get_query(examples).text, {"term": Term.iri(iri)}).rows:
        page.examples.append(
            {
                "subject": r["subject"].value,
                "subject_label": cell(r, "subjectLabel"),
                "object": cell(r, "object"),
                "object_label": cell(r, "objectLabel", cell(r, "object")),
            }
        )
    return page
