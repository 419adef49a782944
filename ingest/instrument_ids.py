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


#: "15 CFR part 774", "15 CFR Part 774" and "15 CFR 774" cite one part: the word goes
_CFR_PART_WORD = re.compile(r"\b(\d{1,2}\s+CFR)\s+[Pp](?:ART|art)s?\s+(?=\d)")


def instrument_id(jurisdiction: str, citation: str) -> str:
    """Same citation, same id: an amending act can name the act it amends (a CFR part has
    one id however it is cited: "15 CFR Part 774" is "US:15-CFR-774")."""
    cited = _CFR_PART_WORD.sub(r"\1 ", primary_citation(citation))
    return f"{jurisdiction}:{slug(cited)}"
