"""Thresholds as regions of parameter space, and what one side catches that the
other does not.

Each entry is a box: for every parameter it constrains, an interval (a missing
parameter is unconstrained). A side is the union of its boxes. Comparing two sides
splits every parameter at every boundary either side uses, tests one point per cell,
and merges the cells that only one side catches into readable bands.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

MAX_CELLS = 200_000


@dataclass(frozen=True)
class Interval:
    lo: float = -math.inf
    hi: float = math.inf
    lo_closed: bool = False
    hi_closed: bool = False

    def contains(self, x: float) -> bool:
        above = x > self.lo or (self.lo_closed and x == self.lo)
        below = x < self.hi or (self.hi_closed and x == self.hi)
        return above and below

    def meet(self, other: Interval) -> Interval:
        lo, lo_c = max((self.lo, not self.lo_closed), (other.lo, not other.lo_closed))
        hi, hi_c = min((self.hi, self.hi_closed), (other.hi, other.hi_closed))
        return Interval(lo, hi, not lo_c, hi_c)

    @property
    def full(self) -> bool:
        return self.lo == -math.inf and self.hi == math.inf

    def describe(self, name: str) -> str:
        def num(x: float) -> str:
            return f"{x:g}"

        if self.lo == self.hi:
            return f"{name} = {num(self.lo)}"
        lo = f"{num(self.lo)} {'<=' if self.lo_closed else '<'} " if self.lo != -math.inf else ""
        hi = f" {'<=' if self.hi_closed else '<'} {num(self.hi)}" if self.hi != math.inf else ""
        if lo and not hi:
            return f"{name} {'>=' if self.lo_closed else '>'} {num(self.lo)}"
        return f"{lo}{name}{hi}"


_OPS = {
    ">=": lambda v: Interval(lo=v, lo_closed=True),
    ">": lambda v: Interval(lo=v),
    "<=": lambda v: Interval(hi=v, hi_closed=True),
    "<": lambda v: Interval(hi=v),
    "=": lambda v: Interval(v, v, True, True),
}


@dataclass
class Box:
    """What one entry catches: an interval per constrained parameter."""

    entry: str
    limits: dict[str, Interval] = field(default_factory=dict)
    #: parameters the text names without a limit: the box is then not exact
    unstated: set[str] = field(default_factory=set)

    @property
    def exact(self) -> bool:
        return not self.unstated

    def add(self, parameter: str, comparator: str, value: float) -> None:
        new = _OPS[comparator](value)
        self.limits[parameter] = self.limits.get(parameter, Interval()).meet(new)

    def contains(self, point: dict[str, float]) -> bool:
        return all(iv.contains(point[p]) for p, iv in self.limits.items())


def _cells(points: Iterable[float]) -> list[Interval]:
    """The line cut at every point: open gaps and the points themselves."""
    pts = sorted(set(points))
    cells, lo = [], -math.inf
    for p in pts:
        cells.append(Interval(lo, p))
        cells.append(Interval(p, p, True, True))
        lo = p
    cells.append(Interval(lo, math.inf))
    return cells


def _sample(cell: Interval) -> float:
    if cell.lo == cell.hi:
        return cell.lo
    if cell.lo == -math.inf:
        return cell.hi - 1 if cell.hi != math.inf else 0.0
    if cell.hi == math.inf:
        return cell.lo * 2 + 1
    return (cell.lo + cell.hi) / 2


@dataclass
class Band:
    """A region caught by one side only, as intervals per parameter."""

    limits: dict[str, Interval]

    def describe(self) -> str:
        parts = [iv.describe(p) for p, iv in sorted(self.limits.items()) if not iv.full]
        return ", ".join(parts) or "every item of this kind"


@dataclass
class Comparison:
    a_only: list[Band]
    b_only: list[Band]
    parameters: list[str]

    @property
    def verdict(self) -> str:
        if self.a_only and not self.b_only:
            return "a catches more"
        if self.b_only and not self.a_only:
            return "b catches more"
        if self.a_only and self.b_only:
            return "each catches items the other does not"
        return "same scope"


def _merge(cells: list[tuple[int, ...]], grids: list[list[Interval]]) -> list[Band]:
    """Join cells that differ in one coordinate and touch, until none do."""
    regions = [tuple((i, i) for i in cell) for cell in cells]
    changed = True
    while changed:
        changed = False
        for dim in range(len(grids)):
            regions.sort(key=lambda r: (tuple(x for k, x in enumerate(r) if k != dim), r[dim]))
            merged: list[tuple] = []
            for region in regions:
                last = merged[-1] if merged else None
                if (
                    last
                    and all(last[k] == region[k] for k in range(len(region)) if k != dim)
                    and last[dim][1] + 1 == region[dim][0]
                ):
                    merged[-1] = tuple((last[k][0], region[k][1]) if k == dim else last[k] for k in range(len(region)))
                    changed = True
                else:
                    merged.append(region)
            regions = merged
    bands = []
    for region in regions:
        limits = {}
        for dim, (i, j) in enumerate(region):
            first, last = grids[dim][i], grids[dim][j]
            limits[dim] = Interval(first.lo, last.hi, first.lo_closed, last.hi_closed)
        bands.append(limits)
    return bands  # type: ignore[return-value]


def _distinct(boxes: Sequence[Box]) -> list[Box]:
    """Lists repeat the same band in many entries; one box per region is enough."""
    seen: dict[tuple, Box] = {}
    for box in boxes:
        seen.setdefault(tuple(sorted(box.limits.items(), key=lambda kv: kv[0])), box)
    return list(seen.values())


def compare(a: Sequence[Box], b: Sequence[Box]) -> Comparison:
    """Where the union of ``a`` and the union of ``b`` differ."""
    a, b = _distinct(a), _distinct(b)
    params = sorted({p for box in (*a, *b) for p in box.limits})
    grids = []
    for p in params:
        pts = [
            x for box in (*a, *b) if p in box.limits for x in (box.limits[p].lo, box.limits[p].hi) if math.isfinite(x)
        ]
        grids.append(_cells(pts))
    if math.prod(len(g) for g in grids) > MAX_CELLS:
        raise ValueError("too many threshold boundaries to compare exactly")
    a_cells, b_cells = [], []
    for idx in itertools.product(*(range(len(g)) for g in grids)):
        point = {p: _sample(grids[d][i]) for d, (p, i) in enumerate(zip(params, idx, strict=True))}
        in_a = any(box.contains(point) for box in a)
        in_b = any(box.contains(point) for box in b)
        if in_a and not in_b:
            a_cells.append(idx)
        elif in_b and not in_a:
            b_cells.append(idx)

    def bands(cells):
        return [Band({params[d]: iv for d, iv in region.items()}) for region in _merge(cells, grids)]

    return Comparison(bands(a_cells), bands(b_cells), params)
