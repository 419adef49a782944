"""Alerts and essays that discuss several instruments, a paragraph each ("**Canada.** The
Governor in Council made SOR/2024-112 on May 31, 2024 ... **United Kingdom.** SI
2024/346 ..."): a paragraph that cites one instrument speaks of it. Its citation says
whose it is (an SOR is Canadian, an SI British), the codes it names are of that list, and
the dates and the body it gives are that instrument's. What is read here is reported,
so it becomes claims with the rest of the document (``genres.treat_as_claims``)."""

from __future__ import annotations

import re

from qharmony.ontology.namespaces import slug

from .genres.commentary import _CITED, amender
from .genres.common import AUTHORITY_JURISDICTIONS, date_after, effective_date
from .instrument_ids import instrument_id
from .readers import Block
from .state import DocumentState, hedged

#: "made SOR/2024-112 on May 31, 2024", "was adopted on ...", "published ... on"
_MADE = re.compile(r"\b(?:made|adopted|signed|issued|published|registered)\b[^.;]{0,60}?\bon\b", re.I)
_THE_COMMISSION = re.compile(
    r"(?P<v>(?<=[Tt]he )Commission\b(?!'s? (?:White|Green) Paper)|Commission(?= (?:Delegated|Implementing) ))"
)
#: what a reported fact counts before the claim weight lowers it (as a parsed sentence does)
CONF = 0.8


def _amending(text: str, cited: dict) -> dict:
    """A paragraph citing an act and the act it amends speaks of the amending act."""
    if len(cited) != 2:
        return cited
    (a, (ca, ma)), (b, (cb, mb)) = sorted(cited.items(), key=lambda kv: kv[1][1].start())
    which = amender(text[ma.end() : mb.start()])
    return cited if which is None else ({a: (ca, ma)} if which == 0 else {b: (cb, mb)})


_CFR_PART = re.compile(r"\b\d{1,2} CFR (?:[Pp]art )?\d{2,3}\b(?![.\d])")
#: "89 FR 83428 (October 16, 2024)": a citation with its date in parentheses, the day it appeared
_DATE_AFTER = re.compile(r"\s*\((?P<d>[^()]{6,30})\)")


def _dated_citation(text: str, m: re.Match):
    from .dates import find_dates
    from .genres.common import Found

    after = _DATE_AFTER.match(text, m.end())
    dates = find_dates(after.group("d")) if after else []
    if not dates:
        return None
    day, s, e = dates[0]
    return Found(day.isoformat(), after.start("d") + s, after.start("d") + e)


def _abbreviated_body(text: str, code: str):
    """ "BIS amended ...": a body the paragraph names by its usual abbreviation."""
    from .genres.common import AUTHORITY_ABBREVIATIONS

    for short, name in AUTHORITY_ABBREVIATIONS.items():
        found = re.search(r"\b" + short + r"\b", text)
        if found and AUTHORITY_JURISDICTIONS.get(name) == code:
            return name, found
    return None


#: "is said to amend the Schedule from 16.12.2025", "moved the items onto the list from 15
#: November 2025": a change reported with the day it starts (not a range "from X to Y")
_FROM = re.compile(r"\b(?:from|starting)(?=\s+(?:the\s+)?\d|\s+(?:January|February|March|April|May|June|July|"
                   r"August|September|October|November|December)\b)")  # fmt: skip
_CHANGE = re.compile(r"\b(?:amend|insert|add|mov|appl|list|requir|cover|control|extend|tak|start|replac)\w*", re.I)


def _from_date(text: str, made):
    """The day a paragraph says its instrument's change starts from, right after "from"."""
    for m in _FROM.finditer(text):
        found = date_after(text[m.start() :], _FROM, base=m.start(), window=25)
        sentence = text[max(text.rfind(". ", 0, m.start()), 0) : m.start()]
        if not found or (made and found.value == made.value) or not _CHANGE.search(sentence):
            continue
        if re.match(r"\s*(?:to|until|through)\b", text[found.end : found.end + 10]):
            continue  # "from 1 May to 30 June": a period
        return found
    return None


def _sentence_dates(st: DocumentState, block: Block, text: str, cited: dict) -> None:
    """A paragraph citing several instruments: a sentence that cites one of them and says
    when it took effect ("X is said to have moved the items onto the list from 15 November
    2025") dates that one."""
    for ident, (_code, m) in cited.items():
        start = max(text.rfind(". ", 0, m.start()), text.rfind("; ", 0, m.start())) + 1
        ends = [e for e in (text.find(". ", m.end()), text.find("; ", m.end())) if e >= 0]
        end = min(ends) if ends else len(text)
        if any(o is not m and start <= o.start() < end for _c, o in cited.values()):
            continue  # the sentence cites another too
        sentence = text[start:end]
        found = effective_date(sentence) or _from_date(sentence, None)
        if found:
            fs, fe = block.start + start + found.start, block.start + start + found.end
            conf = hedged(sentence, CONF)
            st.entity("Date", found.value, fs, fe, conf, "reported.effective_on")
            st.relate("effective_on", ident, "Instrument", found.value, "Date", fs, fe, conf, "reported.effective_on",
                      (block.start + start, block.start + end))  # fmt: skip


