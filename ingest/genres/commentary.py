"""Law-firm client alerts and policy essays: they discuss instruments but are none.
Their facts are claims, kept with lower confidence; they never open control entries,
and no jurisdiction owns them."""

from __future__ import annotations

import re
from functools import lru_cache

from ..jurisdictions import Registry
from ..prefilter import Gated
from .common import Found, Profile

#: (behind the words every match holds: ``prefilter``)
_ALERT = Gated(
    r"\bclient (?:alert|update|memo(?:randum)?)\b|\blegal (?:alert|update)\b|\bthis alert\b|\bLLP\b|"
    r"\battorney advertising\b|\b(?:is|does) not (?:constitute )?legal advice\b|\bnot legal advice\b|"
    # a practice's mastheads: "Client Briefing", "Export Controls Update", "Sanctions Alert"
    r"\bclient (?:briefing|note|advisory)\b|"
    r"\b(?:export controls?|trade controls?|sanctions|trade) (?:update|alert|briefing)\b|"
    r"\bcontact (?:us|the authors|your (?:usual )?[a-z]+ contact)\b|\bour clients\b",
    re.I,
    ("client", "legal", "alert", "llp", "attorney", "update", "briefing", "contact"),
)
_ESSAY = Gated(
    r"\b(?:policy )?essay\b|\bcommentary\b|\bop-ed\b|\bopinion\b|\bthink[- ]tank\b|\bwe argue\b|"
    # "this article argues"; "granted by this article", "under this article" are a law's own article
    r"\bthis (?:paper|piece)\b|\bthis article,? (?:I|we|argues|examines|looks|asks)\b|"
    r"(?<!\bby )(?<!\bof )(?<!\bin )(?<!\bunder )(?<!\bto )(?<!\bwith )(?<!\bfrom )(?<!\bfor )\bthis article\b|"
    r"\bblog\b|\bin my view\b",
    re.I,
    ("essay", "commentary", "op-ed", "opinion", "think", "we argue", "paper", "article", "piece", "blog", "in my view"),
)
#: the voice of commentary: reported speech and hedges ("reportedly", "is said to", "we
#: expect", "officials have blamed"), which an instrument never uses of its own content
_HEDGES = Gated(
    r"\breportedly\b|\b(?:is|are|was|were) (?:said|reported|understood|believed|thought) to\b|"
    r"\bpress reports?\b|\baccording to (?:press|reports|officials|observers)\b|\bappears? to\b|"
    r"\bwe (?:expect|understand|believe|think|argue)\b|\barguably\b|"
    r"\bofficials (?:have )?(?:widely )?(?:blamed|said|say|suggested)\b|\bit (?:is|remains) unclear\b",
    re.I,
    ("reportedly", "said", "reported", "understood", "believed", "thought", "press", "according", "appear",
     "we ", "arguably", "officials", "unclear"),
)  # fmt: skip
#: a header field line ("Jurisdiction: ..."): our summaries hedge their notes, and are no essay
_FIELD_LINE = re.compile(r"^[ \t]*(?P<name>[A-Z][A-Za-z ]{1,30}):[ \t]+\S", re.M)
_HEADING = re.compile(r"^[ \t]*(?:#{1,2}[ \t]+)?(?P<v>\S[^\n]{3,200})$", re.M)
#: how much an alert's or essay's statement counts, against the same words in a rule
CLAIM_WEIGHT = 0.6


#: citations by which an alert names the instrument it reports on, and whose they are
_CITED = [
    (re.compile(r"\b\d{2,3} FR \d{3,6}\b"), "US"),
    (
        re.compile(r"\b(?:Delegated |Implementing )?(?:Regulation|Directive|Recommendation|Decision) \(EU\) \d{4}/\d+"),
        "EU",
    ),
    (re.compile(r"\bS\.?I\.? \d{4}/\d+\b"), "GB"),
    (re.compile(r"\bSOR/\d{4}-\d+\b"), "CA"),
]


def first_cited(text: str) -> tuple[re.Match, str] | None:
    """The citation a text gives first, of any style, with its jurisdiction: a page or an
    alert names the instrument it is about before those it mentions in passing."""
    found = [(m, code) for rx, code in _CITED for m in [rx.search(text)] if m]
    return min(found, key=lambda f: f[0].start()) if found else None


#: the words between two citations that make one the other's amender: "Y was replaced by X"
#: (the second amends the first), "X ... replaces Annex I to Y" (the first amends the second)
_AMENDED_BY = re.compile(r"\b(?:amended|replaced|revised|supplemented|superseded)\s+by\b", re.I)
_AMENDS = re.compile(r"\b(?:amend(?:s|ed|ing)?|replac(?:e|es|ed|ing)|revis(?:e|es|ed|ing))\b(?!\s+by)", re.I)


