"""Materialise the instance-level inferences that plain SPARQL needs.

HermiT classifies the ontology; this module applies its axioms to the data in pure
Python, so a machine without Java gets the same inferred graph. Rules, run to a
fixpoint: types from subclasses, sub-properties, inverse and symmetric properties,
transitive properties, and two-step property chains (an entry applies where its
instrument applies; what applies in a union applies in each member).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

import rdflib
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS

from .files import ontology_graph, shared_ontology_graph

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


def transitive_closure(onto: rdflib.Graph, relation: rdflib.URIRef) -> dict:
    """Each class (or property) with every one above it along ``relation``: one home for
    the hierarchy the full materialisation and an addition's inference both read."""
    pairs = [
        (a, b)
        for a, b in onto.subject_objects(relation)
        if isinstance(a, rdflib.URIRef) and isinstance(b, rdflib.URIRef)
    ]
    closure: dict = defaultdict(set)
    for a, b in _transitive(pairs):
        if a != b:
            closure[a].add(b)
    return closure


class _Rules:
    """The ontology's axioms, read once, in the shape the rule loop needs."""

    def __init__(self, onto: rdflib.Graph):
        self.supers = transitive_closure(onto, RDFS.subClassOf)
        self.superprops = transitive_closure(onto, RDFS.subPropertyOf)
        self.inverse: dict = defaultdict(set)
        for p, q in onto.subject_objects(OWL.inverseOf):
            self.inverse[p].add(q)
            self.inverse[q].add(p)
        self.symmetric = set(onto.subjects(RDF.type, OWL.SymmetricProperty))
        self.transitive = set(onto.subjects(RDF.type, OWL.TransitiveProperty))
        self.chains: list[tuple] = []
        for target, head in onto.subject_objects(OWL.propertyChainAxiom):
            steps = list(Collection(onto, head))
            if len(steps) == 2:
                self.chains.append((steps[0], steps[1], target))

    def per_triple(self, s, p, o) -> Iterable[Triple]:
        if p == RDF.type:
            for sup in self.supers.get(o, ()):
                if sup != OWL.Thing:
                    yield s, RDF.type, sup
            return
        for sup in self.superprops.get(p, ()):
            yield s, sup, o
        if isinstance(o, rdflib.Literal):
            return
        for q in self.inverse.get(p, ()):
            yield o, q, s
        if p in self.symmetric:
            yield o, p, s


def materialise(data: rdflib.Graph) -> set[Triple]:
    """Triples entailed by the ontology and not already in ``data``."""
    rules = _Rules(ontology_graph())
    facts: set[Triple] = set(data)
    by_predicate: dict = defaultdict(set)
    for s, p, o in facts:
        by_predicate[p].add((s, o))
    delta = set(facts)
    while delta:
        new: set[Triple] = set()
        for s, p, o in delta:
            new.update(rules.per_triple(s, p, o))
        for prop in rules.transitive:
            new.update((s, prop, o) for s, o in _transitive(by_predicate.get(prop, ())))
        for first, second, target in rules.chains:
            following: dict = defaultdict(set)
            for s, o in by_predicate.get(second, ()):
                following[s].add(o)
            for s, o in by_predicate.get(first, ()):
                new.update((s, target, o2) for o2 in following.get(o, ()))
        delta = new - facts
        facts |= delta
        for s, p, o in delta:
            by_predicate[p].add((s, o))
    return facts - set(data)


