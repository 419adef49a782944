"""Extraction accuracy on the gold passages of bench/gold/: precision, recall and F1 per
entity type, per relation type and per genre, on the development and held-out sets;
then, when ../shared/corpus exists, what the pipeline finds in real regulation text,
part by part (nothing quantum should come out of the parts that regulate chemicals).

    python bench/accuracy.py [--set dev|heldout|all] [--verbose]

Passages that point into ../shared/corpus are read from there at run time (the real
text is never copied into the project) and skipped, with a message, without it.
Matching follows bench/gold/README.md: entities on (type, id), relations on
(type, head id, tail id), thresholds and dates on their normalised values.
"""

from __future__ import annotations

import argparse
import fnmatch
import html
import re
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from ccl_quantum import run_ccl  # noqa: E402
from gold_set import SETS, SHARED_CORPUS, Passage, load_set, norm_id, threshold_key  # noqa: E402

from qharmony.ingest.extract import extract_documents  # noqa: E402
from qharmony.ingest.pipeline import load_pipeline  # noqa: E402
from qharmony.ingest.pointers import resolve as resolve_pointers  # noqa: E402
from qharmony.ingest.readers import read_source  # noqa: E402

HERE = Path(__file__).parent
#: relation types scored; structural extras (broader, in_list, reason_for_control) are not
GOLD_RELATION_TYPES = {
    "part_of",
    "controls",
    "not_controlled",
    "has_threshold",
    "issued_by",
    "applies_in",
    "party_to",
    "member_of",
    "implements",
    "eligible_destination",
    "exempt_destination",
    "corresponds_to",
    "no_equivalent_in",
    "effective_on",
    "adopted_on",
    "compliance_on",
    "repealed_on",
    "amends",
    "repeals",
}
GOLD_ENTITY_TYPES = {
    "Jurisdiction",
    "Treaty",
    "Instrument",
    "ControlEntry",
    "Technology",
    "Threshold",
    "Authority",
    "Date",
    "LicenseException",
    "CountryGroup",
}
#: a claim reported at this confidence or above is asserted as if it were stated
CLAIM_CEILING = 0.8
#: ISO 3166-1 alpha-2 codes left for users: where a state ISO does not list belongs
_USER_ASSIGNED = re.compile(r"^(?:AA|Q[M-Z]|X[A-Z]|ZZ)$")


def _placeholders(passage: Passage, extraction) -> dict[str, str]:
    """'@Ruritania' -> the code the extractor gave the mention at the gold span (or, failing
    that, any mention of the name), if that code is in the user-assigned range (a state
    ISO 3166 does not list)."""
    found = {}
    for g in passage.entities:
        if g.type != "Jurisdiction" or not g.id.startswith("@") or g.span is None:
            continue
        candidates = [e for e in extraction.entities if e.type == "Jurisdiction" and _USER_ASSIGNED.match(e.id)]
        at_span = [e for e in candidates if _at_mention(passage, g.span, e)]
        named = [e for e in candidates if g.id[1:].casefold() in e.text.casefold()]
        if at_span or named:
            found[g.id] = (at_span or named)[0].id
    return found


def _resolve(ident: str, places: dict[str, str]) -> str:
    if ident.startswith("@"):
        name, colon, rest = ident.partition(":")
        if name in places:
            return places[name] + colon + rest
    return ident


_MARKUP = {"xml", "html", "htm"}


def _plain(text: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split()).casefold()


def _at_mention(passage: Passage, span: tuple[int, int], e) -> bool:
    """Whether a predicted mention sits at the annotated one: by offsets where the reader
    keeps the text as it is (txt, md), by the mention's words where it strips markup."""
    if passage.format not in _MARKUP:
        return e.start < span[1] and span[0] < e.end
    gold, found = _plain(passage.text[span[0] : span[1]]), _plain(e.text)
    return bool(found) and (found in gold or gold in found)


