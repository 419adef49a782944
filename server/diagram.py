"""A small neighbourhood diagram of an entity, drawn as SVG on the server: the
entity in the middle, its related entities around it, edges labelled by relation.
No script and no external resources, so it works offline and in print."""

from __future__ import annotations

import math

from markupsafe import Markup, escape

from qharmony.ontology.namespaces import ID

MAX_NEIGHBOURS = 12
_SKIP = (
    "#label",
    "#type",
    "#notation",
    "#sentence",
    "#text",
    "#value",
    "#comparator",
    "#parameter",
    "#isoCode",
    "#confidence",
)


def _short(text: str, n: int = 26) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def neighbourhood_svg(page, link) -> Markup:
    """SVG markup for an entity page; ``link`` maps an IRI to a safe page URL, or to
    "#" when the IRI must not become a link (a ``javascript:`` IRI, say)."""
    edges = []
    for direction, statements in (("out", page.outgoing), ("in", page.incoming)):
        for st in statements:
            value = st.value
            if value.get("type") != "uri" or st.predicate.endswith(_SKIP):
                continue
            edges.append((direction, st.predicate_label, value["value"], st.value_label, st.inferred))
    seen, picked = set(), []
    for edge in edges:
        if edge[2] not in seen:
            seen.add(edge[2])
            picked.append(edge)
    picked = picked[:MAX_NEIGHBOURS]
    width, height, cx, cy, radius = 720, 420, 360, 210, 160
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{escape("Neighbourhood of " + page.label)}" class="diagram">'
    ]
    for i, (direction, rel, iri, label, inferred) in enumerate(picked):
        angle = 2 * math.pi * i / max(1, len(picked)) - math.pi / 2
        x, y = cx + radius * 1.45 * math.cos(angle), cy + radius * math.sin(angle)
        dash = ' stroke-dasharray="5 4"' if inferred else ""
        parts.append(f'<line x1="{cx}" y1="{cy}" x2="{x:.0f}" y2="{y:.0f}" stroke="#8a94a6"{dash}/>')
        mx, my = (cx + x) / 2, (cy + y) / 2
        arrow = "→" if direction == "out" else "←"
        parts.append(
            f'<text x="{mx:.0f}" y="{my:.0f}" font-size="10" fill="#555" '
            f'text-anchor="middle">{escape(_short(rel, 22))} {arrow}</text>'
        )
        href = link(iri)  # a safe link (see security.safe_href), or "#" for none
        own = iri.startswith(ID)
        node = (
            f'<rect x="{x - 78:.0f}" y="{y - 13:.0f}" width="156" '
            f'height="26" rx="6" fill="{"#eef3fb" if own else "#f6f6f6"}" '
            f'stroke="#9fb3d1"/><text x="{x:.0f}" y="{y + 4:.0f}" font-size="11" '
            f'text-anchor="middle">{escape(_short(label))}</text>'
        )
        parts.append(f'<a href="{escape(href)}">{node}</a>' if href != "#" else f"<g>{node}</g>")
    parts.append(
        f'<rect x="{cx - 110}" y="{cy - 17}" width="220" height="34" rx="8" '
        f'fill="#1f4e8c"/><text x="{cx}" y="{cy + 5}" font-size="13" fill="#fff" '
        f'text-anchor="middle">{escape(_short(page.label, 32))}</text>'
    )
    parts.append("</svg>")
    return Markup("".join(parts))
