"""Agency guidance pages: an authority explains an instrument it administers, in
questions and answers, bullets or prose. The page is not the instrument: its facts are
about the instrument it cites (whose authority is the page's, named in the masthead or
the lede), it defines no entries or licences, and its own dates ("Last updated",
"Published") date the page, never the instrument. Dates of the instrument come from
what the page says of it ("the controls started to apply on ...", "exporters to
Country Group A:1 had until ... to comply")."""

from __future__ import annotations

import re

from ..dates import find_dates
from ..jurisdictions import Registry
from . import commentary
from .commentary import _CITED, subject_cited
from .common import (
    AUTHORITY_JURISDICTIONS,
    Found,
    Profile,
    date_after,
    state_in_line,
)
from .national import _AUTHORITY, _CITATION, _OF_STATE
from .own_state import BORROWED_STYLES, page_state

_CUES = re.compile(
    r"\bfrequently asked questions\b|\bFAQs?\b|\bquestions and answers\b|\bQ&A\b|\bGuidance\b|"
    r"\b(?:this|these) (?:page|guide|note|notes|guidance|overview) (?:explains?|restates?|summari[sz]es?|"
    r"describes?|sets? out|outlines?)\b|"
    r"\b(?:it|they|this page|these notes) (?:does|do) not (?:replace|change|amend) (?:the|it|them)\b|"
    r"\b(?:the|this) (?:rule|notice|order|regulation)'?s? (?:text )?(?:governs|prevails)\b|"
    r"\bkey points for exporters\b|\bwhat (?:exporters|you) need to know\b|"
    # an agency speaks to the exporter: "you need an export licence to export ..."
    r"\byou (?:will )?(?:need|must (?:have|hold|obtain|apply for)) an? (?:export |individual )?(?:licen[cs]e|permit)\b",
    re.I,
)
#: the page's own dates: kept as dates, related to nothing
PAGE_DATE = re.compile(
    r"\b(?:Last updated|Last modified|Page updated|Updated|Published|Posted|Date published)\b:?", re.I
)
_CAPTION_DATE = re.compile(r"[:\s]*(?:on\s+)?(?:\d|[A-Z][a-z]{2,8}\.? \d)")
#: how a page says when its instrument began to apply
_STARTED = re.compile(
    r"\b(?:start(?:s|ed)?|began|begins?) to apply\b|\b(?:has|have) applied since\b|\bapplied from\b|"
    r"\btook effect\b|\bcame into (?:force|effect)\b|\bin force (?:since|from)\b|\bapply from\b|"
    r"\bentered\s+into\s+force\b|"
    # a sentence that opens with the day the controls start: "From 1 April 2024 you need ..."
    r"(?-i:(?:^|(?<=[.>]\s)|(?<=<p>))From)(?= \d{1,2} [A-Z][a-z]+ \d{4}| [A-Z][a-z]+ \d{1,2}, \d{4})",
    re.I | re.M,
)
#: a later date for some destinations: a compliance date, not the start
_DEFERRED = re.compile(
    r"\b(?:Country Groups?|destinations in|exports? to|shipments? to)\b[^.?]{0,120}?"
    r"\b(?:until|from|by|comply|applied)\b",
    re.I,
)
_QUESTION = re.compile(r"^[ \t]*[^\n]{3,200}\?[ \t]*$", re.M)


def detect(text: str) -> bool:
    if commentary.genre(text) not in (None, "guidance"):
        return False  # an alert's or essay's questions are not an agency's answers
    head = text[:2000]
    # each question holds its own "?": a text with fewer than two has fewer than two questions
    if not _CUES.search(head) and (text.count("?") < 2 or len(_QUESTION.findall(text)) < 2):
        return False
    return any(rx.search(text) for rx, _ in _CITED) or bool(_CITATION.search(text[:3000]))


#: what a masthead says of the page before the body that writes it ("Guidance of the ...")
_PAGE_OF = re.compile(
    r"^(?:U\.S\.|(?:(?:Guidance|Advice|Information|Notes?|Answers?|Questions)\s+)?(?:from|of|by)\s+the|the)\s+",
    re.I,
)


def _without_address(name: str, registry: Registry | None) -> str:
    """ "Export Licensing Directorate, Kingdom of Syldavia": the state after the comma is
    the body's address, not part of its name."""
    head, comma, rest = name.partition(", ")
    if comma and registry is not None and state_in_line(rest, registry):
        return head
    return name


_CONTACT = re.compile(
    r"\b(?:apply|applications?|write|turn|go|submit\w*|send\w*)\b[^.]{0,20}\bto the\s+$|\bcontact the\s+$", re.I
)