def _optional(passage: Passage) -> Passage:
    """The passage's optional annotations, as a passage of their own."""
    return Passage(
        passage.id,
        passage.genre,
        passage.set,
        passage.path,
        entities=passage.optional_entities,
        relations=passage.optional_relations,
    )


def gold_sets(passage: Passage, places: dict[str, str]) -> tuple[set, set, set]:
    """(entities, relations, claims) as comparable tuples."""
    ents = {(g.type, norm_id(g.type, _resolve(g.id, places))) for g in passage.entities}
    rels, claims = set(), set()
    for r in passage.relations:
        tail_type = "Threshold" if r.type == "has_threshold" else ""
        key = (r.type, norm_id("", _resolve(r.head, places)), norm_id(tail_type, _resolve(r.tail, places)))
        rels.add(key)
        if r.claim:
            claims.add(key)
    return ents, rels, claims


def _aliased(passage: Passage, type_: str, ident: str) -> str:
    key = norm_id(type_, ident)
    for other, canonical in passage.aliases.items():
        if norm_id(type_, other) == key:
            return norm_id(type_, canonical)
    return key


def _threshold(found: dict) -> str:
    return threshold_key(found["parameter"], found["op"], found["value"], found["unit"], found.get("condition_of", ""))


def predicted(passage: Passage, extraction) -> tuple[set, dict]:
    """(entities, relations with their highest confidence) as comparable tuples."""
    ents = set()
    for e in extraction.entities:
        if e.type not in GOLD_ENTITY_TYPES:
            continue
        if e.type == "Threshold":
            ents.add(("Threshold", _threshold(e.attributes["threshold"])))
        else:
            ents.add((e.type, _aliased(passage, e.type, e.id)))
    rels: dict[tuple, float] = {}
    for r in extraction.relations:
        if r.type not in GOLD_RELATION_TYPES:
            continue
        if isinstance(r.object, dict):
            if "parameter" not in r.object:
                continue
            tail = _threshold(r.object)
        else:
            tail = _aliased(passage, r.object_type, str(r.object))
        key = (r.type, _aliased(passage, r.subject_type, r.subject), tail)
        rels[key] = max(rels.get(key, 0.0), r.confidence)
    return ents, rels


class Tally:
    """True and false positives and negatives, per key (a type or a genre)."""

    def __init__(self) -> None:
        self.tp, self.fp, self.fn = Counter(), Counter(), Counter()

    def add(self, key: str, gold: set, pred: set, by_type: bool) -> None:
        for item in pred & gold:
            self.tp[item[0] if by_type else key] += 1
        for item in pred - gold:
            self.fp[item[0] if by_type else key] += 1
        for item in gold - pred:
            self.fn[item[0] if by_type else key] += 1

    def rows(self) -> list[tuple]:
        out = []
        for kind in [*sorted(set(self.tp) | set(self.fp) | set(self.fn)), "ALL"]:
            t = sum(self.tp.values()) if kind == "ALL" else self.tp[kind]
            f_p = sum(self.fp.values()) if kind == "ALL" else self.fp[kind]
            f_n = sum(self.fn.values()) if kind == "ALL" else self.fn[kind]
            p = t / (t + f_p) if t + f_p else 1.0
            r = t / (t + f_n) if t + f_n else 1.0
            out.append((kind, p, r, 2 * p * r / (p + r) if p + r else 0.0, t, f_p, f_n))
        return out


def print_table(title: str, tally: Tally) -> None:
    print(f"\n  {title}")
    print(f"    {'':24} {'P':>6} {'R':>6} {'F1':>6} {'tp':>5} {'fp':>5} {'fn':>5}")
    for kind, p, r, f, t, f_p, f_n in tally.rows():
        print(f"    {kind:24} {p:6.3f} {r:6.3f} {f:6.3f} {t:5} {f_p:5} {f_n:5}")


