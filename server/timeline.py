"""SVG timelines of instruments: adopted, in force (from a day, or from a month only,
drawn as an approximate span), proposed and no longer in force, one lane per
instrument, for a jurisdiction, a technology or an arrangement's parties.

Drawn on the server as static SVG (no script, text escaped), so it prints and needs
no JavaScript; every label links to the instrument's page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from markupsafe import Markup, escape

from qharmony.ontology.namespaces import ID, QH
from qharmony.queries.analysis.regimes import technologies
from qharmony.queries.catalog import run_named
from qharmony.queries.errors import StoreError
from qharmony.queries.store import Store
from qharmony.queries.treaties import treaty_index

from .security import safe_href

WIDTH, LEFT, RIGHT, TOP, LANE = 960, 300, 940, 34, 30
MAX_LANES = 40


@dataclass
class Lane:
    iri: str
    label: str
    code: str
    adopted: date | None
    effective: date | None
    month: date | None  # first day of the month an instrument applies from, when only the month is known
    repealed: date | None
    proposed: bool


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text[:10]) if text and len(text) >= 10 else None
    except ValueError:
        return None


def _month(text: str | None) -> date | None:
    try:
        return date(int(text[:4]), int(text[5:7]), 1) if text and len(text) >= 7 else None
    except ValueError:
        return None


def lanes(store: Store, jurisdiction: str | None = None, technology: str | None = None) -> list[Lane]:
    params = {k: v for k, v in (("jurisdiction", jurisdiction), ("technology", technology)) if v}
    found = []
    for r in run_named(store, "timeline", params).rows:
        v = {k: t.value for k, t in r.items()}
        found.append(
            Lane(
                v["instrument"],
                v.get("label", v["instrument"].rsplit("/", 1)[-1]),
                v.get("code", ""),
                _day(v.get("adopted")),
                _day(v.get("effective")),
                _month(v.get("month")),
                _day(v.get("repealed")),
                v.get("proposed") == "true",
            )
        )
    return found


def _dates(lane: Lane) -> list[date]:
    return [d for d in (lane.adopted, lane.effective, lane.month, lane.repealed) if d]


def timeline_svg(items: list[Lane], today: date | None = None, title: str = "Timeline") -> Markup:
    """One lane per instrument, years across; empty markup when nothing is dated."""
    today = today or date.today()
    dated = [lane for lane in items if _dates(lane)][:MAX_LANES]
    if not dated:
        return Markup("")
    first = min(d for lane in dated for d in _dates(lane)).year
    last = max([today.year, *(d.year for lane in dated for d in _dates(lane))]) + 1
    span = (date(last, 1, 1) - date(first, 1, 1)).days

    def x(d: date) -> float:
        return LEFT + (RIGHT - LEFT) * (d - date(first, 1, 1)).days / span

    height = TOP + LANE * len(dated) + 50
    out = [
        f'<svg class="timeline" viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{escape(title)}" '
        'xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for year in range(first, last + 1):
        gx = x(date(year, 1, 1))
        out.append(f'<line x1="{gx:.1f}" y1="{TOP - 8}" x2="{gx:.1f}" y2="{height - 44}" class="grid"/>')
        if year < last:
            out.append(f'<text x="{gx + 4:.1f}" y="{TOP - 14}" class="year">{year}</text>')
    tx = x(today)
    out.append(f'<line x1="{tx:.1f}" y1="{TOP - 8}" x2="{tx:.1f}" y2="{height - 44}" class="today"/>')
    for i, lane in enumerate(dated):
        out.append(_lane(lane, TOP + LANE * i + LANE / 2, x, today))
    ly = height - 22
    out.append(
        f'<g class="legend" transform="translate({LEFT},{ly})">'
        '<circle cx="0" cy="0" r="5" class="adopted"/><text x="10" y="4">adopted</text>'
        '<circle cx="90" cy="0" r="6" class="in-force"/><text x="100" y="4">in force</text>'
        '<rect x="170" y="-6" width="26" height="12" class="month"/><text x="202" y="4">month only (approximate)</text>'
        '<path d="M 390 -6 L 396 0 L 390 6 L 384 0 Z" class="proposed"/><text x="402" y="4">proposed</text>'
        '<text x="480" y="4" class="repealed-mark">×</text><text x="494" y="4">no longer in force</text>'
        f'<line x1="{tx - LEFT:.1f}" y1="-18" x2="{tx - LEFT:.1f}" y2="-8" class="today"/></g>'
    )
    out.append("</svg>")
    return Markup("".join(out))


def _lane(lane: Lane, y: float, x, today: date) -> str:
    name = f"{lane.code}: {lane.label}" if lane.code else lane.label
    short = name if len(name) <= 42 else name[:41].rsplit(" ", 1)[0] + " …"
    href = "/id/" + lane.iri[len(ID) :] if lane.iri.startswith(ID) else safe_href(lane.iri)
    parts = [
        f'<g class="lane{" proposed-lane" if lane.proposed else ""}"><title>{escape(name)}</title>',
        f'<a href="{escape(href)}"><text x="8" y="{y + 4:.1f}" class="lane-label">{escape(short)}</text></a>',
    ]
    start = lane.effective or lane.month
    if start and not lane.proposed:
        end = lane.repealed or today
        parts.append(f'<line x1="{x(start):.1f}" y1="{y:.1f}" x2="{x(end):.1f}" y2="{y:.1f}" class="span"/>')
    if lane.month:
        nxt = date(lane.month.year + lane.month.month // 12, lane.month.month % 12 + 1, 1)
        parts.append(
            f'<rect x="{x(lane.month):.1f}" y="{y - 7:.1f}" width="{max(x(nxt) - x(lane.month), 4):.1f}" '
            f'height="14" class="month"><title>applies from {lane.month:%B %Y} (month only)</title></rect>'
        )
    if lane.adopted:
        cls = "proposed" if lane.proposed else "adopted"
        ax = x(lane.adopted)
        shape = (
            f'<path d="M {ax:.1f} {y - 7:.1f} L {ax + 7:.1f} {y:.1f} L {ax:.1f} {y + 7:.1f} L {ax - 7:.1f} {y:.1f} Z" '
            f'class="proposed"><title>proposed on {lane.adopted}</title></path>'
            if lane.proposed
            else f'<circle cx="{ax:.1f}" cy="{y:.1f}" r="5" class="{cls}">'
            f"<title>adopted {lane.adopted}</title></circle>"
        )
        parts.append(shape)
    if lane.effective and not lane.proposed:
        parts.append(
            f'<circle cx="{x(lane.effective):.1f}" cy="{y:.1f}" r="6" class="in-force">'
            f"<title>in force from {lane.effective}</title></circle>"
        )
    if lane.repealed:
        parts.append(
            f'<text x="{x(lane.repealed) - 5:.1f}" y="{y + 5:.1f}" class="repealed-mark">×'
            f"<title>no longer in force from {lane.repealed}</title></text>"
        )
    parts.append("</g>")
    return "".join(parts)


def timeline_for(store: Store, iri: str) -> Markup:
    """The timeline an entity page shows: a jurisdiction's instruments, a technology
    kind's, or those of an arrangement's parties on what it agreed; else nothing."""
    try:
        if iri.startswith(ID + "jurisdiction/"):
            return timeline_svg(lanes(store, jurisdiction=iri), title="Instruments of this jurisdiction over time")
        if iri.startswith(QH):
            if iri not in technologies(store):
                return Markup("")  # a class or property that is no kind of technology has no timeline
            found = lanes(store, technology=iri)
            return (
                timeline_svg(found, title="Instruments on this kind of technology over time") if found else Markup("")
            )
        if iri.startswith(ID + "arrangement/"):
            treaty = next((t for t in treaty_index(store).treaties if t.iri == iri), None)
            if treaty is None or not treaty.agreed:
                return Markup("")
            found = {lane.iri: lane for tech in treaty.agreed for lane in lanes(store, technology=tech)}
            mine = [lane for lane in found.values() if lane.code in treaty.parties or lane.code == "EU"]
            return timeline_svg(mine, title="How the parties implemented what it agreed, over time")
    except StoreError:
        return Markup("")
    return Markup("")
