"""Jurisdictions beyond ISO 3166: states pycountry does not know (a new state, or a
fictional test regime such as "the Republic of Ruritania"), found in the texts or
given by the user in a jurisdictions file.

Each gets a code from the ISO 3166 user-assigned range (``XA`` .. ``XZ``, then
``QM`` .. ``QZ``), derived from its name: ``X`` and the first letter of its short
name when that is free, else the next letters of the name, else the first free code
in a fixed order. Names are processed in sorted order, so the same texts always give
the same codes. ``XK`` is left out: it is widely used for Kosovo.
"""

from __future__ import annotations

import csv
import io
import re
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .linking import country_code
from .records import Entity, Extraction, Relation

#: Words that make "<Word> of <Name>" the formal name of a state.
STATE_FORMS = (
    "Federated States",
    "United States",
    "Federal Democratic Republic",
    "Democratic Republic",
    "Federal Republic",
    "People's Republic",
    "Islamic Republic",
    "United Republic",
    "Republic",
    "Kingdom",
    "United Kingdom",
    "Principality",
    "Grand Duchy",
    "Duchy",
    "Federation",
    "United Provinces",
    "Commonwealth",
    "Confederation",
    "Sultanate",
    "Emirate",
    "State",
    "Free State",
    "Isles",
    "Islands",
)
_FORMAL = re.compile(
    r"\b(?:[Tt]he )?(?P<form>" + "|".join(re.escape(f) for f in STATE_FORMS) + r") of "
    r"(?P<name>[A-Z][a-z]{3,}(?:[ -][A-Z][a-z]{3,})?)\b"
)
#: the same in a heading set in capitals: "KINGDOM OF FREEDONIA"
_FORMAL_CAPS = re.compile(
    r"\b(?P<form>"
    + "|".join(re.escape(f.upper()) for f in STATE_FORMS)
    + r") OF (?P<name>[A-Z]{4,}(?:[ -][A-Z]{4,})?)\b"
)
#: Capitalised words that follow "State of" or "Republic of" without naming a state.
_NOT_NAMES = {"Emergency", "Affairs", "Play", "Law", "Science", "Technology", "Origin", "Export", "Defence"}
_NOT_CAPS = {n.upper() for n in _NOT_NAMES} | {"THE", "AMERICA"}
RESERVED = {"XK"}
#: the ISO 3166-1 user-assigned alpha-2 codes, all of them (XK is Kosovo's by wide use): 41
USER_ASSIGNED = [f"X{c}" for c in "ABCDEFGHIJLMNOPQRSTUVWXYZ"] + [f"Q{c}" for c in "MNOPQRSTUVWXYZ"] + ["AA", "ZZ"]


class JurisdictionsFileError(ValueError):
    """A jurisdictions file that cannot be used; the message names the file and line."""


@dataclass
class Jurisdiction:
    """A jurisdiction known by a code that pycountry does not give."""

    code: str
    name: str
    aliases: list[str] = field(default_factory=list)
    #: codes of unions or groups this jurisdiction belongs to
    memberships: list[str] = field(default_factory=list)
    #: where it came from: the line of a user file, or "text"
    origin: str = "text"

    def names(self) -> list[str]:
        return [self.name, *[a for a in self.aliases if a != self.name]]


def adjective(short: str) -> str | None:
    """The demonym legal texts would use for an invented state: Ruritania ->
    Ruritanian. Only the -ia/-a forms are predictable enough to derive."""
    if short.endswith("a"):
        return short + "n"
    return None


def assign_code(name: str, taken: set[str]) -> str:
    """A free user-assigned code for a state name, preferring its letters."""
    letters = [c for c in name.upper() if "A" <= c <= "Z"]
    for c in letters:
        code = f"X{c}"
        if code not in taken and code not in RESERVED:
            return code
    for code in USER_ASSIGNED:
        if code not in taken:
            return code
    raise JurisdictionsFileError(f"no user-assigned ISO code left for '{name}'")