def print_genres(entities: Tally, relations: Tally, counts: Counter) -> None:
    print("\n  By genre                     entities P / R / F1     relations P / R / F1   passages")
    ent_rows = {row[0]: row for row in entities.rows()}
    rel_rows = {row[0]: row for row in relations.rows()}
    for genre in [*sorted(counts), "ALL"]:
        e, r = ent_rows.get(genre), rel_rows.get(genre)
        cells = []
        for row in (e, r):
            cells.append(f"{row[1]:5.3f} {row[2]:5.3f} {row[3]:5.3f}" if row else f"{'-':>17}")
        n = sum(counts.values()) if genre == "ALL" else counts[genre]
        print(f"    {genre:24} {cells[0]:>23}   {cells[1]:>20}   {n:5}")


def extract_passages(passages: list[Passage]) -> list:
    nlp = load_pipeline()
    with tempfile.TemporaryDirectory() as tmp:
        sources = []
        for p in passages:
            file = Path(tmp) / f"{p.id}.{p.format}"
            file.write_text(p.text, encoding="utf-8")
            sources.append(read_source(file))
        # as the build does: entries that point to entries of other passages are settled
        return resolve_pointers(extract_documents(sources, nlp))


def run_set(name: str, passages: list[Passage], verbose: bool) -> tuple | None:
    """Score one set and print its tables; returns (entity F1, relation F1, weakest genre
    on relations, its relation F1) for the closing summary."""
    skipped = [p for p in passages if p.skipped]
    runnable = [p for p in passages if not p.skipped]
    print(f"\n== {name}: {len(runnable)} passages in {len({p.genre for p in runnable})} genres")
    for p in skipped:
        print(f"  skipped {p.id}: {p.skipped}")
    if not runnable:
        return None
    ent_types, rel_types, ent_genres, rel_genres = Tally(), Tally(), Tally(), Tally()
    located = with_span = claims_found = claims_total = claims_asserted = 0
    for p, ex in zip(runnable, extract_passages(runnable), strict=True):
        places = _placeholders(p, ex)
        # an alias written with a placeholder ('@Ruritania:Order-31') names the code found
        p = replace(p, aliases={_resolve(o, places): _resolve(c, places) for o, c in p.aliases.items()})
        ge, gr, gc = gold_sets(p, places)
        pe, pr_conf = predicted(p, ex)
        oe, orel, _ = gold_sets(_optional(p), places)
        pe -= oe - ge
        pr_conf = {k: v for k, v in pr_conf.items() if k in gr or k not in orel}
        pr = set(pr_conf)
        ent_types.add(p.genre, ge, pe, True)
        rel_types.add(p.genre, gr, pr, True)
        ent_genres.add(p.genre, ge, pe, False)
        rel_genres.add(p.genre, gr, pr, False)
        for g in p.entities:
            key = (g.type, norm_id(g.type, _resolve(g.id, places)))
            if g.span is None or key not in pe or g.type == "Threshold":
                continue
            with_span += 1
            located += any(
                e.type == g.type and _aliased(p, e.type, e.id) == key[1] and _at_mention(p, g.span, e)
                for e in ex.entities
            )
        claims_total += len(gc)
        for key in gc & pr:
            claims_found += 1
            claims_asserted += pr_conf[key] >= CLAIM_CEILING
        if verbose:
            for label, g, pred in (("entity", ge, pe), ("relation", gr, pr)):
                for miss in sorted(g - pred):
                    print(f"  [{p.id}] missed {label} {miss}", file=sys.stderr)
                for extra in sorted(pred - g):
                    print(f"  [{p.id}] extra  {label} {extra}", file=sys.stderr)
    print_table("Entities by type", ent_types)
    print_table("Relations by type", rel_types)
    print_genres(ent_genres, rel_genres, Counter(p.genre for p in runnable))
    print(f"\n  Spans: {located} of {with_span} entities found by id are found at an annotated mention")
    print(
        f"  Claims: {claims_found} of {claims_total} found; {claims_asserted} of them at confidence "
        f">= {CLAIM_CEILING} (claims should come lower)"
    )
    genre_rel = {row[0]: row[3] for row in rel_genres.rows() if row[0] != "ALL" and row[4] + row[6]}
    weakest = min(genre_rel, key=genre_rel.get) if genre_rel else "-"
    return ent_types.rows()[-1][3], rel_types.rows()[-1][3], weakest, genre_rel.get(weakest, 0.0)


