"""EntityRuler patterns, generated from the ontology and from pycountry.

Adding an ``skos:altLabel`` to a technology class in the ontology extends what
extraction finds; nothing here lists technologies by hand.
"""

from __future__ import annotations

from functools import lru_cache

import rdflib
from rdflib.namespace import RDFS, SKOS

from qharmony.ontology.files import shared_ontology_graph
from qharmony.ontology.namespaces import QH

from . import eccn
from .linking import CASE_SENSITIVE, country_names

#: a national list code of another shape ("RQ-101", "FX-4", "OS-3.2"): an entry code only
#: where a word says so ("entry FX-4", "Item RQ-110"), never alone
NATIONAL_CODE_REGEX = r"^[A-Z]{1,4}-[A-Z]?\d{1,4}(?:[./-]\d{1,4})*[a-z]?$"
#: an ECCN or a UK PL number, with its paragraph path ("4A906.a.1", "5A002.z.1.a")
CODE_REGEX = rf"^(?:{eccn.CODE}|PL\d{{4}}(?:\.{eccn.PATH})?)$"

#: Arrangements named in texts, by their usual names.
ARRANGEMENTS = {
    "wassenaar-arrangement": ["Wassenaar Arrangement", "Wassenaar"],
    "aukus": ["AUKUS"],
    "aukus-quantum-arrangement": ["AUKUS Quantum Arrangement", "AQuA"],
    "eu-us-data-privacy-framework": ["Data Privacy Framework"],
    "convention-108-plus": ["Convention 108"],
    "tokyo-statement-quantum": ["Tokyo Statement on Quantum Cooperation", "Tokyo Statement"],
}


@lru_cache(maxsize=1)
def technology_labels() -> dict[str, tuple[str, str]]:
    """Every label and alternative label of a technology class: text -> (slug, class IRI)."""
    graph = shared_ontology_graph()  # read only: no copy
    labels: dict[str, tuple[str, str]] = {}
    for cls, slug in graph.subject_objects(rdflib.URIRef(QH + "technologySlug")):
        for prop in (RDFS.label, SKOS.altLabel):
            for label in graph.objects(cls, prop):
                labels[str(label)] = (str(slug), str(cls))
    return labels


def _plural(text: str) -> str | None:
    last = text.split()[-1] if text.split() else ""
    if last.lower().endswith("s") or not last.replace("-", "").isalpha():
        return None
    if last.endswith("y") and last[-2:-1] not in "aeiou":
        return text[:-1] + "ies"  # "quantum computer assemblies"
    return text + "s"


def technology_patterns() -> list[dict]:
    """Phrase patterns (matched on lower-case text by the PhraseMatcher, far cheaper
    than token patterns), with the plural of the last word."""
    patterns = []
    for text, (slug, _iri) in technology_labels().items():
        patterns.append({"label": "TECHNOLOGY", "pattern": text, "id": slug})
        plural = _plural(text)
        if plural:
            patterns.append({"label": "TECHNOLOGY", "pattern": plural, "id": slug})
        if text.count(" ") == 1 and text.replace(" ", "").isalpha():
            # a compound modifier, hyphenated: "the quantum-computer text", "dilution-refrigerator makers"
            patterns.append({"label": "TECHNOLOGY", "pattern": text.replace(" ", "-"), "id": slug})
    return patterns


def jurisdiction_patterns() -> list[dict]:
    """Phrase patterns for country names; names that are also ordinary words in
    lower case ("Chad", "US") keep a case-sensitive token pattern."""
    patterns = []
    for name, code in country_names().items():
        pattern = [{"ORTH": name}] if name in CASE_SENSITIVE else name
        patterns.append({"label": "JURISDICTION", "pattern": pattern, "id": code})
    return patterns


def code_patterns() -> list[dict]:
    return [
        {"label": "CONTROL_CODE", "pattern": [{"TEXT": {"REGEX": CODE_REGEX}}]},
        *(
            {"label": "CONTROL_CODE", "pattern": [{"LOWER": word}, {"TEXT": {"REGEX": r"^\d{4}$"}}]}
            for word in ("item", "items")
        ),
        *(
            {"label": "CONTROL_CODE", "pattern": [{"LOWER": word}, {"TEXT": {"REGEX": NATIONAL_CODE_REGEX}}]}
            for word in ("entry", "item", "entries", "items")
        ),
    ]


def arrangement_patterns() -> list[dict]:
    return [{"label": "TREATY", "pattern": name, "id": slug} for slug, names in ARRANGEMENTS.items() for name in names]


def all_patterns() -> list[dict]:
    return [
        *code_patterns(),
        *technology_patterns(),
        *arrangement_patterns(),
        *jurisdiction_patterns(),
    ]
