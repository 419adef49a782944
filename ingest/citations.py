"""Citations of instruments in running text, in the forms and languages official texts use:
"SOR/2024-112" and its French "DORS/2024-112", "S.I. 2008/3231", EU acts in English, French,
Spanish, German and Italian ("Regulation (EU) 2021/821", "Règlement délégué (UE) 2025/2003",
"Reglamento (UE) 2021/821", "Verordnung (EU) 2021/821"). Each is an Instrument mention with the
id its English citation has, so that a French citation and an English one are one instrument.
(CFR citations are ``cfr.cited_cfr``'s; a bare "§ 740.10" cross-reference is left alone.)"""

from __future__ import annotations

import re

from qharmony.ontology.namespaces import slug

from .readers import Block
from .state import DocumentState

_SOR = re.compile(r"\b(?:SOR|DORS)/(?P<y>\d{4})-(?P<n>\d+)\b")
_UKSI = re.compile(r"\bS\.?I\.? (?P<y>\d{4})/(?P<n>\d+)\b")
#: the kind of an EU act in each language, and whether it is delegated or implementing
_KINDS = {
    "regulation": "Regulation", "règlement": "Regulation", "reglamento": "Regulation", "verordnung": "Regulation",
    "regolamento": "Regulation", "directive": "Directive", "directiva": "Directive", "richtlinie": "Directive",
    "direttiva": "Directive", "decision": "Decision", "décision": "Decision", "decisión": "Decision",
    "beschluss": "Decision", "decisione": "Decision", "recommendation": "Recommendation",
    "recommandation": "Recommendation", "recomendación": "Recommendation", "empfehlung": "Recommendation",
    "raccomandazione": "Recommendation",
}  # fmt: skip
_DELEGATED = {"delegated", "délégué", "delegado", "delegierte", "delegato"}
_IMPLEMENTING = {"implementing", "d'exécution", "de ejecución", "durchführungsverordnung", "di esecuzione"}
_EU_ACT = re.compile(
    r"\b(?P<pre>(?i:Delegated|Implementing|Delegierte) )?(?P<kind>(?i:" + "|".join(_KINDS) + r"))"
    r"(?P<post> (?i:délégué|delegado|delegato|d'exécution|de ejecución|di esecuzione))?"
    # "(EU) 2021/821" is year/number; the older "(EC) No 428/2009" number/year
    r" \((?P<union>EU|UE|EC|CE|EG)\) (?:(?:No|n°|nº|Nr\.) ?)?(?P<a>\d{1,4})/(?P<b>\d{1,4})\b"
)
_CUES = ("SOR/", "DORS/", "S.I", "SI ", "(EU)", "(UE)", "(EC)", "(CE)", "(EG)")


def find_citations(st: DocumentState, text: str) -> list[tuple[int, int, str, str]]:
    """(start, end, id, citation) of each citation of these forms in ``text``."""
    if not any(c in text for c in _CUES):
        return []
    found = [(m, f"CA:SOR-{m.group('y')}-{m.group('n')}") for m in _SOR.finditer(text)]
    # an SI series of another state (a fictional one in the UK's drafting) cites its own SIs
    series = st.jurisdiction if getattr(st.profile, "genre", "") == "uk_si" and st.jurisdiction else "GB"
    found += [(m, f"{series}:SI-{m.group('y')}-{m.group('n')}") for m in _UKSI.finditer(text)]
    found += [(m, _eu_id(m)) for m in _EU_ACT.finditer(text)]
    return sorted((m.start(), m.end(), ident, m.group(0)) for m, ident in found)


def cited_instruments(st: DocumentState, block: Block, text: str) -> None:
    """Each citation the text makes, as an Instrument of the jurisdiction its form says."""
    for s, e, ident, label in find_citations(st, text):
        if ident != st.instrument:
            st.entity("Instrument", ident, block.start + s, block.start + e, 0.85, "citation.mention", label=label)


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