_PART = re.compile(r"^#{1,4} Part (\d+)\s*$", re.M)


def run_corpus(folder: Path) -> None:
    nlp = load_pipeline()
    files = sorted(
        p for p in folder.iterdir() if p.suffix in (".md", ".txt", ".html", ".xml") and p.name != "README.md"
    )
    print(f"\nReal regulation text in {folder}:")
    for file in files:
        started = time.perf_counter()
        source = read_source(file)
        [ex] = list(extract_documents([source], nlp))
        seconds = time.perf_counter() - started
        starts = [(m.start(), m.group(1)) for m in _PART.finditer(source.text)]

        def part_of(offset: int, starts=starts) -> str:
            found = "front matter"
            for start, part in starts:
                if start <= offset:
                    found = f"part {part}"
            return found

        by_part: dict[str, Counter] = defaultdict(Counter)
        for e in ex.entities:
            by_part[part_of(e.start)][e.type] += 1
        quantum = [
            (part_of(r.start), r.subject, r.object) for r in ex.relations if r.type in ("controls", "not_controlled")
        ]
        print(
            f"  {file.name}: {len(source.text):,} characters in {seconds:.1f} s; "
            f"{len(ex.entities)} entities, {len(ex.relations)} relations"
        )
        for part in sorted(by_part):
            kinds = ", ".join(f"{k} {n}" for k, n in sorted(by_part[part].items()))
            print(f"    {part:14} {kinds}")
        print(f"    controls relations (quantum facts): {len(quantum)}")
        for part, subject, obj in quantum[:20]:
            print(f"      {part}: {subject} -> {obj}")


def _chosen(passages: list[Passage], patterns: list[str] | None) -> list[Passage]:
    if not patterns:
        return passages
    return [p for p in passages if any(fnmatch.fnmatch(p.path.name, pattern) for pattern in patterns)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=[*SETS, "all"], default="all", help="which gold set to score")
    parser.add_argument("--corpus", type=Path, default=SHARED_CORPUS, help="the real regulation text")
    parser.add_argument("--verbose", action="store_true", help="list every miss and extra")
    parser.add_argument(
        "--baseline",
        type=Path,
        default=None,
        help="another checkout with its own .venv (e.g. ../qharmony-baseline), run beside ours",
    )
    parser.add_argument(
        "--only",
        action="append",
        metavar="GLOB",
        help="score only the passages whose file name matches (repeatable), e.g. 'h5-*'",
    )
    args = parser.parse_args()
    if not args.corpus.is_dir():
        print(f"note: {args.corpus} is absent; passages of real text are skipped")
    names = SETS if args.set == "all" else (args.set,)
    summary = {name: run_set(name, _chosen(load_set(name, args.corpus), args.only), args.verbose) for name in names}
    print("\nSummary (acceptance: dev entity F1 >= 0.90, relation F1 >= 0.80, no genre below 0.75 on relations)")
    for name, result in summary.items():
        if result:
            ent_f1, rel_f1, weakest, weakest_f1 = result
            line = f"entity F1 {ent_f1:.3f}  relation F1 {rel_f1:.3f}  weakest genre {weakest} {weakest_f1:.3f}"
            print(f"  {name:8} {line}")
    if args.set == "all" and args.corpus.is_dir():
        run_corpus(args.corpus)
        # the real CCL against its quantum gold, beside the baseline checkout's figures
        run_ccl(args.corpus, args.baseline)


if __name__ == "__main__":
    main()
