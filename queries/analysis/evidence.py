"""The source sentences behind a fact: one way to cut a sentence around the words a
fact was read from, for entity pages and for the citations of every analysis."""

from __future__ import annotations

from dataclasses import dataclass

from qharmony.ontology.namespaces import QH

from ..catalog import select_all
from ..results import Term, cell
from ..store import Store

#: the predicates whose evidence backs an entry's control, best first
_ENTRY_EVIDENCE = (QH + "controlsTechnology", QH + "hasThreshold", QH + "partOf")


@dataclass(frozen=True)
class Excerpt:
    """A sentence of a source document and the span a fact was read from."""

    document: str
    document_title: str
    sentence: str
    #: offsets of the span in the document
    start: int
    end: int
    #: offsets of the span in the sentence
    span_start: int
    span_end: int
    confidence: float

    @property
    def before(self) -> str:
        return self.sentence[: self.span_start]

    @property
    def span(self) -> str:
        return self.sentence[self.span_start : self.span_end]

    @property
    def after(self) -> str:
        return self.sentence[self.span_end :]


def excerpt(row: dict[str, Term]) -> Excerpt:
    """An ``entity_evidence`` row as an excerpt: the span's offsets are in the
    document, the sentence's start too, so the span is cut relative to it."""
    offset = int(row["sentenceStart"].value)
    start, end = int(row["start"].value), int(row["end"].value)
    return Excerpt(
        row["document"].value,
        cell(row, "title"),
        row["sentence"].value,
        start,
        end,
        max(0, start - offset),
        max(0, end - offset),
        float(row["confidence"].value),
    )


def document_kind(row: dict[str, Term]) -> str:
    """``OfficialText``, ``Summary`` or ``Commentary``: what the sentence's document is."""
    return cell(row, "documentKind").rsplit("#", 1)[-1] or "Commentary"


def review_of(row: dict[str, Term], flagged: dict[str, dict] | None = None) -> dict:
    """Whether an ``entity_evidence`` row's fact is as extracted or was reviewed:
    ``{"status": "extracted"}``, ``flagged`` (a reviewer asked for a second look and
    no decision followed), or the action (accept, correct, reject), who, when."""
    flag = (flagged or {}).get(cell(row, "fingerprint"))
    if flag and (flag["at"] > cell(row, "reviewedAt") or "action" not in row):
        return {"status": "flagged", "by": flag["by"], "at": flag["at"]}
    if "action" not in row:
        return {"status": "extracted"}
    reviewer = cell(row, "reviewer").rsplit("/", 1)[-1]
    return {
        "status": {"accept": "accepted", "correct": "corrected", "reject": "rejected"}.get(
            row["action"].value, row["action"].value
        ),
        "by": reviewer,
        "at": cell(row, "reviewedAt"),
    }


def flagged_facts(store: Store) -> dict[str, dict]:
    """Facts whose latest decision is a flag, by fingerprint: who flagged them, when."""
    latest: dict[str, dict] = {}
    for r in select_all(store, "review_decisions").rows:
        fp, at = r["fingerprint"].value, r["at"].value
        if fp not in latest or at > latest[fp]["at"]:
            latest[fp] = {"action": r["action"].value, "by": r["reviewer"].value.rsplit("/", 1)[-1], "at": at}
    return {fp: d for fp, d in latest.items() if d["action"] == "flag"}


def evidence_for(
    store: Store,
    entry: str,
    limit: int = 3,
    technology: str = "",
    wanted: tuple[str, ...] = _ENTRY_EVIDENCE,
    flagged: dict[str, dict] | None = None,
) -> list[dict]:
    """The source sentences behind an entry's control (of ``technology``, when given)
    and thresholds, best first; facts held for review are not cited. Each says what
    kind of document it comes from, so only official text is quoted as a source's
    words, and where the official instrument is published, and whether a reviewer
    accepted, corrected or flagged it (``flagged``: from ``flagged_facts``, read
    here when not given)."""
    rows = select_all(store, "entity_evidence", {"entity": Term.iri(entry)}).rows
    if technology:
        rows = [r for r in rows if r["p"].value != _ENTRY_EVIDENCE[0] or r["o"].value == technology]
    picked = sorted(
        (r for r in rows if r["p"].value in wanted and "held" not in r and cell(r, "action") != "reject"),
        key=lambda r: (wanted.index(r["p"].value), -float(r["confidence"].value)),
    )
    if flagged is None and picked:
        flagged = flagged_facts(store)
    out = []
    for r in picked[:limit]:
        ex = excerpt(r)
        out.append(
            {
                "entry": entry,
                "document": ex.document,
                "document_title": ex.document_title,
                "sentence": ex.sentence,
                "span": ex.span,
                "confidence": ex.confidence,
                "hedged": "hedged" in r,
                "document_kind": document_kind(r),
                "official_url": cell(r, "officialUrl"),
                "review": review_of(r, flagged),
                "fingerprint": cell(r, "fingerprint"),
            }
        )
    return out
