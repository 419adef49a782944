"""An instrument's id from its citation: the same citation gives the same id wherever
it is read (a header field, a genre's title block, a citation in another act's text), so
an amending act can name the act it amends."""

from __future__ import annotations

import re

from qharmony.ontology.namespaces import slug


def primary_citation(text: str) -> str:
    """The part of a citation before its first top-level comma or semicolon, without a
    trailing parenthesis: '89 FR 72926, FR Doc ...' -> '89 FR 72926'."""
    depth = 0
    for i, ch in enumerate(text):
        depth += (ch == "(") - (ch == ")")
        if depth == 0 and ch in ",;":
            text = text[:i]
            break
    return re.sub(r"\s*\([^()]*\)\s*$", "", text.strip()).strip() or text.strip()


def instrument_id(jurisdiction: str, citation: str) -> str:
    """Same citation, same id: an amending act can name the act it amends."""
    return f"{jurisdiction}:{slug(primary_citation(citation))}"
