"""Evidence packs: one ZIP a lawyer can forward with an answer and everything it
relied on. It holds the memo (HTML with print styles, rendered by the caller), the
data as JSON, CSV and XLSX (the same exports the pages and the CLI write), the source
sentences with their documents, official citations and URLs, an ``about.json`` with
the as-of date, graph version and SHACL conformance, and ``MANIFEST.sha256`` (the
``sha256sum`` format) over every other file, so a recipient can check nothing changed.

The pack is built from sections: one per gap, transfer finding or portfolio line,
each with its summary, the entries it rests on (cited) and their source sentences.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime

from .catalog import select_all
from .citations import Citation, citer
from .exports import DISCLAIMER, export_result, provenance, to_csv
from .store import Store

MANIFEST = "MANIFEST.sha256"


@dataclass
class Section:
    """One finding of the answer, as the memo shows it."""

    heading: str
    summary: str
    citations: list[Citation] = field(default_factory=list)
    sources: list[dict] = field(default_factory=list)
    note: str = ""

    def to_json(self) -> dict:
        return asdict(self) | {"citations": [c.to_json() for c in self.citations]}


@dataclass
class Memo:
    """What the memo template receives."""

    title: str
    question: str
    as_of: str
    graph_version: str
    shacl: str
    generated: str
    disclaimer: str
    sections: list[Section]
    notes: list[str]
    files: list[str]


def _documents(store: Store) -> dict[str, dict[str, str]]:
    rows = select_all(store, "documents").rows
    return {
        r["document"].value: {
            "title": r["title"].value,
            "url": r["source"].value if "source" in r else "",
            "sha256": r["sha256"].value.removeprefix("sha256:") if "sha256" in r else "",
            "retrieved": r["retrieved"].value if "retrieved" in r else "",
        }
        for r in rows
    }


def _source(ev: dict, docs: dict[str, dict[str, str]]) -> dict:
    doc = docs.get(ev.get("document", ""), {})
    return {
        "entry": ev.get("entry", ""),
        "document": ev.get("document", ""),
        "document_title": ev.get("document_title") or doc.get("title", ""),
        "document_url": doc.get("url", ""),
        # a text fetched from its publisher: the exact version the fact was read from
        "document_sha256": doc.get("sha256", ""),
        "document_retrieved": doc.get("retrieved", ""),
        "sentence": ev.get("sentence", ""),
        "span": ev.get("span", ""),
        "confidence": ev.get("confidence", ""),
    }


def _states(states: dict[str, dict]) -> str:
    """Each side's determination in words: "US: controlled (confidence 0.90)"."""
    parts = []
    for code, state in states.items():
        conf = state.get("confidence")
        flags = f"; {', '.join(state['flags'])}" if state.get("flags") else ""
        parts.append(
            f"{code}: {str(state.get('status', '')).replace('_', ' ')}"
            + ("" if conf is None else f" (confidence {conf:.2f}{flags})")
        )
    return "Determinations: " + "; ".join(parts) + "." if parts else ""


def gap_sections(result, store: Store) -> tuple[list[Section], list[str]]:
    """A section per gap of a ``GapReport`` (data gaps last), each citing the entries
    on both sides and stating each side's determination."""
    cite, docs = citer(store), _documents(store)
    sections = []
    gaps = [*result.gaps, *getattr(result, "data_gaps", [])]
    for i, gap in enumerate(gaps, start=1):
        entries = [*gap.a_entries, *gap.b_entries]
        what = "Data gap" if gap.kind == "data" else f"{gap.kind.capitalize()} gap"
        note = _states(getattr(gap, "states", {}))
        if not entries:
            note = (note + " " if note else "") + "This gap rests on the absence of an entry; no provision is cited."
        sections.append(
            Section(
                f"{i}. {what}: {gap.technology_label}",
                gap.summary,
                [cite(e.entry, e.jurisdiction) for e in entries],
                [_source(ev, docs) for ev in gap.evidence],
                note,
            )
        )
    return sections, list(result.notes)


def determination_sections(result, store: Store) -> tuple[list[Section], list[str]]:
    """A section per technology of a ``DeterminationReport``: its state and why."""
    cite, docs = citer(store), _documents(store)
    sections = []
    for d in result.determinations:
        conf = "" if d.confidence is None else f" (confidence {d.confidence:.2f})"
        flags = f" Flags: {'; '.join(d.flags)}." if d.flags else ""
        sections.append(
            Section(
                f"{d.technology_label}: {d.status.replace('_', ' ')}{conf}",
                d.reason,
                [cite(b.entry, b.jurisdiction) for b in d.entries],
                [_source(ev, docs) for ev in d.evidence],
                flags.strip(),
            )
        )
    return sections, []


