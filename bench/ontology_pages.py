"""How fast the ontology's term pages answer: the queries behind /ontology/TERM now,
beside the queries they replaced (kept here as the baseline, run on the same store in
the same run), and the whole page through the Flask app.

    python bench/ontology_pages.py [--store DIR] [--repeat 3]

Without --store the sample corpus is built into a temporary folder first. A baseline
query that runs past --timeout seconds is reported as such.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from qharmony.ontology.namespaces import ONTOLOGY_GRAPH, QH
from qharmony.queries.catalog import get_query
from qharmony.queries.errors import QueryTimeout
from qharmony.queries.results import Term
from qharmony.queries.store import open_store

TERMS = ["QuantumComputer", "CryogenicCooling", "Jurisdiction", "ControlEntry", "Evidence", "appliesIn", "hasThreshold"]
PREFIXES = (
    "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
)
#: the queries of the term page before this change, as they were
OLD_TERM = (
    PREFIXES
    + """SELECT ?direction ?p ?other ?otherLabel
WHERE { GRAPH ?ontology { { ?term ?p ?other . BIND("out" AS ?direction) }
    UNION { ?other ?p ?term . BIND("in" AS ?direction) }
    OPTIONAL { ?other rdfs:label ?otherLabel } } }
ORDER BY ?direction ?p ?other"""
)
OLD_EXAMPLES = (
    PREFIXES
    + """SELECT DISTINCT ?subject ?subjectLabel ?object ?objectLabel
WHERE { { ?subject rdf:type ?term } UNION { ?subject ?term ?object }
  OPTIONAL { ?subject rdfs:label ?subjectLabel } OPTIONAL { ?object rdfs:label ?objectLabel } }
ORDER BY ?subject ?object LIMIT 10"""
)


def _median(run, repeat: int) -> str:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        try:
            run()
        except QueryTimeout:
            return "timeout"
        times.append(time.perf_counter() - started)
    return f"{statistics.median(times):.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, help="a built store (default: build the sample into a temp folder)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=20.0, help="seconds a baseline query may run")
    args = parser.parse_args()
    folder = args.store
    if folder is None:
        from qharmony.ingest.build import build

        folder = Path(tempfile.mkdtemp()) / "store"
        store = open_store(folder)
        build(store, reason=False)
        store.close()
    store = open_store(folder, read_only=True, timeout=args.timeout)
    from qharmony.server.app import create_app

    client = create_app({"STORE": str(folder)}).test_client()
    print(f"{'term':18} {'baseline queries s':>19} {'new queries s':>14} {'new page s':>11}  (median of {args.repeat})")
    for local in TERMS:
        term = {"term": Term.iri(QH + local)}
        with_graph = {**term, "ontology": Term.iri(ONTOLOGY_GRAPH)}
        kind = "class_examples" if local[0].isupper() else "property_examples"

        def old(term=term, with_graph=with_graph) -> None:
            store.select(OLD_TERM, with_graph)
            store.select(get_query("term_usage").text, term)
            store.select(OLD_EXAMPLES, term)

        def new(term=term, with_graph=with_graph, kind=kind) -> None:
            store.select(get_query("ontology_term").text, with_graph)
            store.select(get_query("term_usage").text, term)
            store.select(get_query(kind).text, term)

        client.get(f"/ontology/{local}")  # warm the query workers
        page = _median(lambda local=local: client.get(f"/ontology/{local}"), args.repeat)
        print(f"{local:18} {_median(old, args.repeat):>19} {_median(new, args.repeat):>14} {page:>11}")


if __name__ == "__main__":
    main()
