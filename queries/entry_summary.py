"""An entry's key facts in plain words, with its status as of a date, for the top of
its page: what a lawyer reads first."""

from __future__ import annotations

from datetime import date

from .catalog import get_query
from .results import Term
from .store import Store


def entry_summary(store: Store, iri: str, today: date | None = None) -> dict | None:
    """Code, list, instrument, jurisdiction, thresholds, dates and status; None when
    ``iri`` is not a control entry."""
    rows = store.select(get_query("entry_summary").text, {"entry": Term.iri(iri)}).rows
    if not rows:
        return None
    r = {k: v.value for k, v in rows[0].items()}
    today = today or date.today()
    start, basis = r.get("effective"), "entry into force"
    if not start and r.get("month"):
        start, basis = f"{r['month']} (month only)", "month"
    if not start and r.get("adopted"):
        start, basis = r["adopted"], "adoption (entry into force not verified)"
    if r.get("proposed"):
        status = "proposed: not in force"
    elif r.get("repealed") and r["repealed"] <= today.isoformat():
        status = f"no longer in force since {r['repealed']}"
    elif not start:
        status = "in force date unknown"
    elif start[:10] <= today.isoformat():
        status = f"in force since {start}" + ("" if basis in ("entry into force", "month") else f" ({basis})")
    else:
        status = f"not yet in force: applies from {start}"
    return {
        "code": r.get("code", "not verified"),
        "list": r.get("listLabel", ""),
        "instrument": r.get("instrument", ""),
        "instrument_label": r.get("instrumentLabel", ""),
        "jurisdiction": r.get("jurisdiction", ""),
        "thresholds": r.get("thresholds", ""),
        "adopted": r.get("adopted", ""),
        "applies_from": start or "",
        "status": status,
        "as_of": today.isoformat(),
    }
