"""Adding documents to a built store by the difference they make, not a rebuild.

A full build derives holdings, infers and validates over the whole graph. When
documents are only added (no document changed or removed, no reviewers' decisions, a
graph that conformed, the same ontology), each of those steps can be run on what the
new statements touch: the holdings of the instruments they mention, the rules applied
to the new statements against a graph already closed under them
(``materialise_more``), and SHACL on the nodes whose statements or types changed
(``validate_graph(focus_nodes=...)``), each node with every statement about it read
back from the store. Every read is of what the new statements touch, never of the
whole store (``bench/build_scale.py`` adds one document to 30 copies of the corpus).
The store then takes the difference in one swap (``apply``: a linked generation of
the embedded store, one update request to a remote one).

Whatever falls outside those conditions raises ``NotIncremental`` and the caller
builds in full; ``tests/test_build_incremental.py`` checks that both give the same
graph, hash for hash.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import rdflib

from qharmony.ontology.files import shared_ontology_graph
from qharmony.ontology.infer import joining_rules, materialise_more, tracked_properties, transitive_closure
from qharmony.ontology.namespaces import (
    GRAPH,
    HOLDINGS_GRAPH,
    INFERRED_GRAPH,
    META_GRAPH,
    ONTOLOGY_GRAPH,
    QH,
    QUARANTINE_GRAPH,
    RDF,
    SH,
    VALIDATION_GRAPH,
)
from qharmony.ontology.validate import ValidationReport, validate_graph
from qharmony.queries.neighbourhood import statements, used
from qharmony.queries.results import Term
from qharmony.queries.serialize import rdflib_converter, term_from_rdflib

from .holdings import derive_holdings
from .mapping import Quad, to_nquads
from .records import Extraction

#: graphs that are not the data a build reasons over
NOT_DATA = {INFERRED_GRAPH, VALIDATION_GRAPH, QUARANTINE_GRAPH, ONTOLOGY_GRAPH, META_GRAPH}
Triple3 = tuple[Term, Term, Term]


class NotIncremental(Exception):
    """This change needs a full build; the message says why."""


@dataclass
class Delta:
    """The difference a build makes to the store: quads to remove and to add."""

    remove: list[Quad] = field(default_factory=list)
    add: list[Quad] = field(default_factory=list)
    inferred: int = 0
    validation: ValidationReport | None = None
    focus: int = 0


def graph_hashes(quads: Iterable[Quad]) -> dict[str, str]:
    """The SHA-256 of each document graph's canonical N-Quads."""
    by_graph: dict[str, list[Quad]] = {}
    for quad in quads:
        if quad[3].value.startswith(GRAPH + "doc/"):
            by_graph.setdefault(quad[3].value, []).append(quad)
    return {g: hashlib.sha256(to_nquads(qs)).hexdigest() for g, qs in by_graph.items()}


def content_hash(hashes: dict[str, str]) -> str:
    """The version of a graph's data: a hash of its document graphs' hashes, so that
    adding a document needs only that document's hash."""
    lines = "".join(f"{g} {h}\n" for g, h in sorted(hashes.items()))
    return hashlib.sha256(lines.encode()).hexdigest()


def _is_data(graph: str) -> bool:
    return graph not in NOT_DATA


def _readable(graph: str) -> bool:
    """Data, or what inference added to it: what SHACL and the rules read."""
    return graph not in NOT_DATA or graph == INFERRED_GRAPH


def _triples(found: Iterable[tuple], keep=lambda g: True) -> set[Triple3]:
    return {(s, p, o) for s, p, o, g in found if keep(g.value)}