def _masthead(text: str, registry: Registry | None = None) -> list[Found]:
    """The bodies named before the page's first question or long paragraph, in order."""
    end = min([m.start() for m in (_QUESTION.search(text),) if m] + [1200])
    found = []
    lowered = text[:end].lower()
    for known in AUTHORITY_JURISDICTIONS:  # a body known by a name without "Ministry" in it
        at = lowered.find(known)
        if at >= 0 and not known.startswith("department"):
            found.append(Found(text[at : at + len(known)], at, at + len(known)))
    for m in _AUTHORITY.finditer(text[:end]):
        name = _PAGE_OF.sub("", m.group("v")).strip(" ,.")
        name = _without_address(re.split(r"\s+(?:on|about|for)\s+the\b", name)[0], registry)
        name = _OF_STATE.sub("", name)  # "Export Control Office of the Principality of X": its own name
        if len(name.split()) >= 2:
            start = m.start("v") + m.group("v").find(name)
            found.append(Found(name, start, start + len(name)))
    # "Apply to the Export Control Joint Unit", "contact the Bureau": where the reader turns,
    # not who writes the page
    found = [f for f in found if not _CONTACT.search(text[max(0, f.start - 40) : f.start])]
    found.sort(key=lambda f: f.start)
    return [f for i, f in enumerate(found) if not any(o.start <= f.start < o.end for o in found[:i])]


def _department(name: str) -> bool:
    """A parent department ("Department of Commerce", "U.S. Department of Commerce"): the
    agency under it writes the page."""
    return bool(re.match(r"(?:(?:the |U\.S\. |US |UK |HM )*)department\b", name, re.I))


def read(text: str, registry: Registry) -> Profile:
    profile = Profile("guidance", kind="guidance", confidence=0.8)
    bodies = _masthead(text, registry)
    known = [b for b in bodies if b.value.lower() in AUTHORITY_JURISDICTIONS]
    # a department above its agency: the agency is the page's author
    agencies = [b for b in bodies if not _department(b.value)] or bodies
    if agencies:
        profile.authority = (known and not _department(known[-1].value) and known[-1]) or agencies[0]
        profile.co_authorities = [b for b in bodies if b.value != profile.authority.value and not _department(b.value)]
    cited = subject_cited(text)
    if cited:
        # a page of a state ISO 3166 does not list, on its own order in the UK's or Canada's
        # drafting ("S.I. 2026/902"): the page's state, not the citation's style, is the owner
        own = page_state(text, profile.authority, registry) if cited[1] in BORROWED_STYLES else None
        if own and registry.get(own.value) is not None:
            profile.jurisdiction = own
        else:
            profile.jurisdiction = Found(cited[1], cited[0].start(), cited[0].end())
        cited = cited[0]
    if cited is None:
        cited = _CITATION.search(text[:3000])
    if cited is None:
        return profile
    value = cited.group("v") if "v" in cited.re.groupindex else cited.group(0)
    profile.citation = re.sub(r"^S\.I\. ", "SI ", value.rstrip("."))  # "S.I. 2026/902" is SI 2026/902
    start = cited.start("v") if "v" in cited.re.groupindex else cited.start()
    profile.title = Found(profile.citation, start, start + len(profile.citation))
    if profile.jurisdiction is None:
        profile.jurisdiction = page_state(text, profile.authority, registry)
    _dates(text, profile)
    return profile


#: "The Regulation was adopted on ...", "a rule published at 89 FR 72926 on ...": the
#: instrument's own making or publication, not the page's date
#: (a comma ends it: "published at 89 FR 72926, which took effect on ..." dates the effect)
_MADE = re.compile(
    r"\b(?:was|were) (?:made|adopted|signed)\b[^.?,]{0,40}?\bon\b|\bpublished\b[^.?,]{0,40}?\bon\b", re.I
)


def _dates(text: str, profile: Profile) -> None:
    # a caption is followed by its date ("Last updated 2 May 2025", "Published: May 2, 2025");
    # "a rule published at 89 FR 72926, which took effect on ..." is no caption
    page = {(m.end(), m.end() + 40) for m in PAGE_DATE.finditer(text) if _CAPTION_DATE.match(text, m.end())}
    for m in _MADE.finditer(text):
        made = date_after(text[m.start() :], _MADE, base=m.start(), window=30)
        # a page caption ("Published: 3 May 2025") dates the page; "a rule published at ..." is
        # the instrument's own publication, whose "published" is no caption
        captions = [(a, b) for a, b in page if not m.start() < a <= m.end()]
        if made and not any(a <= made.start < b for a, b in captions):
            profile.dates["adopted"] = made
            break
    started = date_after(text, _STARTED, window=60)
    if started and not any(a <= started.start < b for a, b in page):
        profile.dates["effective"] = started
    for m in _DEFERRED.finditer(text):
        sentence_end = text.find(".", m.end())
        dates = find_dates(text[m.start() : sentence_end if sentence_end > 0 else len(text)])
        if dates and (not started or dates[0][0].isoformat() != started.value):
            day, s, e = dates[0]
            profile.dates["compliance"] = Found(day.isoformat(), m.start() + s, m.start() + e)
            break
