"""The determination: for a jurisdiction, a technology kind and a date, is it
controlled, not controlled, unknown to the graph, or uncertain, and on what evidence?

A legal team acts on "not controlled", so silence is never read as it: the answer is
``not_controlled`` only when a source says so (an exclusion, a statement that the
jurisdiction has no equivalent, a removal) or the graph holds the jurisdiction's
complete list for the technology on that date. Gaps, the matrix, transfer checks,
treaty pages and entity pages all ask this one function.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from qharmony.ontology.namespaces import QH

from ..dates import ENDED, NOT_YET
from ..store import Store
from .answers import answer
from .evidence import evidence_for, flagged_facts
from .facts import Facts, facts_for, facts_for_all, with_confidence  # noqa: F401 (re-exported)
from .kinds import EXPORT_CONTROL, measure_kind_iri
from .version import GraphVersion, graph_version
from .vocabulary import Technology, technology_tree
from .weigh import (  # noqa: F401 (re-exported: the flags are part of the answer's vocabulary)
    ADOPTION_STANDS_IN,
    CODE_NOT_VERIFIED,
    DATE_UNKNOWN,
    HEDGED,
    MAY_BE_SUPERSEDED,
    MONTH_PRECISION,
    Basis,
    best_per_entry,
    confidence_level,
    statement_basis,
    weigh_entry,
)

CONTROLLED = "controlled"
NOT_CONTROLLED = "not_controlled"
NO_DATA = "no_data"
UNCERTAIN = "uncertain"
STATES = (CONTROLLED, NOT_CONTROLLED, NO_DATA, UNCERTAIN)


@dataclass
class Determination:
    jurisdiction: str
    technology: str  # slug
    technology_iri: str
    technology_label: str
    as_of: str
    status: str
    confidence: float | None
    flags: list[str]
    reason: str
    measure_kind: str = EXPORT_CONTROL
    entries: list[Basis] = field(default_factory=list)
    pending: list[Basis] = field(default_factory=list)
    evidence: list[dict] = field(default_factory=list)
    overlaps: list[str] = field(default_factory=list)
    #: entries the analyses on thresholds may read when the technology is controlled:
    #: those in force and those only doubtfully so (hedged bands of a controlled entry)
    readable: dict[str, Basis] = field(default_factory=dict)

    @property
    def confidence_level(self) -> str:
        return confidence_level(self.confidence)

    @property
    def codes(self) -> list[str]:
        return [b.cite for b in self.entries]

    @property
    def review(self) -> dict[str, int]:
        """How many of the facts it rests on (its evidence) are as extracted, and how
        many a reviewer accepted, corrected or flagged."""
        counts: dict[str, int] = {}
        for ev in self.evidence:
            status = ev.get("review", {}).get("status", "extracted")
            counts[status] = counts.get(status, 0) + 1
        return counts

    @property
    def review_text(self) -> str:
        """``review`` in words: "1 corrected, 2 extracted"."""
        return ", ".join(f"{n} {status}" for status, n in sorted(self.review.items()))

    def to_json(self, version: GraphVersion | None = None) -> dict:
        data = {
            "jurisdiction": self.jurisdiction,
            "technology": self.technology,
            "technology_label": self.technology_label,
            "as_of": self.as_of,
            "status": self.status,
            "confidence": self.confidence,
            "confidence_level": self.confidence_level,
            "flags": self.flags,
            "entries": self.codes,
            "reason": self.reason,
            "measure_kind": self.measure_kind,
            "basis": [b.to_json() for b in self.entries],
            "pending": [b.to_json() for b in self.pending],
            "overlapping_measures": self.overlaps,
            "evidence": self.evidence,
            "review": self.review,
        }
        if version is not None:
            data["graph_version"] = version.content_hash
        return data

    def row(self) -> dict:
        return {
            "jurisdiction": self.jurisdiction,
            "technology": self.technology,
            "status": self.status,
            "confidence": "" if self.confidence is None else f"{self.confidence:.2f}",
            "confidence_level": self.confidence_level,
            "flags": "; ".join(self.flags),
            "entries": "; ".join(self.codes),
            "reason": self.reason,
            "review": self.review_text,
            "official_urls": " ".join(sorted({b.official_url for b in self.entries if b.official_url})),
        }


def _weakest(values: list[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return min(known) if known else None


def _unique(items) -> list:
    out: list = []
    for item in items:
        if item not in out:
            out.append(item)
    return out


def decide(
    facts: Facts, tech: Technology, tree: dict[str, Technology], as_of: date, kind: str = EXPORT_CONTROL
) -> Determination:
    """The determination for one technology from a jurisdiction's facts."""
    kind_iri = measure_kind_iri(kind)
    rows = [
        r for r in facts.by_technology.get(tech.iri, []) if r["measureKind"].value == kind_iri and "proposed" not in r
    ]
    weighed = best_per_entry(weigh_entry(r, as_of) for r in rows)
    children = {b.parent for b in weighed}
    definite = [b for b in weighed if b.state == "in force"]
    doubtful = [b for b in weighed if b.state in ("uncertain", "unknown")]
    ended = [b for b in weighed if b.state == ENDED]
    later = [b for b in weighed if b.state == NOT_YET]
    base = Determination(facts.code, tech.slug, tech.iri, tech.label, as_of.isoformat(), NO_DATA, None, [], "", kind)
    base.pending = later + doubtful if definite else later
    base.readable = {b.entry: b for b in definite + doubtful}
    if definite:
        leaves = [b for b in definite if b.entry not in children] or definite
        base.status, base.entries = CONTROLLED, leaves
        base.reason = "in force: " + ", ".join(
            f"{b.cite} ({b.jurisdiction}, from {b.stated or b.since})" for b in leaves
        )
        base.overlaps = _overlaps(leaves, facts.code)
    elif doubtful:
        base.status, base.entries = UNCERTAIN, doubtful
        base.reason = "only " + "; ".join(_why_doubtful(b) for b in doubtful)
    else:
        _settle_silence(base, facts, tree, tech, ended, as_of, kind_iri)
    base.flags = _unique(f for b in base.entries for f in b.flags)
    if base.overlaps:
        base.flags.append(MAY_BE_SUPERSEDED)
    base.confidence = _weakest([b.confidence for b in base.entries])
    return base