class _Graph:
    """Reads of the store's qharmony graphs that the steps below share."""

    def __init__(self, store):
        self.store = store

    def about(self, nodes: Iterable[Term], predicate: str | None = None) -> list[tuple]:
        nodes = [n for n in nodes if n.type == "uri"]
        if predicate is None:
            return statements(self.store, GRAPH, ["s"], [(n,) for n in nodes])
        return statements(self.store, GRAPH, ["s", "p"], [(n, Term.iri(predicate)) for n in nodes])

    def into(self, nodes: Iterable[Term], predicates: Iterable[str]) -> list[tuple]:
        predicates = set(predicates)
        nodes = [n for n in nodes if n.type == "uri"]
        if len(predicates) <= 2:
            return statements(self.store, GRAPH, ["p", "o"], [(Term.iri(p), n) for n in nodes for p in predicates])
        rows = statements(self.store, GRAPH, ["o"], [(n,) for n in nodes])
        return [r for r in rows if r[1].value in predicates]

    def which(self, triples: Iterable[Triple3]) -> list[tuple]:
        return statements(self.store, GRAPH, ["s", "p", "o"], list(triples))

    def present(self, triples: Iterable[Triple3]) -> tuple[set[Triple3], set[Triple3]]:
        """Which of ``triples`` the data holds, and which the inferred graph: one
        statement each is enough, however many documents state a triple."""
        triples = list(triples)
        data = statements(self.store, GRAPH, ["s", "p", "o"], triples, keep=_is_data, first=True)
        inferred = statements(self.store, INFERRED_GRAPH, ["s", "p", "o"], triples, first=True)
        return _triples(data), _triples(inferred)


def _holdings(graph: _Graph, quads: list[Quad]) -> tuple[list[Quad], list[Quad]]:
    """Holdings for the new documents and every instrument their statements touch,
    and those the store has for the same instruments: the new ones must only add."""
    nodes = {q[0] for q in quads} | {q[2] for q in quads if q[2].type == "uri"}
    instruments = {s for s, p, o, g in graph.about(nodes, RDF + "type") if o.value == QH + "LegalInstrument"}
    instruments |= {q[0] for q in quads if q[1].value == RDF + "type" and q[2].value == QH + "LegalInstrument"}
    instruments |= {o for s, p, o, g in graph.about(nodes, QH + "partOf")}
    # an instrument's holdings read its places only for their ISO codes: those that
    # apply in a place given a code it did not have (not every instrument of the US)
    codes = {q[:3] for q in quads if q[1].value == QH + "isoCode"}
    recoded = {t[0] for t in codes - graph.present(codes)[0]}
    instruments |= {s for s, p, o, g in graph.into(recoded, [QH + "appliesIn"])}
    about = graph.about(instruments)
    data = [row for row in about if _is_data(row[3].value) and row[3].value != HOLDINGS_GRAPH]
    entries = [row for row in graph.into(instruments, [QH + "partOf"]) if row[3].value != HOLDINGS_GRAPH]
    data += entries
    data += graph.about({row[0] for row in entries}, QH + "inList")
    places = {row[2] for row in data if row[1].value == QH + "appliesIn"} | {
        q[2] for q in quads if q[1].value == QH + "appliesIn"
    }
    data += graph.about(places, QH + "isoCode")
    node = rdflib_converter()
    local = rdflib.Graph()
    for s, p, o, *_ in [*data, *quads]:
        local.add((node(s), node(p), node(o)))
    new = derive_holdings(local)
    held = [row for row in about if row[3].value == HOLDINGS_GRAPH]
    statements_of = {row[0] for row in graph.into(instruments, [QH + "holdsInstrument"])}
    held += [row for row in graph.about(statements_of) if row[3].value == HOLDINGS_GRAPH]
    if not {q[:3] for q in held} <= {q[:3] for q in new}:
        raise NotIncremental("the new documents change what the graph holds for an instrument")
    return new, held


@lru_cache(maxsize=1)
def _ranges() -> dict[str, frozenset[str]]:
    """The classes a statement of each property gives its value through the
    property's range (and its super-properties'), with their super-classes."""
    onto = shared_ontology_graph()
    supers = transitive_closure(onto, rdflib.RDFS.subClassOf)
    superprops = transitive_closure(onto, rdflib.RDFS.subPropertyOf)
    out: dict[str, frozenset[str]] = {}
    for p in {*onto.subjects(rdflib.RDFS.range, None), *superprops}:
        classes = {c for q in {p, *superprops.get(p, ())} for c in onto.objects(q, rdflib.RDFS.range)}
        classes |= {sup for c in classes for sup in supers.get(c, ())}
        if classes:
            out[str(p)] = frozenset(str(c) for c in classes if isinstance(c, rdflib.URIRef))
    return out


