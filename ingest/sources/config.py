"""The sources file: a TOML list of what to follow (a CFR part, a Federal Register
document, a UK SI, an EU act), each with the jurisdiction it belongs to.

Read with ``tomllib``; written by a small writer of our own, because the file only
ever holds a list of flat tables of strings and whole numbers.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .errors import SourceError

#: each kind of source: the fields it needs, and the jurisdiction it belongs to by default
KINDS: dict[str, tuple[tuple[str, ...], str]] = {
    "ecfr": (("title", "part"), "US"),
    "fr": (("document",), "US"),
    "uksi": (("year", "number"), "GB"),
    "eurlex": (("celex",), "EU"),
}
_OPTIONAL = {"ecfr": ("section",), "uksi": ("version",)}
#: legislation.gov.uk versions: as made, or the revised text in force on a date
_UK_VERSION = re.compile(r"^(?:made|\d{4}-\d{2}-\d{2})$")
_CELEX = re.compile(r"^[0-9][0-9]{4}[A-Z]{1,2}[0-9]{1,5}$")
_FR_DOC = re.compile(r"^[0-9]{4}-[0-9]{3,6}$|^[A-Z][0-9]-[0-9]+$|^[0-9]{2}-[0-9]+$")


@dataclass(frozen=True)
class Source:
    """One thing to follow: its kind, its identifying fields and its jurisdiction."""

    kind: str
    fields: dict[str, str] = field(default_factory=dict)
    jurisdiction: str = ""

    @property
    def id(self) -> str:
        """A stable name such as ``ecfr-15-740`` or ``uksi-2024-346``: the key the
        cache and ``sources remove`` use, and the stem of each version's document."""
        required, _ = KINDS[self.kind]
        parts = [self.fields[k] for k in required] + [
            self.fields[k] for k in _OPTIONAL.get(self.kind, ()) if k in self.fields
        ]
        return "-".join([self.kind, *(p.replace("/", "-") for p in parts)]).lower()


def make_source(kind: str, jurisdiction: str | None = None, **values: object) -> Source:
    """A checked source: a clear error names the field that is missing or malformed."""
    if kind not in KINDS:
        raise SourceError(f"unknown source kind {kind!r}; known: {', '.join(KINDS)}")
    required, default_jurisdiction = KINDS[kind]
    fields: dict[str, str] = {}
    for key in (*required, *_OPTIONAL.get(kind, ())):
        value = values.get(key)
        if value in (None, ""):
            if key in required:
                raise SourceError(f"a {kind} source needs {key}")
            continue
        fields[key] = str(value).strip()
    if kind == "ecfr":
        if not fields["title"].isdigit():
            raise SourceError(f"ecfr title must be a number, got {fields['title']!r}")
        if not re.fullmatch(r"[0-9]+[A-Z]?", fields["part"]):
            raise SourceError(f"ecfr part must be a part number such as 740, got {fields['part']!r}")
        if "section" in fields and not fields["section"].startswith(fields["part"] + "."):
            raise SourceError(f"ecfr section {fields['section']!r} is not in part {fields['part']}")
    if kind == "uksi" and not (fields["year"].isdigit() and fields["number"].isdigit()):
        raise SourceError(f"a UK SI is year/number, such as 2024/346; got {fields['year']}/{fields['number']}")
    if kind == "uksi" and "version" in fields and not _UK_VERSION.match(fields["version"]):
        raise SourceError(
            f"a UK SI version is 'made' or a date such as 2024-04-01 (the text in force then), "
            f"got {fields['version']!r}"
        )
    if kind == "eurlex" and not _CELEX.match(fields["celex"].upper()):
        raise SourceError(f"not a CELEX number: {fields['celex']!r} (such as 32025R2003)")
    if kind == "eurlex":
        fields["celex"] = fields["celex"].upper()
    if kind == "fr" and not _FR_DOC.match(fields["document"]):
        raise SourceError(f"not a Federal Register document number: {fields['document']!r} (such as 2024-19633)")
    code = (jurisdiction or default_jurisdiction).strip().upper()
    if not re.fullmatch(r"[A-Z]{2,3}", code):
        raise SourceError(f"jurisdiction must be a code such as US, GB or EU, got {jurisdiction!r}")
    return Source(kind, fields, code)


def read_sources(path: Path) -> list[Source]:
    """The sources a file names; a missing file follows nothing."""
    if not path.exists():
        return []
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceError(f"{path}: cannot read the sources file ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise SourceError(f"{path}: not valid TOML ({exc})") from None
    out = []
    for i, table in enumerate(data.get("source", []), start=1):
        if not isinstance(table, dict) or "kind" not in table:
            raise SourceError(f"{path}: source {i} has no kind")
        values = {k: v for k, v in table.items() if k not in ("kind", "jurisdiction", "id")}
        try:
            out.append(make_source(str(table["kind"]), table.get("jurisdiction"), **values))
        except SourceError as exc:
            raise SourceError(f"{path}: source {i}: {exc}") from None
    return out


def _toml_string(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + "".join(c if c >= " " else f"\\u{ord(c):04x}" for c in escaped) + '"'


def write_sources(path: Path, sources: list[Source]) -> None:
    """Write the sources file (an array of tables), replacing it atomically."""
    lines = ["# Sources qharmony follows; edit with 'qharmony sources add|remove'.", ""]
    for s in sources:
        lines.append("[[source]]")
        lines.append(f"id = {_toml_string(s.id)}")
        lines.append(f"kind = {_toml_string(s.kind)}")
        lines.extend(f"{k} = {_toml_string(v)}" for k, v in s.fields.items())
        lines.append(f"jurisdiction = {_toml_string(s.jurisdiction)}")
        lines.append("")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text("\n".join(lines), encoding="utf-8")
    tmp.replace(path)


def add_source(path: Path, source: Source) -> bool:
    """Add a source unless one with its id is there; True when added."""
    sources = read_sources(path)
    if any(s.id == source.id for s in sources):
        return False
    write_sources(path, [*sources, source])
    return True


def remove_source(path: Path, source_id: str) -> None:
    """Remove the source with this id, or a clear error listing the ids there are."""
    sources = read_sources(path)
    kept = [s for s in sources if s.id != source_id]
    if len(kept) == len(sources):
        known = ", ".join(s.id for s in sources) or "none"
        raise SourceError(f"no source {source_id!r} in {path}; the sources are: {known}")
    write_sources(path, kept)