def transfer_sections(result, store: Store) -> tuple[list[Section], list[str]]:
    """A section per entry a transfer check judged, then the licence answer."""
    cite, docs = citer(store), _documents(store)
    sections = [
        Section(
            f"{f.entry.code or f.entry.label}: {f.verdict}",
            f.reason,
            [cite(f.entry.entry, f.entry.jurisdiction)],
            [_source(ev, docs) for ev in f.evidence],
        )
        for f in result.findings
    ]
    return sections, [result.licence, *(f"gap [{g.kind}] {g.summary}" for g in result.gaps.gaps)]


def cited_sections(result, store: Store) -> tuple[list[Section], list[str]]:
    """Sections for any result that knows how to cite itself, or one of the known kinds."""
    if hasattr(result, "pack_sections"):
        return result.pack_sections(store)
    if hasattr(result, "gaps") and hasattr(result, "a"):
        return gap_sections(result, store)
    if hasattr(result, "determinations"):
        return determination_sections(result, store)
    if hasattr(result, "findings") and hasattr(result, "licence"):
        return transfer_sections(result, store)
    return [], []


def _manifest(files: dict[str, bytes]) -> bytes:
    return "".join(f"{hashlib.sha256(data).hexdigest()}  {name}\n" for name, data in sorted(files.items())).encode()


def verify_pack(data: bytes) -> list[str]:
    """Problems with a pack: files missing from the manifest, or whose hash differs.
    Empty when the pack is intact."""
    problems = []
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = set(z.namelist()) - {MANIFEST}
        listed = {}
        for line in z.read(MANIFEST).decode("utf-8").splitlines():
            digest, _, name = line.partition("  ")
            listed[name] = digest
        for name in sorted(names | set(listed)):
            if name not in listed:
                problems.append(f"{name}: not in the manifest")
            elif name not in names:
                problems.append(f"{name}: listed but missing")
            elif hashlib.sha256(z.read(name)).hexdigest() != listed[name]:
                problems.append(f"{name}: SHA-256 differs from the manifest")
    return problems


def build_pack(
    result,
    store: Store,
    title: str,
    question: str,
    render_memo: Callable[[Memo], str],
    assets: dict[str, bytes] | None = None,
    now: datetime | None = None,
) -> bytes:
    """The ZIP of an analysis result. ``render_memo`` turns the memo data into HTML
    (the server's template); ``assets`` are files the memo links to (its stylesheet)."""
    as_of = getattr(result, "as_of", "") or f"{result.since} to {result.until}"
    meta = provenance(result.version, as_of, title)
    sections, notes = cited_sections(result, store)
    sources = [s | {"section": sec.heading} for sec in sections for s in sec.sources]
    citations = [c.to_json() | {"section": sec.heading} for sec in sections for c in sec.citations]
    files: dict[str, bytes] = {
        "data/result.json": export_result(result, "json", title),
        "data/result.csv": export_result(result, "csv", title),
        "data/result.xlsx": export_result(result, "xlsx", title),
        "data/sources.json": json.dumps({"sources": sources}, indent=2, ensure_ascii=False).encode("utf-8"),
        "data/sources.csv": to_csv(sources, meta).encode("utf-8"),
        "data/citations.json": json.dumps({"citations": citations}, indent=2, ensure_ascii=False).encode("utf-8"),
        **(assets or {}),
    }
    generated = (now or datetime.now(UTC)).replace(microsecond=0).isoformat()
    about = meta | {"question": question, "generated": generated, "disclaimer": DISCLAIMER}
    files["about.json"] = json.dumps(about, indent=2, ensure_ascii=False).encode("utf-8")
    memo = Memo(
        title,
        question,
        as_of,
        result.version.content_hash,
        meta["shacl"],
        generated,
        DISCLAIMER,
        sections,
        notes,
        sorted([*files, "memo.html", MANIFEST]),
    )
    files["memo.html"] = render_memo(memo).encode("utf-8")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name in sorted(files):
            z.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), files[name], zipfile.ZIP_DEFLATED)
        z.writestr(zipfile.ZipInfo(MANIFEST, (1980, 1, 1, 0, 0, 0)), _manifest(files), zipfile.ZIP_DEFLATED)
    return out.getvalue()