def _formal_matches(text: str) -> list[re.Match[str]]:
    """``_FORMAL`` then ``_FORMAL_CAPS`` matches, in text order. Neither spans a line, so
    only the lines with their " of " are searched (on the real CCL, a tenth of the text)."""
    lines = text.split("\n")
    return [m for word, rx in ((" of ", _FORMAL), (" OF ", _FORMAL_CAPS)) for line in lines if word in line
            for m in rx.finditer(line)]  # fmt: skip


def formal_names(text: str) -> list[tuple[str, str]]:
    """The states one text names formally, as (short name, full name) in the order
    they appear, bar those pycountry knows: what ``discover`` merges across texts.
    Kept per document by the build cache, so an addition need not read every text."""
    out: list[tuple[str, str]] = []
    for m in _formal_matches(text):
        short, form = m.group("name"), m.group("form")
        if short.isupper():
            short, form = short.title(), form.title().replace("'S", "'s")
        full = f"{form} of {short}"
        if short in _NOT_NAMES or short.upper() in _NOT_CAPS or country_code(short) or country_code(full):
            continue
        out.append((short, full))
    return out


def discover_from(
    named: Iterable[Iterable[tuple[str, str]]], known: list[Jurisdiction] | None = None
) -> list[Jurisdiction]:
    """``discover`` from each text's ``formal_names``, the texts in build order."""
    known = list(known or [])
    by_name = {n.lower(): j for j in known for n in j.names()}
    found: dict[str, str] = {}
    for names in named:
        for short, full in names:
            if short.lower() in by_name or full.lower() in by_name:
                continue
            found.setdefault(short, full)
    taken = {j.code for j in known}
    new = []
    for short in sorted(found):
        code = assign_code(short, taken)
        taken.add(code)
        aliases = [short, *filter(None, [adjective(short)])]
        new.append(Jurisdiction(code, found[short], aliases))
    return new


def discover(texts: Iterable[str], known: list[Jurisdiction] | None = None) -> list[Jurisdiction]:
    """States the texts name formally ("the Republic of Ruritania") that neither
    pycountry nor the given list knows, each with a code and its names as aliases."""
    return discover_from((formal_names(t) for t in texts), known)


def load_jurisdictions(path: str | Path) -> list[Jurisdiction]:
    """A user's jurisdictions file: CSV (columns code, name, aliases, memberships;
    lists separated by ';') or TOML (``[[jurisdiction]]`` tables with the same keys)."""
    path = Path(path)
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise JurisdictionsFileError(f"{path}: cannot read the file ({exc.strerror or exc})") from exc
    if path.suffix.lower() == ".toml":
        rows = _toml_rows(path, raw)
    elif path.suffix.lower() == ".csv":
        rows = _csv_rows(path, raw)
    else:
        raise JurisdictionsFileError(f"{path}: a jurisdictions file is .csv or .toml, not '{path.suffix}'")
    out: list[Jurisdiction] = []
    seen: dict[str, str] = {}
    for where, row in rows:
        out.append(_check_row(path, where, row, seen))
    return out


def _toml_rows(path: Path, raw: str) -> list[tuple[str, dict]]:
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        raise JurisdictionsFileError(f"{path}: not valid TOML ({exc})") from exc
    tables = data.get("jurisdiction")
    if not isinstance(tables, list):
        raise JurisdictionsFileError(f"{path}: expected [[jurisdiction]] tables with code and name")
    return [(f"jurisdiction #{i}", t) for i, t in enumerate(tables, start=1)]


def _csv_rows(path: Path, raw: str) -> list[tuple[str, dict]]:
    reader = csv.DictReader(io.StringIO(raw))
    missing = {"code", "name"} - {c.strip().lower() for c in reader.fieldnames or []}
    if missing:
        raise JurisdictionsFileError(f"{path}: line 1: missing column(s) {', '.join(sorted(missing))}")
    rows = []
    for row in reader:
        clean = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
        for key in ("aliases", "memberships"):
            clean[key] = [p.strip() for p in clean.get(key, "").split(";") if p.strip()]
        rows.append((f"line {reader.line_num}", clean))
    return rows


