"""The values an analysis accepts: technology kinds (with the classes above them) and
jurisdiction codes. Unknown input is an error naming the value, the known values and
a suggestion ("UK" -> "GB"), never an answer about nothing."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

import pycountry

from ..catalog import select_all
from ..errors import QueryError
from ..store import Store
from .answers import answer

#: codes people write that ISO 3166 spells otherwise
ALIASES = {"UK": "GB", "EL": "GR", "EN": "GB", "USA": "US", "JA": "JP", "KO": "KR"}


class UnknownValue(QueryError, ValueError):
    """A parameter value the graph does not know; the message names the known ones."""


@dataclass
class Technology:
    iri: str
    slug: str
    label: str
    ancestors: set[str] = field(default_factory=set)


def technology_tree(store: Store) -> dict[str, Technology]:
    """Technology kind IRI -> the kind, with every class it falls under (itself
    included); read once per graph version."""
    return answer(store, "technology-tree", (), lambda: _technology_tree(store))


def _technology_tree(store: Store) -> dict[str, Technology]:
    tree: dict[str, Technology] = {}
    for r in select_all(store, "technology_tree").rows:
        iri = r["technology"].value
        tech = tree.setdefault(iri, Technology(iri, r["slug"].value, r["label"].value))
        tech.ancestors.add(r["ancestor"].value)
    for tech in tree.values():
        tech.ancestors.add(tech.iri)
    return tree


def _suggest(value: str, known: list[str]) -> str:
    close = difflib.get_close_matches(value, known, n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def resolve_technology_kind(tree: dict[str, Technology], text: str) -> str:
    """A technology kind from its slug, class name, prefixed name, IRI or label."""
    wanted = text.strip().lower().removeprefix("qh:")
    for tech in tree.values():
        names = {tech.slug.lower(), tech.iri.lower(), tech.iri.rsplit("#", 1)[-1].lower(), tech.label.lower()}
        if wanted in names:
            return tech.iri
    slugs = sorted(t.slug for t in tree.values())
    prefixed = [s for s in slugs if s.startswith(wanted)] if wanted else []
    if len(prefixed) == 1:
        return next(t.iri for t in tree.values() if t.slug == prefixed[0])
    raise UnknownValue(f"unknown technology '{text}'{_suggest(wanted, slugs)}; known: {', '.join(slugs)}")


def known_jurisdictions(store: Store) -> list[str]:
    """Codes the graph names, in the order of how much it holds of them; read once per
    graph version, as every analysis page checks its jurisdiction parameters against
    them (twice a request on /gaps: at 1M triples that had been most of a warm page)."""
    return answer(store, "jurisdiction-codes", (), lambda: _jurisdiction_codes(store))


def _jurisdiction_codes(store: Store) -> list[str]:
    return [r["code"].value for r in select_all(store, "jurisdictions").rows]


def resolve_jurisdiction(store: Store, text: str) -> str:
    """An ISO 3166 alpha-2 code (or EU) the graph or ISO knows; a jurisdiction the graph
    holds nothing of is valid (its answers are "no data"), a code nobody knows is not."""
    code = (text or "").strip().upper()
    known = known_jurisdictions(store)
    if code in known or code == "EU" or (len(code) == 2 and pycountry.countries.get(alpha_2=code)):
        return code
    hint = f" (did you mean '{ALIASES[code]}'?)" if code in ALIASES else _suggest(code, known)
    raise UnknownValue(f"unknown jurisdiction '{text}'{hint}; known: {', '.join(sorted(known))}")
