"""Instruments a text cites in passing by a citation that says whose it is, in the forms and
languages official texts use: a Federal Register page (US), "SOR/2024-112" and its French
"DORS/2024-112" (CA), "SI 2024/346" or "S.I. 2008/3231" (GB; an SI or SOR number in a text of a state ISO 3166
does not list, which borrows that drafting, is that state's: ``own_series``), and EU acts in
English, French, Spanish, German and Italian
("Regulation (EU) 2021/821", "Règlement délégué (UE) 2025/2003", "Reglamento (UE) 2021/821",
"Verordnung (EU) 2021/821", the older "(EC) No 428/2009"). Each is an Instrument mention with
the id of its English citation, wherever it is written and in any genre, so that a sentence
relating two instruments ("Annex I to Regulation (EU) 2021/821 was replaced by Delegated
Regulation (EU) 2025/2003") finds both, a French citation and an English one are one
instrument, and an anaphor ("the Regulation", "the Order") finds the one named last."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING

from qharmony.ontology.namespaces import slug

from .dates import find_dates
from .doc_cache import citations_memo, doc_text
from .genres.national import national_citations
from .genres.own_state import own_series
from .instrument_ids import instrument_id
from .state import DocumentState

if TYPE_CHECKING:  # spaCy is imported by what makes the docs
    from spacy.tokens import Doc

_FR = re.compile(r"\b\d{2,3} FR \d{3,6}\b")
_SOR = re.compile(r"\b(?:SOR|DORS)/(?P<y>\d{4})-(?P<n>\d+)\b")
_EO = re.compile(r"\b(?:Executive Order|E\.O\.) (?P<n>1\d{4})\b")
#: a Commission document by its number: "C(2023) 441", "C/2023/441", "COM(2024) 25 final",
#: "SWD(2024) 12 final" (a recommendation, a white paper, a staff working document)
_EU_DOC = re.compile(
    r"(?<![\w/])(?P<k>C|COM|SWD|JOIN)(?:\((?P<y>(?:19|20)\d\d)\) ?(?P<n>\d{1,5})(?P<f> final)?"
    r"|/(?P<y2>(?:19|20)\d\d)/(?P<n2>\d{1,5}))\b"
)
#: the id of such a document: its number's series says the Commission wrote it
COMMISSION_DOCUMENT = re.compile(r"^EU:(?:C|COM|SWD|JOIN)-\d{4}-")
_UKSI = re.compile(r"\bS\.?I\.? (?P<y>\d{4})/(?P<n>\d+)\b")
#: the kind of an EU act in each language
_KINDS = {
    "regulation": "Regulation", "règlement": "Regulation", "reglamento": "Regulation", "verordnung": "Regulation",
    "regolamento": "Regulation", "directive": "Directive", "directiva": "Directive", "richtlinie": "Directive",
    "direttiva": "Directive", "decision": "Decision", "décision": "Decision", "decisión": "Decision",
    "beschluss": "Decision", "decisione": "Decision", "recommendation": "Recommendation",
    "recommandation": "Recommendation", "recomendación": "Recommendation", "empfehlung": "Recommendation",
    "raccomandazione": "Recommendation",
}  # fmt: skip
_DELEGATED = ("delegated", "délégué", "delegado", "delegierte", "delegato")
_IMPLEMENTING = ("implementing", "d'exécution", "de ejecución", "di esecuzione")
_EU_ACT = re.compile(
    r"\b(?P<pre>(?i:Delegated|Implementing|Delegierte) )?(?P<kind>(?i:" + "|".join(_KINDS) + r"))"
    r"(?P<post> (?i:délégué|delegado|delegato|d'exécution|de ejecución|di esecuzione))?"
    # "(EU) 2021/821" is year/number; the older "(EC) No 428/2009" number/year
    r" \((?P<union>EU|UE|EC|CE|EG)\) (?:(?:No|n°|nº|Nr\.) ?)?(?P<a>\d{1,4})/(?P<b>\d{1,4})\b"
)


@dataclass(frozen=True)
class Cited:
    """One citation in a text: its offsets, the instrument's id, and the words cited."""

    start: int
    end: int
    ident: str
    words: str