def _check_row(path: Path, where: str, row: dict, seen: dict[str, str]) -> Jurisdiction:
    code, name = str(row.get("code", "")).strip(), str(row.get("name", "")).strip()
    if not re.fullmatch(r"[A-Z]{2}", code):
        raise JurisdictionsFileError(f"{path}: {where}: code '{code}' is not two capital letters (e.g. XR)")
    if not name:
        raise JurisdictionsFileError(f"{path}: {where}: jurisdiction {code} has no name")
    if code in seen:
        raise JurisdictionsFileError(f"{path}: {where}: code {code} already given at {seen[code]}")
    seen[code] = where
    aliases, members = row.get("aliases", []), row.get("memberships", [])
    if not isinstance(aliases, list) or not isinstance(members, list):
        raise JurisdictionsFileError(f"{path}: {where}: aliases and memberships must be lists")
    for other in members:
        if not re.fullmatch(r"[A-Z]{2}", str(other)):
            raise JurisdictionsFileError(f"{path}: {where}: membership '{other}' is not a two-letter code")
    return Jurisdiction(code, name, [str(a) for a in aliases], [str(m) for m in members], f"{path.name} {where}")


_ARRANGEMENT = re.compile(
    r"\b(?:[Tt]he\s+)?(?P<name>(?:[A-Z][a-z]+\s+){1,4}(?:Arrangement|Accord|Agreement|Treaty|Convention|Pact|Alliance))\b"
)
_NOT_ARRANGEMENT_LEAD = {"The", "This", "That", "An", "A", "Such", "Any", "Each", "Licence", "License"}


#: the last word of every ``_ARRANGEMENT``, and the characters one can hold (its words and
#: the spaces between them): a match lies inside one run of these around its last word
_ARRANGEMENT_WORD = re.compile(r"(?:Arrangement|Accord|Agreement|Treaty|Convention|Pact|Alliance)\b")
_IN_ARRANGEMENT = re.compile(r"[A-Za-z\s]")
_OUT_OF_ARRANGEMENT = re.compile(r"[^A-Za-z\s]")


def _arrangement_matches(text: str) -> Iterator[re.Match[str]]:
    """``_ARRANGEMENT.finditer(text)``, searched only in the runs of letters and spaces
    around its last words (on the real CCL, 9 of them in 870 KB): the whole text took
    a tenth of a second. ``pos`` keeps the character before it for ``\\b``; ``endpos``
    is one past the run, so that the character after it is seen too."""
    done = 0
    for word in _ARRANGEMENT_WORD.finditer(text):
        if word.start() < done:
            continue
        start = word.start()
        while start > done and _IN_ARRANGEMENT.match(text, start - 1):
            start -= 1
        after = _OUT_OF_ARRANGEMENT.search(text, word.end())
        done = after.start() if after else len(text)
        yield from _ARRANGEMENT.finditer(text, start, min(done + 1, len(text)))


def arrangement_names(text: str) -> list[str]:
    """The arrangements one text names ("the Northern Quantum Accord"), in order:
    what ``discover_arrangements`` merges across texts."""
    out: list[str] = []
    for m in _arrangement_matches(text):
        words = m.group("name").split()
        while words and words[0] in _NOT_ARRANGEMENT_LEAD:
            words.pop(0)
        if len(words) >= 2:
            out.append(" ".join(words))
    return out


def arrangements_from(named: Iterable[Iterable[str]], known: Iterable[str] = ()) -> dict[str, str]:
    """``discover_arrangements`` from each text's ``arrangement_names``."""
    from qharmony.ontology.namespaces import slug

    known_lower = {k.lower() for k in known}
    found: dict[str, str] = {}
    for names in named:
        for name in names:
            low = name.lower()
            if any(k in low or low in k for k in known_lower):
                continue
            found.setdefault(name, slug(name).lower())
    # "Quantum Accord" is only the tail of "Northern Quantum Accord"
    return {n: s for n, s in found.items() if not any(o != n and o.endswith(" " + n) for o in found)}