def _ranged() -> frozenset[str]:
    """Properties with a range, directly or through a super-property."""
    return frozenset(_ranges())


def _validation_nodes(graph: _Graph, added: set[Triple3]) -> set[Term]:
    """The nodes whose validation a change can alter: those with new statements, the
    values of new statements that gain a type through a range, and the nodes that
    point at a node that gains a type. A value whose types do not change (the
    jurisdiction an instrument applies in) keeps its results, and so do the nodes
    that point at it."""
    ranges = _ranges()
    rdf_type = Term.iri(RDF + "type")
    typed = {t[0] for t in added if t[1] == rdf_type}
    wanted = {
        (t[2], rdf_type, Term.iri(c))
        for t in added
        if t[2].type == "uri" and t[1].value in ranges
        for c in ranges[t[1].value]
    }
    missing = wanted - _triples(graph.which(wanted), _readable) - added
    if missing:
        # a value that an old statement of the same property points at has that
        # property's range types already (as RDFS gives them to SHACL): the pipeline
        # run all evidence names is not re-typed, nor its thousands of referrers checked
        asked = {(t[1], t[2]) for t in added if t[2].type == "uri" and t[1].value in ranges}
        had: set = set()
        for prefix in (GRAPH + "doc/", HOLDINGS_GRAPH, INFERRED_GRAPH):  # data, as SHACL reads it
            had |= used(graph.store, prefix, asked - had)
        missing -= {(o, rdf_type, Term.iri(c)) for p, o in had for c in ranges[p.value]}
    typed |= {t[0] for t in missing}
    focus = {t[0] for t in added} | typed
    focus |= {row[0] for row in statements(graph.store, GRAPH, ["o"], [(n,) for n in typed])}
    return {n for n in focus if n.type == "uri"}


def _neighbourhood(graph: _Graph, focus: set[Term], added: set[Triple3]) -> rdflib.Graph:
    """Every statement SHACL reads about the focus nodes: theirs, those that type
    them through a range, and their values' types (for sh:class). A value's type that
    only RDFS could give it is missed, which can only add a violation, never hide
    one: the addition then falls back to a full build."""
    ranged = _ranged()
    rows = [r for r in graph.about(focus) if _readable(r[3].value)]
    rows += [r for r in graph.into(focus, ranged) if _readable(r[3].value)]
    values = {r[2] for r in rows if r[2].type == "uri"} | {t[2] for t in added if t[2].type == "uri"}
    rows += [r for r in graph.about(values - focus, RDF + "type") if _readable(r[3].value)]
    node = rdflib_converter()
    local = rdflib.Graph()
    for s, p, o in _triples(rows) | added:
        local.add((node(s), node(p), node(o)))
    return local


def _joins(triples: Iterable[tuple], transitive: set, chains: list[tuple]) -> set[tuple]:
    """The (property, node, forward) reads that the joining rules need for these
    triples: for a transitive property the node's ancestors and the value's
    descendants (one step each: the graph is closed), for a chain's first step the
    value's second steps, for its second step the subject's first steps."""
    out = set()
    for s, p, o in triples:
        if isinstance(o, rdflib.Literal):
            continue
        if p in transitive:
            out |= {(p, s, False), (p, o, True)}
        for first, second, _ in chains:
            if p == first:
                out.add((second, o, True))
            if p == second:
                out.add((first, s, False))
    return out