#: words just before a citation that tie it to the state whose style it is ("the UK's S.I.
#: 2008/3231", "Canadian SOR/2024-112", "the United Kingdom Order (S.I. ...)")
_TIED = {
    "GB": re.compile(r"\b(?:UK|U\.K\.|United Kingdom|British|Great Britain)\b[^.;]{0,40}$"),
    "CA": re.compile(r"\b(?:Canada|Canadian)\b[^.;]{0,40}$"),
}


def series_owner(style: str, own: str | None, text: str, start: int) -> str:
    """A citation's owner: the document's own state when it has one of its own, unless the
    words before tie the citation to the state whose style it is."""
    if own is None or style not in _TIED or _TIED[style].search(text[max(0, start - 60) : start]):
        return style
    return own


def _english(own: str | None, m: re.Match) -> str | None:
    return None if m.group(0).startswith("D") else own


#: a string every such citation holds: most blocks cite none and are not scanned
_ANY = re.compile(
    r" FR |\((?:EU|UE|EC|CE|EG)\)|\bS\.?I\.? |\b(?:DORS|SOR)/|\bE(?:xecutive Order|\.O\.) |\b(?:C|COM|SWD|JOIN)[(/]\d"
)
#: a string every match of ``_ANY`` holds: ``_ANY`` itself runs only on a text holding one
_ANY_STRINGS = (
    " FR ",
    "(EU)",
    "(UE)",
    "(EC)",
    "(CE)",
    "(EG)",
    "SI",
    "S.I",
    "ORS/",
    "SOR/",
    "Executive Order ",
    "E.O. ",
    "C(",
    "C/",
    "COM(",
    "SWD(",
    "JOIN(",
)
#: the unions' marks an EU act's citation holds ("Regulation (EU) 2021/821")
_UNIONS = ("(EU) ", "(UE) ", "(EC) ", "(CE) ", "(EG) ")


def cited_instruments(text: str, series: str | None = None) -> tuple[Cited, ...]:
    """The citations of ``text`` in order, each with its owner's id; ``series`` is the
    document's own state (``own_series``), which SI and SOR numbers belong to. Each pattern
    runs only on a text holding a string every one of its matches holds (most blocks cite
    nothing), and only when ``_ANY`` finds one of the strings that say a text cites."""
    if not any(w in text for w in _ANY_STRINGS) or not _ANY.search(text):
        return ()
    own = None if series == "GB" else series
    found: list[Cited] = []
    if " FR " in text:
        found += [Cited(m.start(), m.end(), instrument_id("US", m.group(0)), m.group(0)) for m in _FR.finditer(text)]
    if "SOR/" in text or "DORS/" in text:
        found += [
            # the French "DORS/" is the Canada Gazette's own bilingual citation: Canada's in any text
            Cited(
                m.start(),
                m.end(),
                f"{series_owner('CA', _english(own, m), text, m.start())}:SOR-{m['y']}-{m['n']}",
                m.group(0),
            )
            for m in _SOR.finditer(text)
        ]
    if "SI" in text or "S.I" in text:
        found += [
            Cited(m.start(), m.end(), f"{series_owner('GB', own, text, m.start())}:SI-{m['y']}-{m['n']}", m.group(0))
            for m in _UKSI.finditer(text)
        ]
    if any(u in text for u in _UNIONS):
        found += [Cited(m.start(), m.end(), _eu_id(m), m.group(0)) for m in _EU_ACT.finditer(text)]
    if "C(" in text or "C/" in text or "COM(" in text or "SWD(" in text or "JOIN(" in text:
        found += [Cited(m.start(), m.end(), _eu_doc_id(m), m.group(0)) for m in _EU_DOC.finditer(text)]
    if "Executive Order " in text or "E.O. " in text:
        found += [Cited(m.start(), m.end(), f"US:Executive-Order-{m['n']}", m.group(0)) for m in _EO.finditer(text)]
    return tuple(sorted(found, key=lambda c: c.start))


