"""The ``spacy`` extractor: spaCy's named entities as ``entity`` suggestions.

Optional: needs the ``spacy`` extra (``pip install '.[spacy]'`` in a clone) and a
model package (for example ``python -m spacy download en_core_web_sm``), or a path to
a saved pipeline given as ``model``. PERSON, ORG, GPE, NORP, LOC, FAC and EVENT become
``entity`` with spaCy's label kept in the ``spacy_label`` attribute; other entity
types are left out.
The text is processed paragraph by paragraph, so articles longer than spaCy's
``max_length`` work; offsets are spaCy's character offsets, which are code points.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from annotator.core.suggestions import Candidate
from annotator.extract import ExtractorUnavailable
from annotator.extract.sentences import paragraphs
from annotator.install import install_hint, spacy_model_hint

DEFAULT_MODEL = "en_core_web_sm"
KEPT = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT"})
LABEL = "entity"


class SpacyExtractor:
    name = "spacy"
    OPTIONS = ("model",)

    def __init__(self, model: str = DEFAULT_MODEL) -> None:
        self.model = model
        self._nlp: Any = None

    def prepare(self, project: object = None) -> None:
        if self._nlp is not None:
            return
        try:
            import spacy
        except ImportError as exc:
            raise ExtractorUnavailable(
                install_hint("spacy", "The spacy extractor needs spaCy, which is not installed")
                + f"; then a model: {spacy_model_hint(DEFAULT_MODEL)}"
            ) from exc
        try:
            self._nlp = spacy.load(self.model)
        except OSError as exc:
            raise ExtractorUnavailable(
                f"spaCy is installed but the model {self.model!r} is not. Install it with: "
                f"{spacy_model_hint(self.model)} (or pass --model PATH to a saved "
                "pipeline)"
            ) from exc

    def extract(self, text: str) -> Iterator[Candidate]:
        self.prepare()
        spans = list(paragraphs(text))
        docs = self._nlp.pipe(text[a:b] for a, b in spans)
        for (offset, _end), doc in zip(spans, docs, strict=True):
            for ent in doc.ents:
                if ent.label_ in KEPT:
                    yield Candidate(
                        offset + ent.start_char,
                        offset + ent.end_char,
                        LABEL,
                        None,
                        {"spacy_label": ent.label_},
                    )
