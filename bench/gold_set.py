"""The gold passages of bench/gold/: reading the annotation files, fetching the text of
passages that point into ../shared/corpus, and turning mentions into character spans.

A passage file (``*.gold``) is a few ``key: value`` header lines, then either the text
(after ``--- text``) or a pointer into a file of ../shared/corpus (``source:``; the
file's first ``prefix-lines:``, then the lines from the one holding ``from:`` up to
``to:``, and optionally ``from.2:``/``to.2:``), then the annotations (after ``--- annotations``), one per line:

    E <Type> <id> | <mention> [#n]     an entity; the mention (its n-th occurrence) gives its span
    E <Type> <id>                      an entity the text implies without naming it
    R <relation> <head> <tail>         a relation stated by the text
    C <relation> <head> <tail>         a claim: the text reports or hedges it
    O E ... / O R ...                  optional: knowledge the text implies (neither required
                                       nor an error when extracted)
    A <id> = <other id>                another spelling of the same id, accepted as it

Real regulation text is never copied here: ``source:`` passages are read from
../shared at run time, and skipped, with a message, when it is absent or changed.
See bench/gold/README.md for what each type means.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

GOLD_DIR = Path(__file__).parent / "gold"
SHARED_CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
SETS = ("dev", "heldout")


class GoldError(ValueError):
    """A gold file that cannot be read; the message names the file and line."""


@dataclass(frozen=True)
class GoldEntity:
    type: str
    id: str
    span: tuple[int, int] | None


@dataclass(frozen=True)
class GoldRelation:
    type: str
    head: str
    tail: str
    claim: bool = False


@dataclass
class Passage:
    id: str
    genre: str
    set: str
    path: Path
    format: str = "md"
    text: str = ""
    source: str = ""
    entities: list[GoldEntity] = field(default_factory=list)
    relations: list[GoldRelation] = field(default_factory=list)
    aliases: dict[str, str] = field(default_factory=dict)
    optional_entities: list[GoldEntity] = field(default_factory=list)
    optional_relations: list[GoldRelation] = field(default_factory=list)
    skipped: str = ""


def threshold_key(parameter: str, op: str, value: float | str, unit: str, condition_of: str = "") -> str:
    """One spelling per threshold: the value in the normalised unit, nine significant digits,
    and ``@ parameter`` when it is a condition of another figure (a noise figure rated at 1 K)."""
    key = f"{parameter} {op} {float(value):.9g} {unit}"
    return f"{key} @ {condition_of}" if condition_of else key


def normalise_threshold(text: str) -> str:
    parts = text.split()
    if len(parts) == 6 and parts[4] == "@":
        return threshold_key(*parts[:4], condition_of=parts[5])
    if len(parts) != 4:
        raise ValueError(f"a threshold is 'parameter op value unit [@ parameter]', not {text!r}")
    return threshold_key(*parts)


_CFR_PART = re.compile(r"\bcfr-parts?-")
_EXCEPTION = re.compile(r":licen[cs]e-exception-")


def norm_id(type_: str, ident: str) -> str:
    """Ids compare without regard to case, to the separators of a citation slug, to the
    word "part" in a CFR citation ("15 CFR part 774" is "15 CFR 774") or to the words
    "License Exception" before an exception's name ("US:STA" is "US:License-Exception-STA")."""
    if type_ == "Threshold":
        return normalise_threshold(ident)
    flat = re.sub(r"[\s_\-/]+", "-", ident.strip()).casefold()
    return _EXCEPTION.sub(":", _CFR_PART.sub("cfr-", flat))


def _passage_text(header: dict[str, str], corpus: Path) -> tuple[str, str]:
    """The text of a passage that points into ../shared/corpus, or why it is skipped."""
    file = corpus / header["source"]
    if not file.is_file():
        return "", f"{file} is absent"
    full = file.read_text(encoding="utf-8")
    lines = full.splitlines(keepends=True)
    prefix = "".join(lines[: int(header.get("prefix-lines", "0"))])
    pieces = []
    for suffix in ("", ".2", ".3"):
        if "from" + suffix not in header:
            continue
        anchor = header["from" + suffix]
        start = full.find(anchor)
        if start < 0:
            return "", f"anchor {anchor!r} not found in {file.name}"
        start = full.rfind("\n", 0, start) + 1
        stop = header.get("to" + suffix)
        end = full.find(stop, start + 1) if stop else len(full)
        if end < 0:
            return "", f"anchor {stop!r} not found in {file.name}"
        pieces.append(full[start:end])
    text = prefix + "".join(pieces)
    digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]
    if header.get("sha1") and header["sha1"] != digest:
        return "", f"{file.name} changed under the anchors (sha1 {digest}, annotated {header['sha1']})"
    return text, ""