def block_citations(doc: Doc, series: str | None) -> tuple[Cited, ...]:
    """``cited_instruments`` of a block's text, read once per block and series: the block's
    mentions and its dates read the same text (kept with the doc, ``doc_cache``)."""
    memo = citations_memo(doc)
    if series not in memo:
        memo[series] = cited_instruments(doc_text(doc), series)
    return memo[series]


def citations_with_ids(
    st: DocumentState,
    text: str,
    pos: int = 0,
    endpos: int = sys.maxsize,
    national: bool = True,
    doc: Doc | None = None,
) -> list[Cited]:
    """Every citation in ``text`` (from ``pos`` to ``endpos``) with its instrument's id: those
    that say whose they are (``cited_instruments``), then, with ``national``, those in a
    national style ("Notice No. 2/2023", "Decree 31 of 2026"), of the document's jurisdiction.
    A national citation is read as ``national_citations`` reads it, so a rule that dates or
    amends it and the mention that names it give it one id."""
    series = own_series(st)
    cited = block_citations(doc, series) if doc is not None else cited_instruments(text, series)
    found = [c for c in cited if pos <= c.start < endpos]
    if national:
        found += [
            Cited(s, e, ident, words)
            for s, e, ident, words in national_citations(st.jurisdiction, text)
            if pos <= s < endpos
        ]
    return found


#: the date a citation gives its instrument right after it: "Executive Order 14105 of August 9,
#: 2023", "Notification No. 19/2025-28 dated the 2nd June, 2025", "Decree No. 3/2024 of 4 May 2024"
_OF_DATE = re.compile(r",?\s+(?:of|dated)\s+(?:the\s+)?|,\s+(?=\d{1,2}[./ ])")  # "..., C/2023/441, 20.10.2023"
_COMMA_DATE = re.compile(r",\s+\d{1,2}[./ ]")


def cited_dates(st: DocumentState, start: int, doc: Doc) -> None:
    """Each instrument a block cites with its date ("... of 9 August 2023") was adopted then.
    An EU act's title date is read by its genre; this reads any citation, in any genre."""
    text = doc_text(doc)
    if " of " not in text and "dated" not in text and not _COMMA_DATE.search(text):
        return
    for c in citations_with_ids(st, text, national=bool(st.jurisdiction), doc=doc):
        end, ident = c.end, c.ident
        lead = _OF_DATE.match(text, end)
        if not lead or ident == st.instrument:
            continue
        dates = find_dates(text[lead.end() : lead.end() + 40])
        if dates and dates[0][1] == 0:
            day, s, e = dates[0]
            s, e = start + lead.end() + s, start + lead.end() + e
            st.entity("Date", day.isoformat(), s, e, 0.85, "citation.date")
            st.relate("adopted_on", ident, "Instrument", day.isoformat(), "Date", s, e, 0.8, "citation.date")


def _eu_id(m: re.Match) -> str:
    kind = _KINDS[m.group("kind").lower()]
    words = f"{m.group('pre') or ''}{m.group('post') or ''}".lower()
    if any(w in words for w in _DELEGATED):
        kind = f"Delegated {kind}"
    elif any(w in words for w in _IMPLEMENTING):
        kind = f"Implementing {kind}"
    union = "EU" if m.group("union") in ("EU", "UE") else "EC"
    number = f"{'No ' if union == 'EC' else ''}{m.group('a')}/{m.group('b')}"
    return f"EU:{slug(f'{kind} ({union}) {number}')}"


def _eu_doc_id(m: re.Match) -> str:
    """ "COM(2024) 25 final" -> EU:COM-2024-25-final; "C/2023/441" -> EU:C-2023-441."""
    year, number = m.group("y") or m.group("y2"), m.group("n") or m.group("n2")
    return f"EU:{m.group('k')}-{year}-{number}{'-final' if m.group('f') else ''}"