def discover_arrangements(texts: Iterable[str], known: Iterable[str] = ()) -> dict[str, str]:
    """Arrangements the texts name that the built-in list does not ("the Northern
    Quantum Accord"): name -> slug."""
    return arrangements_from((arrangement_names(t) for t in texts), known)


@dataclass
class Registry:
    """The jurisdictions one build knows beyond pycountry: the user's, then those
    discovered in its texts; and arrangements its texts name beyond the built-in list."""

    extra: list[Jurisdiction] = field(default_factory=list)
    arrangements: dict[str, str] = field(default_factory=dict)

    def names(self) -> dict[str, str]:
        """Every name and alias, mapped to its code."""
        return {n: j.code for j in self.extra for n in j.names()}

    def get(self, code: str) -> Jurisdiction | None:
        return next((j for j in self.extra if j.code == code), None)

    def code(self, name: str) -> str | None:
        """The code for a name: ours first, then pycountry's."""
        clean = name.strip().removeprefix("the ").removeprefix("The ")
        for n, code in self.names().items():
            if n.lower() == clean.lower():
                return code
        return country_code(clean)


def registry_for(texts: Iterable[str], user: list[Jurisdiction] | None = None) -> Registry:
    """The registry of a build: the user's jurisdictions, and states its texts name."""
    texts = list(texts)
    return registry_from([formal_names(t) for t in texts], [arrangement_names(t) for t in texts], user)


def registry_from(
    states: Iterable[Iterable[tuple[str, str]]], arrangements: Iterable[Iterable[str]], user: list[Jurisdiction] | None
) -> Registry:
    """``registry_for`` from each text's ``formal_names`` and ``arrangement_names``
    (the texts in build order), as the build cache keeps them per document."""
    from .patterns import ARRANGEMENTS

    user = list(user or [])
    known = [n for names in ARRANGEMENTS.values() for n in names]
    return Registry([*user, *discover_from(states, user)], arrangements_from(arrangements, known))


def label_jurisdictions(out: Extraction, registry: Registry) -> None:
    """Give each mention of a registry jurisdiction its name and aliases, so the
    graph labels it as the text does."""
    for e in out.entities:
        if e.type == "Jurisdiction":
            known = registry.get(e.id)
            if known:
                e.attributes.setdefault("label", known.name)
                e.attributes.setdefault("aliases", known.aliases)


def reference_extraction(jurisdictions: list[Jurisdiction], name: str = "jurisdictions") -> Extraction:
    """The user's jurisdictions file as a source document of its own: each
    jurisdiction and each membership it states, with the line it was read from."""
    lines, out = [], Extraction(name, "")
    offset = 0
    spans = []
    for j in jurisdictions:
        line = f"{j.code}: {j.name}"
        if j.aliases:
            line += f" (also {', '.join(j.aliases)})"
        if j.memberships:
            line += f"; member of {', '.join(j.memberships)}"
        spans.append((offset, offset + len(line)))
        lines.append(line)
        offset += len(line) + 1
    out.text = "\n".join(lines) + "\n"
    out.title = "Jurisdictions given by the user"
    for j, (s, e) in zip(jurisdictions, spans, strict=True):
        out.entities.append(
            Entity(
                "Jurisdiction",
                j.code,
                out.text[s:e],
                s,
                e,
                1.0,
                "user.jurisdictions",
                {"label": j.name, "aliases": j.aliases},
            )
        )
        for other in j.memberships:
            out.entities.append(Entity("Jurisdiction", other, other, s, e, 1.0, "user.jurisdictions"))
            out.relations.append(
                Relation("member_of", j.code, "Jurisdiction", other, "Jurisdiction", s, e, 1.0, "user.jurisdictions")
            )
    return out
