"""A pipeline component that marks the names of jurisdictions pycountry does not know
(those of the build's ``Registry``) as ``JURISDICTION`` entities, and arrangements
beyond the built-in list as ``TREATY``, so that every rule
downstream treats "Ruritania" exactly as it treats "Japan"."""

from __future__ import annotations

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from .jurisdictions import Registry

COMPONENT = "qharmony_states"


class StateNames:
    """Holds the names of the current build; ``use`` swaps them between builds."""

    def __init__(self, nlp: Language):
        self.nlp = nlp
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.codes: dict[str, str] = {}

    def use(self, registry: Registry) -> None:
        self.matcher = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        self.codes = {}
        named = [(n, ("JURISDICTION", c)) for n, c in registry.names().items()]
        named += [(n, ("TREATY", s)) for n, s in registry.arrangements.items()]
        for name, target in named:
            key = f"name-{len(self.codes)}"
            self.codes[key] = target
            self.matcher.add(key, [self.nlp.make_doc(name)])

    def __call__(self, doc: Doc) -> Doc:
        if not self.codes:
            return doc
        found = []
        for match_id, start, end in self.matcher(doc):
            label, ident = self.codes[self.nlp.vocab.strings[match_id]]
            if doc[start].is_lower:
                continue  # names are proper nouns
            found.append(Span(doc, start, end, label=label, span_id=ident))
        if found:
            # a longer name wins over a shorter one inside it ("Republic of Ruritania")
            doc.ents = filter_spans([*found, *doc.ents])
        return doc


@Language.factory("qharmony_states_v1")
def make_state_names(nlp: Language, name: str) -> StateNames:
    return StateNames(nlp)


def use_registry(nlp: Language, registry: Registry) -> None:
    """Point the pipeline's state-name component at one build's registry."""
    if COMPONENT in nlp.pipe_names:
        nlp.get_pipe(COMPONENT).use(registry)