_MENTION = re.compile(r"^(?P<mention>.*?)(?:\s+#(?P<n>\d+))?$")


def _span(text: str, mention: str, where: str) -> tuple[int, int]:
    m = _MENTION.match(mention.strip())
    needle, n = m.group("mention"), int(m.group("n") or 1)
    start = -1
    for _ in range(n):
        start = text.find(needle, start + 1)
        if start < 0:
            raise GoldError(f"{where}: mention {needle!r} (occurrence {n}) is not in the passage text")
    return start, start + len(needle)


def _annotation(p: Passage, line: str, where: str, text: str | None) -> None:
    kind, _, rest = line.partition(" ")
    if kind == "O":
        required = (list(p.entities), list(p.relations))
        _annotation(p, rest, where, text)
        p.optional_entities += [e for e in p.entities if e not in required[0]]
        p.optional_relations += [r for r in p.relations if r not in required[1]]
        p.entities[:], p.relations[:] = required
        return
    if kind == "E":
        spec, bar, mention = rest.partition("|")
        type_, _, ident = spec.strip().partition(" ")
        ident = ident.strip()
        if type_ == "Threshold":
            ident = normalise_threshold(ident)
        span = _span(text, mention, where) if bar and text is not None else None
        p.entities.append(GoldEntity(type_, ident, span))
    elif kind in ("R", "C"):
        parts = rest.split()
        if len(parts) < 3:
            raise GoldError(f"{where}: a relation is 'R type head tail'")
        type_, head, tail = parts[0], parts[1], " ".join(parts[2:])
        if type_ == "has_threshold":
            tail = normalise_threshold(tail)
        p.relations.append(GoldRelation(type_, head, tail, kind == "C"))
    elif kind == "A":
        canonical, _, other = rest.partition("=")
        p.aliases[other.strip()] = canonical.strip()
    else:
        raise GoldError(f"{where}: unknown annotation {kind!r} (E, R, C or A)")


def read_passage(path: Path, set_name: str, corpus: Path = SHARED_CORPUS) -> Passage:
    raw = path.read_text(encoding="utf-8")
    head, sep, rest = raw.partition("\n--- ")
    if not sep:
        raise GoldError(f"{path}: no '--- text' or '--- annotations' section")
    header = {}
    for n, line in enumerate(head.splitlines(), 1):
        if line.strip():
            key, colon, value = line.partition(":")
            if not colon:
                raise GoldError(f"{path}:{n}: header lines are 'key: value'")
            header[key.strip()] = value.strip()
    for key in ("id", "genre"):
        if key not in header:
            raise GoldError(f"{path}: header has no {key!r}")
    p = Passage(
        header["id"], header["genre"], set_name, path, header.get("format", "md"), source=header.get("source", "")
    )
    section, _, rest = rest.partition("\n")
    if section.strip() == "text":
        body, sep, annotations = rest.partition("\n--- annotations\n")
        if not sep:
            raise GoldError(f"{path}: no '--- annotations' section after the text")
        p.text = body
    elif section.strip() == "annotations":
        annotations = rest
        p.text, p.skipped = _passage_text(header, corpus) if p.source else ("", "no text")
    else:
        raise GoldError(f"{path}: unknown section {section!r}")
    offset = raw.count("\n", 0, len(raw) - len(annotations)) + 1
    for n, line in enumerate(annotations.splitlines(), offset):
        line = line.strip()
        if line and not line.startswith("#"):
            try:
                _annotation(p, line, f"{path}:{n}", None if p.skipped else p.text)
            except ValueError as exc:
                raise GoldError(f"{path}:{n}: {exc}") from exc
    return p


def load_set(name: str, corpus: Path = SHARED_CORPUS) -> list[Passage]:
    """Every passage of one set, in file-name order."""
    return [read_passage(path, name, corpus) for path in sorted((GOLD_DIR / name).glob("*.gold"))]


def main() -> None:
    """Check that every passage reads; print the sha1 of each passage read from ../shared."""
    for name in SETS:
        for p in load_set(name):
            state = p.skipped or f"{len(p.entities)} entities, {len(p.relations)} relations"
            digest = f" sha1 {hashlib.sha1(p.text.encode()).hexdigest()[:12]}" if p.source and p.text else ""
            print(f"{name:8} {p.id:34} {p.genre:16} {state}{digest}")


if __name__ == "__main__":
    main()
