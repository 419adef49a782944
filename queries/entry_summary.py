"""An entry's key facts in plain words, with its status as of a date, for the top of
its page: what a lawyer reads first."""

from __future__ import annotations

from datetime import date

from .catalog import get_query
from .dates import ADOPTION, ENDED, IN_FORCE, MONTH_ONLY, NOT_YET, PROPOSED, InForce, InstrumentDates, in_force
from .results import Term
from .store import Store


def describe_status(status: InForce) -> str:
    """The in-force state in words, saying how precise the start date is."""
    caveat = ""
    if status.basis == MONTH_ONLY:
        caveat = f" (the sources give only the month, {status.stated}; counted from the month after)"
    elif status.basis == ADOPTION:
        caveat = f" ({ADOPTION})"
    if status.state == PROPOSED:
        return "proposed: not in force"
    if status.state == ENDED:
        return f"no longer in force since {status.until}"
    if status.state == IN_FORCE:
        return f"in force since {status.since}{caveat}"
    if status.state == NOT_YET:
        return f"not yet in force: applies from {status.since}{caveat}"
    return "in force date unknown"


def entry_summary(store: Store, iri: str, today: date | None = None) -> dict | None:
    """Code, list, instrument, jurisdiction, thresholds, dates and status; None when
    ``iri`` is not a control entry."""
    rows = store.select(get_query("entry_summary").text, {"entry": Term.iri(iri)}).rows
    if not rows:
        return None
    r = {k: v.value for k, v in rows[0].items()}
    status = in_force(InstrumentDates.from_row(r), today or date.today())
    return {
        "code": r.get("code", "not verified"),
        "list": r.get("listLabel", ""),
        "instrument": r.get("instrument", ""),
        "instrument_label": r.get("instrumentLabel", ""),
        "jurisdiction": r.get("jurisdiction", ""),
        # GROUP_CONCAT has no order in SPARQL (engines differ): sorted here
        "thresholds": "; ".join(sorted(filter(None, r.get("thresholds", "").split("; ")))),
        "adopted": r.get("adopted", ""),
        "applies_from": status.since,
        "date_precision": status.precision,
        "status": describe_status(status),
        "in_force": status.to_json(),
        "as_of": status.as_of,
        **_weighed(store, iri, today or date.today()),
    }


def _weighed(store: Store, iri: str, day: date) -> dict:
    """The entry as a determination weighs it: its state (in force, uncertain...),
    the weakest confidence of its control statement, its flags, and its start date as
    precisely as the sources give it (2024-09 stays a month)."""
    from .analysis.determine import confidence_level, weigh_entry, with_confidence
    from .analysis.entry_rows import read_entry_rows
    from .analysis.facts import in_order

    bound = {"entry": Term.iri(iri)}
    rows = in_order(with_confidence(store, read_entry_rows(store, bound), bound))
    own = [r for r in rows if r["technology"].value == r["controlled"].value] or rows
    if not own:
        return {"state": "", "confidence": None, "confidence_level": "", "flags": [], "applies_from_stated": ""}
    basis = weigh_entry(own[0], day)
    return {
        "state": basis.state,
        "confidence": basis.confidence,
        "confidence_level": confidence_level(basis.confidence),
        "flags": basis.flags,
        "applies_from_stated": basis.stated,
    }