def paragraph_instrument(st: DocumentState, block: Block, text: str) -> None:
    """Make the one instrument a paragraph of an alert or essay cites the walk's
    instrument, with its jurisdiction, dates and issuing body as the paragraph gives them."""
    if not getattr(st.profile, "claims_only", False) or not any(
        c in text for c in ("FR ", "(EU)", "SI ", "SOR/", "CFR")
    ):
        return
    cited = {}
    for rx, code in _CITED:
        for m in rx.finditer(text):
            cited.setdefault(instrument_id(code, m.group(0)), (code, m))
    if not cited:  # "Treasury's outbound investment rule, 31 CFR Part 850, ...": a whole CFR part
        for m in _CFR_PART.finditer(text):
            cited.setdefault(instrument_id("US", m.group(0)), ("US", m))
    if len(cited) != 1:
        cited = _amending(text, cited)
    if len(cited) != 1:
        _sentence_dates(st, block, text, cited)
        return
    ((ident, (code, m)),) = cited.items()
    s, e = block.start + m.start(), block.start + m.end()
    st.instrument, st.jurisdiction = ident, code
    conf = hedged(text, CONF)
    st.entity("Instrument", ident, s, e, conf, "reported.citation", label=m.group(0), citation=m.group(0))
    st.relate("applies_in", ident, "Instrument", code, "Jurisdiction", s, e, conf, "reported.citation")
    span = (block.start, block.end)
    made = date_after(text, _MADE, window=40) or _dated_citation(text, m)
    for role, found in (("adopted_on", made), ("effective_on", effective_date(text) or _from_date(text, made))):
        if found:
            fs, fe = block.start + found.start, block.start + found.end
            st.entity("Date", found.value, fs, fe, conf, f"reported.{role}")
            st.relate(role, ident, "Instrument", found.value, "Date", fs, fe, conf, f"reported.{role}", span)
    lowered = text.lower()
    for name, owner in AUTHORITY_JURISDICTIONS.items():
        at = lowered.find(name)
        commission_act = (
            re.search(r"Delegated|Implementing", m.group(0)) or "Commission" in text[max(0, m.start() - 40) : m.start()]
        )
        if at < 0 and name == "european commission" and code == "EU" and commission_act:
            # in EU drafting "the Commission" is the European Commission, which adopts delegated and
            # implementing acts ("The Commission adopted Delegated Regulation (EU) ..."); a
            # regulation of the Parliament and the Council is not its act
            short = _THE_COMMISSION.search(text)
            at = short.start("v") if short else -1
            name = "commission" if short else name
        if at >= 0 and owner == code:
            ident_a = slug("european commission" if name == "commission" else name).lower()
            a_s, a_e = block.start + at, block.start + at + len(name)
            st.entity("Authority", ident_a, a_s, a_e, conf, "reported.authority", label=text[at : at + len(name)])
            rule = "reported.authority"
            st.relate("issued_by", ident, "Instrument", ident_a, "Authority", a_s, a_e, conf, rule, span)
            break
    else:
        short = _abbreviated_body(text, code)
        if short:
            name, found = short
            a_s, a_e = block.start + found.start(), block.start + found.end()
            ident_a = slug(name).lower()
            st.entity("Authority", ident_a, a_s, a_e, conf, "reported.authority", label=found.group(0))
            st.relate(
                "issued_by", ident, "Instrument", ident_a, "Authority", a_s, a_e, conf, "reported.authority", span
            )


#: the rules that read an instrument from a citation whose style says whose it is
_CITATION_RULES = ("citation.mention", "cfr.cited", "reported.citation")
_OWNER = re.compile(r"^(?P<code>[A-Z]{2}):")


def cited_owners(st: DocumentState) -> None:
    """Every instrument an essay or alert cites by a citation that says whose it is ("15 CFR
    740.24", "Regulation (EU) 2021/821", "SOR/2024-112") applies in that jurisdiction, as the
    text reports it (claims, with the rest of the document). An alert names the acts around
    the one it reports on in passing, and says nothing of where they apply."""
    if getattr(st.profile, "genre", "") == "client_alert":
        return
    out = st.out
    have = {r.subject for r in out.relations if r.type == "applies_in"}
    for e in list(out.entities):
        m = _OWNER.match(e.id) if e.type == "Instrument" and e.rule in _CITATION_RULES else None
        if m is None or e.id in have:
            continue
        have.add(e.id)
        st.relate("applies_in", e.id, "Instrument", m["code"], "Jurisdiction", e.start, e.end, CONF,
                  "reported.cited_owner", e.sentence)  # fmt: skip