def rdfs_entailments(data: Iterable[Triple], onto: rdflib.Graph | None = None) -> set[Triple]:
    """What an RDFS closure adds to ``data`` that a SHACL shape can read: types from
    the domains and ranges of each predicate and its super-properties, the
    super-properties' statements, and the super-classes of every type.

    pySHACL's ``inference="rdfs"`` computes the whole closure (every node a
    ``rdfs:Resource``, every predicate a ``rdf:Property``...), which costs more than
    validating; our shapes target and check only our own classes and properties, so
    these statements give the same results (``tests/test_ontology_validate.py``
    compares the two on broken data)."""
    onto = shared_ontology_graph() if onto is None else onto
    supers = transitive_closure(onto, RDFS.subClassOf)
    superprops = transitive_closure(onto, RDFS.subPropertyOf)
    domains: dict = defaultdict(set)
    ranges: dict = defaultdict(set)
    for p, c in onto.subject_objects(RDFS.domain):
        domains[p].add(c)
    for p, c in onto.subject_objects(RDFS.range):
        ranges[p].add(c)
    given: set[Triple] = set()
    out: set[Triple] = set()
    types: set[tuple] = set()
    by_property: dict = {}
    for s, p, o in data:
        given.add((s, p, o))
        if p not in by_property:
            props = {p, *superprops.get(p, ())}
            by_property[p] = (
                props - {p},
                {c for q in props for c in domains.get(q, ())},
                {c for q in props for c in ranges.get(q, ())},
            )
        ups, dom, rng = by_property[p]
        out.update((s, q, o) for q in ups)
        types.update((s, c) for c in dom)
        if not isinstance(o, rdflib.Literal):
            types.update((o, c) for c in rng)
        if p == RDF.type:
            types.add((s, o))
    for node, cls in types:
        out.add((node, RDF.type, cls))
        out.update((node, RDF.type, sup) for sup in supers.get(cls, ()))
    return out - given


def tracked_properties(onto: rdflib.Graph | None = None) -> set:
    """The properties whose rules join two statements (transitive properties and
    property chains, with the chains' targets): ``materialise_more`` needs every
    statement of these, the others it checks one by one."""
    rules = _Rules(shared_ontology_graph() if onto is None else onto)
    return set(rules.transitive) | {p for chain in rules.chains for p in chain}


def joining_rules(onto: rdflib.Graph | None = None) -> tuple[set, list[tuple]]:
    """The transitive properties, and the two-step chains as (first, second, target):
    the rules whose conclusions join two statements, so that a caller can read only
    the statements a new one can join with."""
    rules = _Rules(shared_ontology_graph() if onto is None else onto)
    return set(rules.transitive), list(rules.chains)


def materialise_more(new: set[Triple], by_predicate: dict, known: Callable[[set[Triple]], set[Triple]]) -> set[Triple]:
    """What ``new`` statements entail beyond a graph that is already closed (its
    statements and its ``materialise`` output together).

    ``by_predicate`` holds every statement of the graph for ``tracked_properties``
    (property -> {(s, o)}), and grows with what is derived; ``known(triples)`` says
    which of some triples of other properties the graph holds. The rules are those of
    ``materialise``, applied to the new statements only (the old ones' consequences
    are in the graph already), so the result is what a full run would add."""
    rules = _Rules(shared_ontology_graph())
    tracked = set(rules.transitive) | {p for chain in rules.chains for p in chain}
    for prop in tracked:
        by_predicate.setdefault(prop, set())
    have = {prop: set(pairs) for prop, pairs in by_predicate.items()}
    added: set[Triple] = set()
    delta = set(new)
    for s, p, o in new:
        if p in tracked:
            by_predicate[p].add((s, o))
    while delta:
        found: set[Triple] = set()
        for s, p, o in delta:
            found.update(rules.per_triple(s, p, o))
        for prop in rules.transitive:
            found.update((s, prop, o) for s, o in _transitive(by_predicate[prop]))
        for first, second, target in rules.chains:
            following: dict = defaultdict(set)
            for s, o in by_predicate[second]:
                following[s].add(o)
            for s, o in by_predicate[first]:
                found.update((s, target, o2) for o2 in following.get(o, ()))
        found -= added | new
        local = {t for t in found if t[1] in tracked}
        local = {t for t in local if (t[0], t[2]) not in have[t[1]]}
        others = {t for t in found if t[1] not in tracked}
        delta = local | (others - known(others) if others else set())
        added |= delta
        for s, p, o in delta:
            if p in tracked:
                by_predicate[p].add((s, o))
    return added


def nonlocal_properties(onto: rdflib.Graph | None = None) -> set:
    """The properties whose rules may conclude about another node than the
    statement's subject (inverse, symmetric, transitive, in a chain, or below such a
    property). Any other property's statements, about nodes nothing points at, can be
    materialised apart from the rest of the graph (sub-properties, and types from
    sub-classes for ``rdf:type``, stay on their subject): a build does so for each
    batch's evidence records, and gets what a run over everything gets."""
    onto = shared_ontology_graph() if onto is None else onto
    rules = _Rules(onto)
    joined = set(rules.inverse) | rules.symmetric | rules.transitive | {p for chain in rules.chains for p in chain}
    return joined | {p for p, ups in rules.superprops.items() if ups & joined}