def amender(between: str) -> int | None:
    """Of two citations, the one the words between them make the amender (0 the first, 1 the
    second), if any: a text on an amendment speaks of the amending act."""
    if _AMENDED_BY.search(between):
        return 1
    if _AMENDS.search(between):
        return 0
    return None


def subject_cited(text: str) -> tuple[re.Match, str] | None:
    """The instrument a page or an alert is about: the first it cites, or the act that the
    next citation of the same sentence says amended it ("Annex I of X was replaced by Y")."""
    first = first_cited(text)
    if first is None:
        return None
    end = text.find(". ", first[0].end())
    end = len(text) if end < 0 else end
    later = sorted(
        ((m, code) for rx, code in _CITED for m in rx.finditer(text, first[0].end(), end)), key=lambda f: f[0].start()
    )
    if later and amender(text[first[0].end() : later[0][0].start()]) == 1:
        return later[0]
    return first


_PUBLISHED = re.compile(r"\b(?:published|issued|adopted|released)\b", re.I)
_COMPLY = re.compile(r"\b(?:until|by|from)\b(?=[^.]{0,40}\bcomply)|\bcomply\b[^.]{0,60}?\b(?:by|from|until)\b", re.I)


_GUIDANCE = Gated(
    r"\bfrequently asked questions\b|\bFAQs?\b|\bquestions and answers\b|\bQ&A\b|\bGuidance (?:from|on|for)\b|"
    r"\bguidance (?:page|note)\b",
    re.I,
    ("frequently asked questions", "faq", "questions and answers", "q&a", "guidance"),
)


@lru_cache(maxsize=4)  # asked by guidance's detect, then by ours: one scan of a long text
def genre(text: str) -> str | None:
    head = text[:1500]
    tail = text[-800:]
    if _GUIDANCE.search(head) and any(rx.search(text) for rx, _ in _CITED):
        return "guidance"
    if _ALERT.search(head) or _ALERT.search(tail):
        return "client_alert"
    if _ESSAY.search(head) or _hedged_throughout(text):
        return "essay"
    return None


def _hedged_throughout(text: str) -> bool:
    """A text that hedges in two different ways and has no header fields is commentary
    (an essay's reported speech), whatever its masthead says or does not say."""
    from ..preamble import FIELD_ALIASES

    if not _HEDGES.may(text) or len({m.group(0).lower() for m in _HEDGES.finditer(text)}) < 2:
        return False
    return not any(m.group("name").lower() in FIELD_ALIASES for m in _FIELD_LINE.finditer(text[:1500]))


def detect(text: str) -> bool:
    return genre(text) is not None


def read(text: str, registry: Registry) -> Profile:
    """An alert that reports on one cited instrument states that instrument's facts as
    claims; an essay that cites none is commentary only."""
    kind = genre(text) or "essay"
    profile = Profile(kind, kind=kind.replace("_", " "), claims_only=kind != "guidance", confidence=CLAIM_WEIGHT)
    if kind == "guidance":  # an agency restating its own rule: statements, not claims
        profile.confidence = 0.8
    first = subject_cited(text)
    for cited, code in [first] if first else []:
        if kind in ("client_alert", "guidance"):
            profile.citation = cited.group(0)
            profile.title = Found(cited.group(0), cited.start(), cited.end())
            profile.jurisdiction = Found(code, cited.start(), cited.end())
            _reported_facts(text, profile, registry, cited)
            break
    return profile


def _reported_facts(text: str, profile: Profile, registry: Registry, cited: re.Match) -> None:
    from .common import AUTHORITY_JURISDICTIONS, date_after

    breaks = list(re.finditer(r"\n\s*\n", text[: cited.start()]))  # "U.S." ends no sentence
    sentence_start = breaks[-1].end() if breaks else 0
    end = text.find("\n\n", cited.end())
    paragraph = text[sentence_start : end if end > 0 else len(text)].lower()
    for name, code in AUTHORITY_JURISDICTIONS.items():
        at = paragraph.find(name)  # the body the alert says issued the rule, in the same paragraph
        if at >= 0 and code == profile.jurisdiction.value:
            at += sentence_start
            profile.authority = Found(text[at : at + len(name)], at, at + len(name))
            break
    published = date_after(text[sentence_start : cited.end()], re.compile(r"\bOn\b|\b(?:published|issued)\b"))
    if published and _PUBLISHED.search(text[sentence_start : cited.end()]):
        profile.dates["adopted"] = Found(
            published.value, published.start + sentence_start, published.end + sentence_start
        )
    comply = date_after(text, _COMPLY, window=40)
    if comply:
        profile.dates["compliance"] = comply
    from .common import adopted_date, effective_date

    for role, found in (("effective", effective_date(text)), ("adopted", adopted_date(text))):
        if found and role not in profile.dates:
            profile.dates[role] = found
