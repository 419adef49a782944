"""A generated world for benchmarks: fictional jurisdictions (ISO user-assigned
codes XA to XZ and QM to QZ), instruments over the years, entries with banded
thresholds, and an evidence record per statement, in the shape a build writes,
with the variety the determinations weigh: dates to the day, to the month, by
adoption or attestation only, or none; repeals and proposals; hedged and held
evidence; unverified codes; sub-items; entries on a broader class; scope notes and
"no equivalent" statements; a coverage statement per instrument, two complete
lists; a union whose entries apply in its members; jurisdictions silent on some
kinds; an investment-screening act among the export controls.

    python bench/synthetic_world.py --triples 1000000 --store /tmp/world
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

from qharmony.ingest.mapping import to_nquads
from qharmony.ontology.files import ONTOLOGY_FILE, read_text
from qharmony.ontology.namespaces import (
    DCTERMS,
    ELI,
    HOLDINGS_GRAPH,
    INFERRED_GRAPH,
    ONTOLOGY_GRAPH,
    QH,
    RDF,
    RDFS,
    REFERENCE_GRAPH,
    SKOS,
    UNIT,
    XSD,
    document_graph,
    entity,
)
from qharmony.queries.results import Term
from qharmony.queries.store import open_store

CODES = [f"X{c}" for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"] + [f"Q{c}" for c in "MNOPQRSTUVWXYZ"]
KINDS = [
    "QuantumComputer",
    "QuantumComputerAssembly",
    "CryogenicCooling",
    "CryoCMOS",
    "ParametricAmplifier",
    "CryogenicWaferProber",
    "IsotopicallyEnrichedMaterial",
    "QuantumSoftware",
    "QuantumKnowHow",
    "QuantumKeyDistribution",
    "QuantumSensor",
]
#: A few band tables, as real lists copy the same agreed text.
BANDS = {
    "QuantumComputer": [
        [
            ("physical_qubits", ">=", lo, "NUM"),
            ("physical_qubits", "<", hi, "NUM"),
            ("cnot_error", "<=", err, "UNITLESS"),
        ]
        for lo, hi, err in [(34, 100, 1e-4), (100, 200, 1e-3), (200, 350, 2e-3), (50, 150, 1e-3)]
    ],
    "CryogenicCooling": [
        [("cooling_power", ">=", p, "MicroW"), ("temperature", "<=", k, "MilliK")]
        for p, k in [(600, 100), (500, 100), (600, 50)]
    ],
    "CryoCMOS": [[("temperature", "<=", 4.5, "K")], [("temperature", "<", 4.5, "K")]],
}


def _lit(value, dtype=None):
    return Term.literal(str(value), dtype)


#: a union and the members its entries apply in (as the build infers them)
UNION, MEMBERS = "QZ", ("QX", "QY")
#: jurisdictions that declare their complete list (so silence there is "not controlled")
COMPLETE = ("XC", "XD")


def _kinds_of(code: str) -> list[str]:
    """The kinds a jurisdiction has entries on: not all of them, so some cells are
    silent (no data, or not controlled where the list is complete)."""
    ci = CODES.index(code)
    return [k for j, k in enumerate(KINDS) if (ci + j) % 4 != 0]


def _instrument_dates(add, inst: str, year: int, rng: random.Random) -> str:
    """The dates an instrument's sources give, as varied as real ones: a day, a month
    only, an adoption date standing in, an attestation, or none. Returns the day or
    month its holding reflects ("" when undated)."""
    month = rng.randrange(1, 13)
    r = rng.random()
    if r < 0.7:
        add(inst, ELI + "first_date_entry_in_force", _lit(f"{year}-{month:02d}-01", XSD + "date"))
        return f"{year}-{month:02d}-01"
    if r < 0.8:
        add(inst, QH + "effectiveMonth", _lit(f"{year}-{month:02d}", XSD + "gYearMonth"))
        return f"{year}-{month:02d}"
    if r < 0.88:
        add(inst, ELI + "date_document", _lit(f"{year}-{month:02d}-15", XSD + "date"))
        return ""
    if r < 0.93:
        add(inst, QH + "attestedInForceOn", _lit(f"{year}-{month:02d}-20", XSD + "date"))
        return ""
    return ""


def _evidence(add, ev: str, s: str, p: str, o: Term, doc: str, i: int, sentence: str, rng: random.Random) -> None:
    """One evidence record, as the mapping writes it; a few hedge, a few are held."""
    for ep, eo in [
        (RDF + "type", Term.iri(QH + "Evidence")),
        (RDF + "subject", Term.iri(s)),
        (RDF + "predicate", Term.iri(p)),
        (RDF + "object", o),
        (QH + "sourceDocument", Term.iri(doc)),
        (QH + "charStart", _lit(i * 100, XSD + "integer")),
        (QH + "charEnd", _lit(i * 100 + 20, XSD + "integer")),
        (QH + "sentence", _lit(sentence)),
        (QH + "sentenceStart", _lit(i * 100, XSD + "integer")),
        (QH + "confidence", _lit(rng.choice(("0.900", "0.900", "0.700", "0.550")), XSD + "decimal")),
        (QH + "foundBy", _lit("synthetic")),
    ]:
        add(ev, ep, eo)
    if p == QH + "controlsTechnology":
        r = rng.random()
        if r < 0.06:
            add(ev, QH + "hedgedWording", _lit("true", XSD + "boolean"))
        elif r < 0.08:
            add(ev, QH + "heldForReview", _lit("true", XSD + "boolean"))


def _reference(quads: list) -> None:
    ref = Term.iri(REFERENCE_GRAPH)
    for code in CODES:  # described once, in the reference graph, as a build does
        jur = entity("jurisdiction", code)
        kind = "Union" if code == UNION else "State"
        quads.append((Term.iri(jur), Term.iri(RDF + "type"), Term.iri(QH + kind), ref))
        quads.append((Term.iri(jur), Term.iri(QH + "isoCode"), _lit(code), ref))
        quads.append((Term.iri(jur), Term.iri(RDFS + "label"), Term.literal(f"Fictional {code}", lang="en"), ref))
    for member in MEMBERS:
        quads.append(
            (
                Term.iri(entity("jurisdiction", member)),
                Term.iri(QH + "memberOf"),
                Term.iri(entity("jurisdiction", UNION)),
                ref,
            )
        )
    held = Term.iri(HOLDINGS_GRAPH)
    for code in COMPLETE:  # a declared complete list of export controls since 2019
        st = Term.iri(entity("coverage", code, "declared-complete"))
        for p, o in [
            (RDF + "type", Term.iri(QH + "CoverageStatement")),
            (QH + "coverageOf", Term.iri(entity("jurisdiction", code))),
            (QH + "holdingAsOf", _lit("2019-01-01", XSD + "date")),
            (QH + "completeHolding", _lit("true", XSD + "boolean")),
            (QH + "coverageMeasureKind", Term.iri(QH + "ExportControlMeasure")),
            (QH + "declaredBy", _lit("synthetic")),
            (RDFS + "label", Term.literal(f"{code}: its complete list", lang="en")),
        ]:
            quads.append((st, Term.iri(p), o, held))


def _instrument(quads: list, code: str, n: int, per_instrument: int, rng: random.Random) -> int:
    """One instrument of ``code`` with its entries, thresholds, evidence, holding."""
    inst = entity("instrument", code, f"act-{n}")
    g = Term.iri(document_graph(f"synthetic-{code}-{n}"))
    add = lambda s, p, o, g=g: quads.append((Term.iri(s), Term.iri(p), o, g))  # noqa: E731
    jur = entity("jurisdiction", code)
    year = 2019 + rng.randrange(7)
    add(inst, RDF + "type", Term.iri(QH + "LegalInstrument"))
    add(inst, RDFS + "label", Term.literal(f"Fictional act {code} {n}", lang="en"))
    add(inst, QH + "appliesIn", Term.iri(jur))
    measure = "InvestmentScreeningMeasure" if n % 10 == 7 else "ExportControlMeasure"
    add(inst, QH + "measureKind", Term.iri(QH + measure))
    add(inst, DCTERMS + "source", Term.iri(f"https://example.org/fictional/{code}/{n}"))
    since = _instrument_dates(add, inst, year, rng)
    if rng.random() < 0.1:
        add(inst, ELI + "date_no_longer_in_force", _lit(f"{year + 2}-01-01", XSD + "date"))
    if rng.random() < 0.03:
        add(inst, RDF + "type", Term.iri(QH + "ProposedInstrument"))
    doc = entity("document", f"synthetic-{code}-{n}")
    kinds = _kinds_of(code)
    if n % 9 == 4:  # a scope note: this act does not control sensors
        add(inst, QH + "doesNotControl", Term.iri(QH + "QuantumSensor"))
        ev = entity("evidence", f"{code}-{n}", "scope")
        _evidence(
            add,
            ev,
            inst,
            QH + "doesNotControl",
            Term.iri(QH + "QuantumSensor"),
            doc,
            0,
            "Sensors are not controlled.",
            rng,
        )
    made = 0
    for i in range(per_instrument):
        e = entity("entry", code, f"{n}.{i}")
        kind = kinds[(i + n) % len(kinds)] if i % 17 != 5 else "EnablingTechnology"
        statements = [
            (e, RDF + "type", Term.iri(QH + "ControlEntry")),
            (e, SKOS + "notation", _lit(f"{n}.{i}")),
            (e, RDFS + "label", Term.literal(f"entry {n}.{i}", lang="en")),
            (e, QH + "partOf", Term.iri(inst)),
            (e, QH + "appliesIn", Term.iri(jur)),
            (e, QH + "controlsTechnology", Term.iri(QH + kind)),
        ]
        if i % 10 == 1:  # a sub-item under the previous entry
            statements.append((e, SKOS + "broader", Term.iri(entity("entry", code, f"{n}.{i - 1}"))))
        if i % 23 == 7:  # its sources say the next jurisdiction has no equivalent
            other = CODES[(CODES.index(code) + 1) % len(CODES)]
            statements.append((e, QH + "noEquivalentIn", Term.iri(entity("jurisdiction", other))))
        for s, p, o in statements:
            add(s, p, o)
            ev = entity("evidence", f"{code}-{n}", f"{i}-{p.rsplit('#', 1)[-1]}")
            _evidence(add, ev, s, p, o, doc, i, f"Entry {n}.{i} controls {kind}.", rng)
        if rng.random() < 0.05:
            add(e, QH + "codeVerified", _lit("false", XSD + "boolean"))
        if code == UNION:  # the union's entries apply in its members (inferred by a build)
            for member in MEMBERS:
                quads.append(
                    (
                        Term.iri(e),
                        Term.iri(QH + "appliesIn"),
                        Term.iri(entity("jurisdiction", member)),
                        Term.iri(INFERRED_GRAPH),
                    )
                )
        for j, (param, op, value, unit) in enumerate(rng.choice(BANDS.get(kind, [[]]))):
            t = entity("threshold", code, f"{n}.{i}", str(j))
            add(e, QH + "hasThreshold", Term.iri(t))
            add(t, QH + "parameter", _lit(param))
            add(t, QH + "comparator", _lit(op))
            add(t, QH + "value", _lit(repr(float(value)), XSD + "double"))
            add(t, QH + "unit", Term.iri(UNIT + unit))
        made += 1
    _holding(quads, code, inst, n, since)
    return made


def _holding(quads: list, code: str, inst: str, n: int, since: str) -> None:
    """The coverage statement a build derives for each instrument and place."""
    held = Term.iri(HOLDINGS_GRAPH)
    st = Term.iri(entity("coverage", code, f"act-{n}"))
    facts = [
        (RDF + "type", Term.iri(QH + "CoverageStatement")),
        (QH + "coverageOf", Term.iri(entity("jurisdiction", code))),
        (QH + "holdsInstrument", Term.iri(inst)),
        (QH + "completeHolding", _lit("false", XSD + "boolean")),
        (QH + "declaredBy", _lit("build")),
        (RDFS + "label", Term.literal(f"{code}: Fictional act {code} {n}", lang="en")),
    ]
    if since:
        facts.append((QH + "holdingAsOf", _lit(since, XSD + ("date" if len(since) == 10 else "gYearMonth"))))
    quads.extend((st, Term.iri(p), o, held) for p, o in facts)


def generate(target_triples: int, seed: int = 7):
    rng = random.Random(seed)
    quads: list = []
    _reference(quads)
    entries_made = 0
    per_instrument = 40
    while len(quads) < target_triples:
        code = CODES[entries_made // per_instrument % len(CODES)]
        n = entries_made // (per_instrument * len(CODES))
        entries_made += _instrument(quads, code, n, per_instrument, rng)
    return quads


def write_world(path: Path, target_triples: int) -> int:
    """Generate and store a world; returns the number of triples stored."""
    quads = generate(target_triples)
    store = open_store(path, max_rows=10_000_000)
    data = to_nquads(quads)
    store.replace(data)
    store.load(read_text(ONTOLOGY_FILE).encode("utf-8"), "ttl", ONTOLOGY_GRAPH)
    return store.count()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--store", type=Path, required=True)
    args = parser.parse_args()
    started = time.perf_counter()
    count = write_world(args.store, args.triples)
    print(f"wrote {count} quads to {args.store} in {time.perf_counter() - started:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
