"""Materialise the instance-level inferences that plain SPARQL needs.

HermiT classifies the ontology; this module applies its axioms to the data in pure
Python, so a machine without Java gets the same inferred graph. Rules: types from
subclasses, inverse properties, transitive properties, and the chain "an entry of an
instrument applies where the instrument applies".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import rdflib
from rdflib.namespace import OWL, RDF, RDFS

from .files import ontology_graph
from .namespaces import QH

Triple = tuple[rdflib.term.Node, rdflib.term.Node, rdflib.term.Node]


def _transitive(pairs: Iterable[tuple]) -> set[tuple]:
    succ: dict = defaultdict(set)
    for a, b in pairs:
        succ[a].add(b)
    out = set()
    for start in list(succ):
        seen, todo = set(), list(succ[start])
        while todo:
            nxt = todo.pop()
            if nxt not in seen:
                seen.add(nxt)
                todo.extend(succ.get(nxt, ()))
        out.update((start, b) for b in seen)
    return out


def _superclasses(onto: rdflib.Graph) -> dict[rdflib.URIRef, set[rdflib.URIRef]]:
    pairs = [(sub, sup) for sub, sup in onto.subject_objects(RDFS.subClassOf)
             if isinstance(sub, rdflib.URIRef) and isinstance(sup, rdflib.URIRef)]
    closure: dict = defaultdict(set)
    for sub, sup in _transitive(pairs):
        closure[sub].add(sup)
    return closure


def materialise(data: rdflib.Graph) -> set[Triple]:
    """Triples entailed by the ontology and not already in ``data``."""
    onto = ontology_graph()
    inferred: set[Triple] = set()
    supers = _superclasses(onto)
    for s, cls in data.subject_objects(RDF.type):
        for sup in supers.get(cls, ()):
            if sup != OWL.Thing:
                inferred.add((s, RDF.type, sup))
    inverses = set()
    for p, q in onto.subject_objects(OWL.inverseOf):
        inverses.update({(p, q), (q, p)})
    for p, q in inverses:
        for s, o in data.subject_objects(p):
            inferred.add((o, q, s))
    for prop in onto.subjects(RDF.type, OWL.TransitiveProperty):
        for s, o in _transitive(data.subject_objects(prop)):
            inferred.add((s, prop, o))
    applies_in = rdflib.URIRef(QH + "appliesIn")
    part_of = rdflib.URIRef(QH + "partOf")
    for entry, instrument in data.subject_objects(part_of):
        for where in data.objects(instrument, applies_in):
            inferred.add((entry, applies_in, where))
    return {t for t in inferred if t not in data}
