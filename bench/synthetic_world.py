"""A generated world for benchmarks: fictional jurisdictions (ISO user-assigned
codes XA to XZ and QM to QZ), instruments over the years, entries with banded
thresholds, and an evidence record per statement, in the shape a build writes.

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
    ELI,
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


def generate(target_triples: int, seed: int = 7):
    rng = random.Random(seed)
    quads = []
    ref = Term.iri(REFERENCE_GRAPH)
    for code in CODES:  # described once, in the reference graph, as a build does
        jur = entity("jurisdiction", code)
        quads.append((Term.iri(jur), Term.iri(RDF + "type"), Term.iri(QH + "State"), ref))
        quads.append((Term.iri(jur), Term.iri(QH + "isoCode"), _lit(code), ref))
        quads.append((Term.iri(jur), Term.iri(RDFS + "label"), Term.literal(f"Fictional {code}", lang="en"), ref))
    entries_made = 0
    per_instrument = 40
    while len(quads) < target_triples:
        code = CODES[entries_made // per_instrument % len(CODES)]
        n = entries_made // (per_instrument * len(CODES))
        inst = entity("instrument", code, f"act-{n}")
        g = Term.iri(document_graph(f"synthetic-{code}-{n}"))
        add = lambda s, p, o, g=g: quads.append((Term.iri(s), Term.iri(p), o, g))  # noqa: E731
        jur = entity("jurisdiction", code)
        year = 2019 + rng.randrange(7)
        add(inst, RDF + "type", Term.iri(QH + "LegalInstrument"))
        add(inst, RDFS + "label", Term.literal(f"Fictional act {code} {n}", lang="en"))
        add(inst, QH + "appliesIn", Term.iri(jur))
        add(inst, ELI + "first_date_entry_in_force", _lit(f"{year}-{rng.randrange(1, 13):02d}-01", XSD + "date"))
        if rng.random() < 0.1:
            add(inst, ELI + "date_no_longer_in_force", _lit(f"{year + 2}-01-01", XSD + "date"))
        doc = entity("document", f"synthetic-{code}-{n}")
        for i in range(per_instrument):
            e = entity("entry", code, f"{n}.{i}")
            kind = KINDS[(i + n) % len(KINDS)]
            for s, p, o in [
                (e, RDF + "type", Term.iri(QH + "ControlEntry")),
                (e, SKOS + "notation", _lit(f"{n}.{i}")),
                (e, RDFS + "label", Term.literal(f"entry {n}.{i}", lang="en")),
                (e, QH + "partOf", Term.iri(inst)),
                (e, QH + "appliesIn", Term.iri(jur)),
                (e, QH + "controlsTechnology", Term.iri(QH + kind)),
            ]:
                add(s, p, o)
                ev = entity("evidence", f"{code}-{n}", f"{i}-{p.rsplit('#', 1)[-1]}")
                for ep, eo in [
                    (RDF + "type", Term.iri(QH + "Evidence")),
                    (RDF + "subject", Term.iri(s)),
                    (RDF + "predicate", Term.iri(p)),
                    (RDF + "object", o),
                    (QH + "sourceDocument", Term.iri(doc)),
                    (QH + "charStart", _lit(i * 100, XSD + "integer")),
                    (QH + "charEnd", _lit(i * 100 + 20, XSD + "integer")),
                    (QH + "sentence", _lit(f"Entry {n}.{i} controls {kind}.")),
                    (QH + "sentenceStart", _lit(i * 100, XSD + "integer")),
                    (QH + "confidence", _lit("0.900", XSD + "decimal")),
                    (QH + "foundBy", _lit("synthetic")),
                ]:
                    add(ev, ep, eo)
            for j, (param, op, value, unit) in enumerate(rng.choice(BANDS.get(kind, [[]]))):
                t = entity("threshold", code, f"{n}.{i}", str(j))
                add(e, QH + "hasThreshold", Term.iri(t))
                add(t, QH + "parameter", _lit(param))
                add(t, QH + "comparator", _lit(op))
                add(t, QH + "value", _lit(repr(float(value)), XSD + "double"))
                add(t, QH + "unit", Term.iri(UNIT + unit))
            entries_made += 1
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