def _settle_silence(
    base: Determination, facts: Facts, tree: dict, tech: Technology, ended: list[Basis], as_of: date, kind_iri: str
) -> None:
    """No entry in force, none doubtful: not controlled if a source says so or a complete
    holding settles it, else no data (and the reason says what the graph holds)."""
    covering = tree[tech.iri].ancestors
    said = [statement_basis(r, as_of) for r in facts.statements if r["excluded"].value in covering]
    said = [s for s in said if s]
    # a repeal or removal is a source saying it stopped
    said += [Basis(**{**b.__dict__, "state": "removed", "flags": []}) for b in ended]
    complete = facts.holdings.complete_for(tree, tech.iri, kind_iri, as_of)
    if said:
        base.status, base.entries = NOT_CONTROLLED, said
        base.reason = "a source says so: " + "; ".join(_why_not(b) for b in said)
    elif complete:
        base.status = NOT_CONTROLLED
        base.reason = f"the graph holds {facts.code}'s complete list for this scope ({complete}) and no entry covers it"
    else:
        base.reason = facts.holdings.silence(facts.code)


def _why_doubtful(b: Basis) -> str:
    if b.state == "unknown":
        return f"{b.cite}, whose in-force date is not known"
    return f"{b.cite} ({', '.join(b.flags) or b.basis})"


def _why_not(b: Basis) -> str:
    if b.state == "excludes":
        return f"{b.cite} ({b.instrument_label}) excludes it"
    if b.state == "removed":
        return f"{b.cite} stopped being in force"
    return f"{b.instrument_label} says its entry {b.cite} has no equivalent in {b.jurisdiction}"


def _overlaps(entries: list[Basis], code: str) -> list[str]:
    """A national entry and a union entry on the same item: both are reported, once each."""
    national = [b for b in entries if b.jurisdiction == code]
    union = [b for b in entries if b.jurisdiction != code]
    if not (national and union):
        return []
    # every pair is reported (national x union grows as their product): each side
    # is spelled once, so a pair costs one concatenation
    overlapped = [
        f" ({code}, national) overlaps {u.cite} ({u.jurisdiction}); the national entry may be "
        "superseded unless a source says it was repealed"
        for u in union
    ]
    return [cite + tail for cite in [n.cite for n in national] for tail in overlapped]


@dataclass
class DeterminationReport:
    jurisdiction: str
    as_of: str
    measure_kind: str
    determinations: list[Determination]
    coverage: list[dict]
    version: GraphVersion

    def to_json(self) -> dict:
        return {
            "jurisdiction": self.jurisdiction,
            "as_of": self.as_of,
            "measure_kind": self.measure_kind,
            "graph_version": self.version.to_json(),
            "coverage": self.coverage,
            "rows": [d.to_json(self.version) for d in self.determinations],
        }

    def rows(self) -> list[dict]:
        return [
            d.row() | {"as_of": self.as_of, "graph_version": self.version.content_hash} for d in self.determinations
        ]


def determine(
    store: Store,
    jurisdiction: str,
    technology: str | None = None,
    as_of: date | None = None,
    kind: str = EXPORT_CONTROL,
    with_evidence: bool = True,
) -> DeterminationReport:
    """One determination per technology kind (or for ``technology`` only) of
    ``jurisdiction`` on ``as_of``, each with its entries, confidence, flags and evidence.
    Computed once per graph version and parameters (``answers``)."""
    as_of = as_of or date.today()
    code = jurisdiction.upper()
    params = (code, technology, as_of.isoformat(), kind, with_evidence)
    return answer(store, "determine", params, lambda: _determine(store, code, technology, as_of, kind, with_evidence))


def _determine(
    store: Store, code: str, technology: str | None, as_of: date, kind: str, with_evidence: bool
) -> DeterminationReport:
    tree = technology_tree(store)
    facts = facts_for(store, code)
    techs = [tree[technology]] if technology else sorted(tree.values(), key=lambda t: t.label)
    found = [decide(facts, t, tree, as_of, kind) for t in techs]
    if with_evidence:
        flagged = flagged_facts(store)
        for d in found:
            attach_evidence(store, d, flagged=flagged)
    return DeterminationReport(code, as_of.isoformat(), kind, found, facts.holdings.to_json(), graph_version(store))


def attach_evidence(store: Store, d: Determination, per_entry: int = 1, flagged: dict | None = None) -> None:
    """The sentences behind a determination's entries, labelled by document kind and
    by review status (extracted, accepted, corrected, flagged)."""
    for b in d.entries[:4]:
        wanted = (QH + "doesNotControl", QH + "noEquivalentIn") if b.state in ("excludes", "no equivalent") else None
        if wanted:
            d.evidence.extend(evidence_for(store, b.entry, per_entry, wanted=wanted, flagged=flagged))
        else:
            d.evidence.extend(evidence_for(store, b.entry, per_entry, b.controlled, flagged=flagged))
