"""The entity ruler: our patterns (``patterns.py``) marked as ``doc.ents``, with the
EntityRuler's pattern format and its choice between overlapping matches, at a fraction
of its cost.

spaCy's EntityRuler runs its token patterns through the Matcher, which tries every
pattern at every token (and a Python regular expression per token for the code
pattern): on the real CCL that was most of the pipeline's time. Here phrase patterns
go to a PhraseMatcher on lower-case text, as before, and token patterns (case-sensitive
names, codes) are decided once per distinct word form: a dictionary lookup per token.
Token patterns are sequences of ``ORTH``/``LOWER`` equality or ``TEXT`` ``REGEX``
predicates, each matching one token, which is all ``patterns.py`` writes.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable

from spacy.attrs import ORTH
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

#: the EntityRuler's separator between a label and a pattern id in a match key
ENT_ID_SEP = "||"

Predicate = Callable[[str], bool]


def _predicate(spec: dict) -> Predicate:
    """One token's test, from an EntityRuler token-pattern element."""
    if len(spec) != 1:
        raise ValueError(f"token pattern element {spec!r}: one attribute per token, please")
    ((attr, value),) = spec.items()
    attr = attr.upper()
    if attr in ("ORTH", "TEXT") and isinstance(value, str):
        return value.__eq__
    if attr == "LOWER" and isinstance(value, str):
        return lambda text: text.lower() == value
    if attr in ("ORTH", "TEXT") and isinstance(value, dict) and set(value) == {"REGEX"}:
        rx = re.compile(value["REGEX"])
        return lambda text: rx.search(text) is not None  # as the Matcher applies REGEX
    raise ValueError(f"token pattern element {spec!r} is not supported by the qharmony ruler")


class Ruler:
    """Phrase patterns through the PhraseMatcher (attribute ``LOWER``); token patterns
    by word form. Matches are chosen as the EntityRuler chooses them (longest first,
    then leftmost; a match overlapping a chosen one is dropped), with the same labels
    and ids."""

    def __init__(self, nlp: Language):
        self.nlp = nlp
        self.vocab = nlp.vocab
        self.phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.ent_ids: dict[int, tuple[str, str]] = {}
        #: (match key, predicates) per token pattern
        self.token_patterns: list[tuple[int, list[Predicate]]] = []
        #: word form (ORTH hash) -> indices of the token patterns its first token starts
        self._starts: dict[int, tuple[int, ...]] = {}
        #: the word forms that open at least one token pattern
        self._openers: set[int] = set()

    def add_patterns(self, patterns: Iterable[dict]) -> None:
        """Patterns in the EntityRuler's format: ``label``, ``pattern`` (a phrase, or a
        list of one-attribute token tests) and an optional ``id``."""
        texts: dict[str, list[str]] = defaultdict(list)
        self._starts, self._openers = {}, set()
        for entry in patterns:
            label, ident, pattern = entry["label"], entry.get("id"), entry["pattern"]
            key = f"{label}{ENT_ID_SEP}{ident}" if isinstance(ident, str) else label
            match_id = self.vocab.strings.add(key)
            if isinstance(ident, str):
                self.ent_ids[match_id] = (label, ident)
            if isinstance(pattern, str):
                texts[key].append(pattern)
            elif isinstance(pattern, list) and pattern:
                self.token_patterns.append((match_id, [_predicate(spec) for spec in pattern]))
            else:
                raise ValueError(f"pattern {entry!r}: a phrase or a list of token tests")
        for key, phrases in texts.items():
            self.phrases.add(key, [self.nlp.make_doc(text) for text in phrases])

    def _first(self, orth: int) -> tuple[int, ...]:
        text = self.vocab.strings[orth]
        found = tuple(i for i, (_, preds) in enumerate(self.token_patterns) if preds[0](text))
        self._starts[orth] = found
        if found:
            self._openers.add(orth)
        return found

    def _token_matches(self, doc: Doc) -> list[tuple[int, int, int]]:
        orths = doc.to_array(ORTH).tolist()
        forms = set(orths)
        for orth in forms.difference(self._starts):
            self._first(orth)
        openers = forms & self._openers
        if not openers:
            return []  # most blocks: no word that opens a token pattern
        starts, strings, n = self._starts, self.vocab.strings, len(orths)
        out = []
        for i, orth in enumerate(orths):
            if orth not in openers:
                continue
            for index in starts[orth]:
                match_id, preds = self.token_patterns[index]
                end = i + len(preds)
                if end <= n and all(preds[k](strings[orths[i + k]]) for k in range(1, len(preds))):
                    out.append((match_id, i, end))
        return out

    def __call__(self, doc: Doc) -> Doc:
        matches = {(m, s, e) for m, s, e in self.phrases(doc) if s != e}
        matches.update(self._token_matches(doc))
        ordered = sorted(matches, key=lambda m: (m[2] - m[1], -m[1]), reverse=True)
        entities = list(doc.ents) if doc.has_annotation("ENT_IOB") else []  # none before us, as a rule
        new: list[Span] = []
        seen: set[int] = set()
        for match_id, start, end in ordered:
            if start in seen or end - 1 in seen:
                continue
            if match_id in self.ent_ids:
                label, ident = self.ent_ids[match_id]
                if label == "TECHNOLOGY" and _post(doc, start):
                    continue  # "post-quantum cryptography" is classical: no quantum technology
                new.append(Span(doc, start, end, label=label, span_id=ident))
            else:
                new.append(Span(doc, start, end, label=match_id))
            if entities:
                entities = [e for e in entities if not (e.start < end and e.end > start)]
            seen.update(range(start, end))
        # as the EntityRuler's ``doc.ents = ...``: no match marks every token outside (the
        # setter would make every span again)
        doc.set_ents(entities + new, default="outside")
        return doc


def _post(doc: Doc, start: int) -> bool:
    """A technology name after "post-" ("post-quantum cryptography", "post-quantum
    algorithms") names what replaces it, not it."""
    return start >= 2 and doc[start - 1].text in ("-", "‐") and doc[start - 2].lower_ == "post"


@Language.factory("qharmony_entities_v1")
def make_ruler(nlp: Language, name: str) -> Ruler:
    """An empty ruler; ``pipeline.load_pipeline`` adds the patterns."""
    return Ruler(nlp)
