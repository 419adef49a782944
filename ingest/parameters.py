"""The vocabulary thresholds are named from, read from the ontology
(``qh:TechnicalParameter`` individuals): each parameter's name, the unit its values
are stored in, and the phrases that name it in regulation text. Adding a cue or a
parameter to ``qharmony.ttl`` extends what extraction reads; nothing here lists
parameters by hand."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import rdflib
from rdflib.namespace import RDF, RDFS

from qharmony.ontology.files import shared_ontology_graph
from qharmony.ontology.namespaces import QH


@dataclass(frozen=True)
class Parameter:
    name: str
    unit: str
    cues: tuple[str, ...]
    default: bool


@lru_cache(maxsize=1)
def vocabulary() -> dict[str, Parameter]:
    """Every technical parameter of the ontology, by name."""
    graph = shared_ontology_graph()  # read only: no copy
    out: dict[str, Parameter] = {}
    for node in graph.subjects(RDF.type, rdflib.URIRef(QH + "TechnicalParameter")):
        name = str(graph.value(node, rdflib.URIRef(QH + "parameterName")))
        unit = str(graph.value(node, rdflib.URIRef(QH + "normalisedUnit")))
        labels = [str(v) for v in graph.objects(node, RDFS.label)]
        cues = labels + [str(v) for v in graph.objects(node, rdflib.URIRef(QH + "cue"))]
        default = graph.value(node, rdflib.URIRef(QH + "defaultFor")) is not None
        out[name] = Parameter(name, unit, tuple(sorted(set(cues), key=len, reverse=True)), default)
    return out


@lru_cache(maxsize=16)
def parameters_for(unit: str) -> tuple[Parameter, ...]:
    """The parameters whose values are in ``unit``, in a stable order."""
    return tuple(sorted((p for p in vocabulary().values() if p.unit == unit), key=lambda p: p.name))


@lru_cache(maxsize=1)
def characteristic_parameters() -> dict[str, str]:
    """parameter name -> technology slug it identifies (``qh:characterisedBy``)."""
    graph = shared_ontology_graph()  # read only: no copy
    out = {}
    for cls, name in graph.subject_objects(rdflib.URIRef(QH + "characterisedBy")):
        slug = graph.value(cls, rdflib.URIRef(QH + "technologySlug"))
        if slug is not None:
            out[str(name)] = str(slug)
    return out


@lru_cache(maxsize=1)
def _any_cue() -> re.Pattern[str]:
    cues = sorted({c for p in vocabulary().values() for c in p.cues}, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(c) for c in cues) + r")", re.I)


def names_parameter(text: str) -> bool:
    """Whether the words name a parameter of the vocabulary ("C-NOT error", "Cooling power
    at 0.1 K"); a table's "Limit" or "Rating" column head does not."""
    return bool(_any_cue().search(text))