def _inferences(graph: _Graph, new: set) -> set:
    """What ``new`` (rdflib triples) entail beyond the store's graph, which is closed
    under the rules: ``materialise_more`` over the statements of the joining rules'
    properties that the new and derived triples can join with, read a step at a time
    (an entry's instrument and where it applies; never every entry of the US)."""
    transitive, chains = joining_rules()
    tracked = tracked_properties()
    node = rdflib_converter()
    readable = lambda g: _is_data(g) or g == INFERRED_GRAPH  # noqa: E731

    def known(triples: set) -> set:
        asked = {tuple(term_from_rdflib(n) for n in t): t for t in triples}
        hits = _triples(graph.which(asked), readable)
        return {asked[t] for t in hits}

    near: dict = {p: set() for p in tracked}
    asked: set = set()
    derived: set | None = None
    while True:
        wanted = _joins(new | (derived or set()), transitive, chains) - asked
        if not wanted and derived is not None:
            break
        asked |= wanted
        forward = [(term_from_rdflib(n), term_from_rdflib(p)) for p, n, ahead in wanted if ahead]
        backward = [(term_from_rdflib(p), term_from_rdflib(n)) for p, n, ahead in wanted if not ahead]
        rows = statements(graph.store, GRAPH, ["s", "p"], forward, keep=readable)
        rows += statements(graph.store, GRAPH, ["p", "o"], backward, keep=readable)
        for s, p, o, _ in rows:
            near.setdefault(node(p), set()).add((node(s), node(o)))
        derived = materialise_more(new, {p: set(pairs) for p, pairs in near.items()}, known)
    # a join of two old statements read here is in the graph already, if not in ``near``
    joined = {t for t in derived if t[1] in tracked}
    return derived - known(joined) if joined else derived


def add_delta(store, extractions: list[Extraction], quads: list[Quad], report_quads) -> Delta:
    """The difference that adding ``extractions`` (mapped to ``quads``) makes to a
    store that conforms to the shapes; raises ``NotIncremental`` when it is not one
    of additions only. ``report_quads(report)`` gives a report's stored results."""
    graph = _Graph(store)
    new_holdings, _ = _holdings(graph, quads)
    candidates = {q[:3] for q in quads} | {q[:3] for q in new_holdings}
    in_data, in_inferred = graph.present(candidates)
    new = candidates - in_data - in_inferred
    node = rdflib_converter()
    rdf_new = {tuple(node(n) for n in t) for t in new}
    derived = _inferences(graph, rdf_new)
    inferred = {tuple(term_from_rdflib(n) for n in t) for t in derived}
    g_inf = Term.iri(INFERRED_GRAPH)
    delta = Delta(inferred=len(inferred))
    delta.remove += [(*t, g_inf) for t in in_inferred]
    delta.add += [q for q in quads] + [q for q in new_holdings] + [(*t, g_inf) for t in sorted(inferred, key=str)]

    added = new | inferred
    focus = _validation_nodes(graph, added)
    delta.focus = len(focus)
    local = _neighbourhood(graph, focus, added)
    report = validate_graph(local, focus_nodes=[node(n) for n in sorted(focus, key=lambda t: t.value)], inplace=True)
    if any(r.severity == "Violation" for r in report.results):
        raise NotIncremental("the new documents violate a shape: their statements go to quarantine")
    delta.validation = report
    old_results = {r[0] for r in graph.into(focus, [SH + "focusNode"]) if r[3].value == VALIDATION_GRAPH}
    delta.remove += [r for r in graph.about(old_results) if r[3].value == VALIDATION_GRAPH]
    delta.remove += [r for r in graph.into(old_results, [SH + "result"]) if r[3].value == VALIDATION_GRAPH]
    delta.add += [q for q in report_quads(report) if not _is_header(q)]
    return delta


def _is_header(quad: Quad) -> bool:
    """The report's own type and conforms statements, which an addition that
    conforms does not change."""
    return quad[1].value in (RDF + "type", SH + "conforms") and quad[2].value in (
        SH + "ValidationReport",
        "true",
        "false",
    )


def meta_quads(hashes: dict[str, str]) -> list[Quad]:
    """Each document graph's hash in the build's record, for the next addition."""
    g = Term.iri(META_GRAPH)
    return [(Term.iri(graph), Term.iri(QH + "graphHash"), Term.literal(h), g) for graph, h in sorted(hashes.items())]
