"""How the embedded store spells RDF in pyoxigraph: our terms as its terms, N-Quads
as its dump writes them, and its dump in every format we offer. One home for both
the store and its snapshots (and light: rdflib only when a dump is not N-Quads)."""

from __future__ import annotations

import pyoxigraph as ox

from .errors import QueryError
from .formats import FORMATS
from .results import Term
from .store import RDF_FORMATS

OX_FORMATS = {name: ox.RdfFormat.from_media_type(f.media_type) for name, f in FORMATS.items()}


def ox_term(term: Term):
    if term.type == "uri":
        return ox.NamedNode(term.value)
    if term.type == "bnode":
        return ox.BlankNode(term.value)
    if term.lang:
        return ox.Literal(term.value, language=term.lang)
    return ox.Literal(term.value, datatype=ox.NamedNode(term.datatype) if term.datatype else None)


def stored_spelling(nquads: bytes) -> list[str]:
    """N-Quads lines as an embedded store dumps them (a decimal ``"0.950"`` is
    ``"0.95"`` once stored), each once: what a kept version made from a difference
    must match."""
    spelled = ox.Store()  # in memory
    spelled.bulk_load(nquads, format=ox.RdfFormat.N_QUADS)
    return [line for line in spelled.dump(format=ox.RdfFormat.N_QUADS).decode("utf-8").splitlines() if line]


def dump_store(store: ox.Store, fmt: str) -> bytes:
    if fmt not in RDF_FORMATS:
        raise QueryError(f"unknown RDF format {fmt!r}; known: {', '.join(RDF_FORMATS)}")
    nquads = store.dump(format=ox.RdfFormat.N_QUADS) or b""
    if fmt == "nq":
        return nquads
    from .serialize import convert_dataset  # rdflib: imported only when a dump needs it

    return convert_dataset(nquads, fmt)
