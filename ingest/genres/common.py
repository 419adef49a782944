"""What every genre reader returns (a ``Profile`` of the document: its instrument,
authority, jurisdiction and dates, each with its span), and the conventions several
genres share: how texts say a rule takes effect, and which authority is whose."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from qharmony.ontology.namespaces import slug

from ..dates import find_dates
from ..jurisdictions import Registry


@dataclass(frozen=True)
class Found:
    """A value read from the text, with the span it was read from."""

    value: str
    start: int
    end: int


@dataclass
class Profile:
    """What a document is, read from the conventions of its genre."""

    genre: str
    jurisdiction: Found | None = None
    title: Found | None = None
    citation: str = ""
    authority: Found | None = None
    kind: str = ""
    dates: dict[str, Found] = field(default_factory=dict)
    identifiers: dict[str, str] = field(default_factory=dict)
    #: instruments this one amends or repeals, by citation
    amends: list[Found] = field(default_factory=list)
    #: further issuing bodies ("of the European Parliament and of the Council")
    co_authorities: list[Found] = field(default_factory=list)
    #: other bodies the masthead names that do not issue (a ministry over the unit that does)
    bodies: list[Found] = field(default_factory=list)
    #: other instruments the text cites with their own date of adoption: (citation, date)
    cited: list[tuple[Found, Found]] = field(default_factory=list)
    repeals: list[Found] = field(default_factory=list)
    #: instruments that amended this one: (citation, the day the change took effect if given, the
    #: body that issued the amending act if its title says) (a revised SI's F-notes, a
    #: consolidated EU act's "Amended by" box)
    amended_by: list[tuple[Found, Found | None, str | None]] = field(default_factory=list)
    #: other acts the text cites with the bodies their citation names ("Regulation (EU) 2021/821
    #: of the European Parliament and of the Council"): (citation, body)
    cited_issuers: list[tuple[Found, str]] = field(default_factory=list)
    #: essays and client alerts: their facts are claims (lower confidence), never entries
    claims_only: bool = False
    confidence: float = 0.9

    @property
    def authority_id(self) -> str:
        return slug(re.sub(r"\s*\(.*?\)", "", self.authority.value)).lower() if self.authority else ""


#: Authorities whose name does not say whose they are; facts from the reference set.
AUTHORITY_JURISDICTIONS = {
    "bureau of industry and security": "US",
    "department of commerce": "US",
    "office of foreign assets control": "US",
    "department of the treasury": "US",
    "european commission": "EU",
    "council of the european union": "EU",
    "european parliament": "EU",
    "export control joint unit": "GB",
    "department for business and trade": "GB",
    "global affairs canada": "CA",
    "governor in council": "CA",
    "governor general in council": "CA",
    "ministry of economy, trade and industry": "JP",
    "bundesamt für wirtschaft und ausfuhrkontrolle": "DE",
    "federal office for economic affairs and export control": "DE",
    "ministry of trade, industry and energy": "KR",
    "department of defence": "AU",
}

#: Abbreviations export-control texts use for these bodies without defining them ("BIS's rule").
AUTHORITY_ABBREVIATIONS = {
    "BIS": "bureau of industry and security",
    "ECJU": "export control joint unit",
    "OFAC": "office of foreign assets control",
    "METI": "ministry of economy, trade and industry",
    "MOTIE": "ministry of trade, industry and energy",
    "BAFA": "bundesamt für wirtschaft und ausfuhrkontrolle",
}

#: "This rule is effective ...", "shall enter into force on ...", "takes effect on ...".
_EFFECTIVE = re.compile(
    r"\b(?:is|are|becomes?|shall be(?:come)?|will be(?:come)?) effective(?: on| from| as of)?\b|"
    r"\b(?:takes?|shall take|will take|took|taken) effect(?: on| from| as of)?\b|"
    r"\b(?:comes?|shall come|will come|came) into (?:force|effect)(?: on| from)?\b|"
    r"\b(?:enters?|shall enter|will enter|entered) into force(?: on| from)?\b|"
    r"\bin force (?:on|from|as of)\b|\bwith effect (?:from|on)\b|\bEffective(?: date)?[:\s]|"
    # "It shall apply from ...", "applicable from", "as from 1 May", "which commenced on ..."
    r"\b(?:shall |will )?apply (?:as )?from\b|\bapplicable (?:as )?from\b|\bas from\b|"
    r"\bcommenc(?:es|ed)(?: on| from)\b|"
    r"\bComing into force\b|\bapplies from\b|(?:^|(?<=[.>]\s))From(?= \d{1,2} [A-Z][a-z]+ \d{4},)|"
    r"^[ \t]*(?:In force|Entry into force|Effective|Date of (?:application|entry into force)|Applicable from)[ \t]*:",
    re.I | re.M,
)
_ADOPTED = re.compile(
    r"(?m:^)Date[ \t]*:|"
    r"\b(?:Made|[Dd]ated|Done at [A-Z][a-z]+,?|Signed|Issued|Adopted|Published|Registration|Date of issue|"
    r"Issue date|(?:was|were) (?:made|adopted|signed|issued) on)\b[^.\n]{0,100}?"
    r"(?=\d|(?:January|February|March|April|May|June|July|August|September|"
    r"October|November|December)\s+\d)",
)
_HEDGE_DATE = re.compile(r"\b(?:[Pp]roposed|[Ee]xpected|may|could|would|[Pp]lanned)\b")  # "May" is a month


def date_after(text: str, rx: re.Pattern[str], base: int = 0, window: int = 80) -> Found | None:
    """The first date within ``window`` characters after a match of ``rx``."""
    for m in rx.finditer(text):
        tail = text[m.end() : m.end() + window]
        dates = find_dates(tail)
        if dates and not _HEDGE_DATE.search(text[max(0, m.start() - 30) : m.start()]):
            day, s, e = dates[0]
            return Found(day.isoformat(), base + m.end() + s, base + m.end() + e)
    return None


#: "must comply with this notice by ...", "the compliance date is ...", "the transition period
#: ends on ...": when those already bound must conform, later than the entry into force
_COMPLIANCE = re.compile(
    r"\bcomply\b[^.]{0,120}?\b(?:by|from|until|before|no later than)\b|\bcompliance (?:date|deadline)\b|"
    r"\b(?:transition(?:al)?|grace) period (?:ends|expires|runs until|until)\b|"
    # "compliance ... was required only from", "the deadline for compliance ... is", "must be
    # brought into line by"
    r"\bcompliance\b[^.]{0,80}?\b(?:required|due)\b[^.]{0,20}?\b(?:from|by|on)\b|"
    r"\bdeadline for compliance\b[^.]{0,80}?\b(?:is|was|be)\b|"
    r"\b(?:brought|bring)\b[^.]{0,30}?\binto line\b[^.]{0,30}?\bby\b",
    re.I,
)


def compliance_date(text: str) -> Found | None:
    return date_after(text, _COMPLIANCE, window=40)


def effective_date(text: str) -> Found | None:
    return date_after(text, _EFFECTIVE)


def adopted_date(text: str) -> Found | None:
    return date_after(text, _ADOPTED, window=40)


def state_in_line(line: str, registry: Registry) -> tuple[str, int, int] | None:
    """The longest state name a letterhead line contains ("GOVERNMENT OF THE REPUBLIC OF
    OSTERLAND"), with its code and span in the line."""
    from ..linking import country_names
    from ..thresholds import FOLDS_TO_ASCII

    best = None
    low, folds = line.lower(), any(c in line for c in FOLDS_TO_ASCII)
    for name, code in [*registry.names().items(), *country_names().items()]:
        if len(name) < 4 or (best and len(name) <= best[2] - best[1]):
            continue
        if not (name in line if name.isupper() else folds or name.lower() in low):
            continue  # the pattern below needs the name itself; most lines hold none
        # "RURITANIAN STATUTORY INSTRUMENTS": the adjective names the state too
        m = re.search(r"\b" + re.escape(name) + r"(?:n|ian|ish|ese|i)?\b", line, re.I if not name.isupper() else 0)
        if m:
            best = (code, m.start(), m.end())
    return best


def masthead_state(text: str, end: int, registry: Registry, default: str) -> Found | None:
    """A state the masthead names before ``end`` (the instrument's number or title), when it
    is not the genre's usual one: a gazette or a series of statutory instruments in the
    drafting of another state ("FREEDONIA GAZETTE", "RURITANIAN STATUTORY INSTRUMENTS")."""
    offset = 0
    for line in text[:end].splitlines(keepends=True):
        state = state_in_line(re.sub(r"\s*\(.*?\)", lambda m: " " * len(m.group()), line), registry)
        if state and state[0] != default:
            code, s, e = state
            return Found(code, offset + s, offset + e)
        offset += len(line)
    return None


_OF_STATE = re.compile(r"\bof (?:the )?(?P<name>(?:[A-Z][\w'-]+ )*?(?:of )?[A-Z][\w'-]+)")


def authority_jurisdiction(name: str, registry: Registry) -> str | None:
    """Whose authority this is: a known one, or the state its name ends with
    ("Ministry of Foreign Trade of the Republic of Ruritania")."""
    lowered = re.sub(r"\s*\(.*?\)", "", name).strip().lower()
    for known, code in AUTHORITY_JURISDICTIONS.items():
        if known in lowered:
            return code
    for m in reversed(list(_OF_STATE.finditer(name))):
        words = m.group("name").split()
        for i in range(len(words)):  # "Trade of the Republic of Ruritania" -> the longest state name
            code = registry.code(" ".join(words[i:]))
            if code:
                return code
    for word in re.findall(r"[A-Z][a-z]+", name):
        code = registry.code(word)
        if code:
            return code
    return None


def line_span(text: str, m: re.Match, group: str | int = 0) -> Found:
    value = m.group(group).strip()
    start = m.start(group) + (len(m.group(group)) - len(m.group(group).lstrip()))
    return Found(value, start, start + len(value))
