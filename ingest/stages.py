"""What a build reports, and the points it reaches: shared by the full build
(``assembly``) and an addition by difference (``adding``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from qharmony.ontology.reason import ReasoningReport
from qharmony.ontology.validate import ValidationReport

from .decisions import ReviewOutcome

Progress = Callable[[str, int, int], None]

#: Called with the name of each point the build reaches (``read``, ``extracted``,
#: ``inferred``, ``validated``, ``serialised`` just before the swap, ``swapped`` just
#: after it). Empty in normal use; the kill-during-build test stops a build at each.
STAGE_HOOKS: list[Callable[[str], None]] = []


def reached(stage: str) -> None:
    for hook in STAGE_HOOKS:
        hook(stage)


@dataclass
class BuildReport:
    """What a build did, for the CLI to summarise and the explorer to show."""

    documents: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    triples: int = 0
    inferred: int = 0
    validation: ValidationReport | None = None
    quarantined: list[str] = field(default_factory=list)
    reasoning: ReasoningReport | None = None
    #: what reviewers' decisions did: applied, orphaned (issue 16)
    review: ReviewOutcome | None = None
    content_hash: str = ""
    seconds: float = 0.0
    #: how many documents were extracted afresh (the rest came from the build cache)
    extracted: int = 0
    #: documents the store held that this build dropped (``replace``, ``remove``)
    replaced: list[str] = field(default_factory=list)
    #: documents of the store that this build gave a new version of (``add``)
    updated: list[str] = field(default_factory=list)
    #: why an addition was built in full rather than by its difference (empty: it was not)
    full_because: str = ""
    #: seconds per stage: read, extract, map, reason, validate, store
    stages: dict[str, float] = field(default_factory=dict)
    #: an addition by its difference: the content hash it changed from and the N-Quads
    #: it removed and added (so the version kept for diffs is made from the previous
    #: one without reading the store); None for a full build
    difference: tuple[str, bytes, bytes] | None = None
    #: the store's ``version_stamp`` just before the addition's swap: the version the
    #: difference is kept from must have been recorded of that store ("": no stamp)
    since: str | None = None
