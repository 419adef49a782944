"""Law-firm client alerts and policy essays: they discuss instruments but are none.
Their facts are claims, kept with lower confidence; they never open control entries,
and no jurisdiction owns them."""

from __future__ import annotations

import re

from ..jurisdictions import Registry
from .common import Found, Profile

_ALERT = re.compile(
    r"\bclient (?:alert|update|memo(?:randum)?)\b|\blegal (?:alert|update)\b|\bthis alert\b|\bLLP\b|"
    r"\battorney advertising\b|\bcontact (?:us|the authors|your (?:usual )?[a-z]+ contact)\b|\bour clients\b",
    re.I,
)
_ESSAY = re.compile(
    r"\b(?:policy )?essay\b|\bcommentary\b|\bop-ed\b|\bopinion\b|\bthink[- ]tank\b|\bwe argue\b|"
    r"\bthis (?:paper|article|piece)\b|\bblog\b|\bin my view\b",
    re.I,
)
_HEADING = re.compile(r"^[ \t]*(?:#{1,2}[ \t]+)?(?P<v>\S[^\n]{3,200})$", re.M)
#: how much an alert's or essay's statement counts, against the same words in a rule
CLAIM_WEIGHT = 0.6


def genre(text: str) -> str | None:
    head = text[:1500]
    tail = text[-800:]
    if _ALERT.search(head) or _ALERT.search(tail):
        return "client_alert"
    if _ESSAY.search(head):
        return "essay"
    return None


def detect(text: str) -> bool:
    return genre(text) is not None


def read(text: str, registry: Registry) -> Profile:
    kind = genre(text) or "essay"
    profile = Profile(kind, kind=kind.replace("_", " "), claims_only=True, confidence=CLAIM_WEIGHT)
    heading = _HEADING.search(text)
    if heading:
        title = heading.group("v").strip().strip("#").strip()
        start = heading.start("v") + heading.group("v").find(title)
        profile.title = Found(title, start, start + len(title))
    return profile
