"""What the endpoint keeps of a request's format choices (``server.sparql_protocol``):
only known ``format=`` names and short Accept headers, so no client can fill memory
with errors quoting megabytes of made-up names."""

from __future__ import annotations

from qharmony.server import sparql_protocol
from qharmony.server.sparql_protocol import _formats_for, _worth_keeping


def test_only_known_format_names_and_short_accept_headers_are_kept():
    assert _worth_keeping("application/sparql-results+json", "")
    assert _worth_keeping(None, "csv")
    assert not _worth_keeping(None, "x" * 1_000_000)
    assert not _worth_keeping("text/csv;q=0.9," * 200, "")
    assert sparql_protocol._KEPT_ACCEPT_CHARS >= 300 and _formats_for.cache_info().maxsize == 64
