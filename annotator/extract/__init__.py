"""Extractors: auto-taggers that propose spans for a person to review.

An extractor is anything with a ``name`` and an ``extract(text)`` that yields
:class:`~annotator.core.suggestions.Candidate` objects (code-point offsets into
``text``); it may also have ``prepare(project)``, called once before a run (the
propagation extractor collects the strings people tagged there). A plain function
from text to candidates works too. Built-in extractors are listed in
:data:`BUILTIN`; third-party packages add theirs through the entry point group
``annotator.extractors``, whose object is an extractor class, instance or function::

    [project.entry-points."annotator.extractors"]
    dates = "my_package.dates:DateExtractor"

The runner, :func:`extract_candidates`, reads the project but never changes it;
:func:`annotator.core.suggestions.suggestion_batch` turns its output into one
undoable step.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib.metadata import entry_points
from typing import Any, Protocol, runtime_checkable

from annotator.core.progress import Cancelled as Cancelled  # re-exported: extractors raise it
from annotator.core.project import Document, Project
from annotator.core.suggestions import Alignment, Candidate, Suggested, suggestion_batch

ENTRY_POINT_GROUP = "annotator.extractors"


@runtime_checkable
class Extractor(Protocol):
    name: str

    def extract(self, text: str) -> Iterable[Candidate]: ...


@runtime_checkable
class Aligner(Protocol):
    """An extractor that proposes links between documents rather than spans in one:
    ``align`` reads the project (never changes it) and returns
    :class:`~annotator.core.suggestions.Alignment` objects, turned into one undoable
    batch by :func:`annotator.core.suggestions.alignment_batch`."""

    name: str

    def align(
        self,
        project: Project,
        documents: list[Document],
        progress: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> list[Alignment]: ...


def is_aligner(extractor: object) -> bool:
    return callable(getattr(extractor, "align", None))


class ExtractorUnavailable(RuntimeError):
    """The extractor cannot run here (a missing optional package or model); says how to fix."""


@dataclass(frozen=True)
class ExtractorInfo:
    name: str
    description: str
    target: str  # "module:attribute"


BUILTIN: dict[str, ExtractorInfo] = {
    info.name: info
    for info in (
        ExtractorInfo(
            "quotes",
            "direct quotations: straight, curly and guillemet quotes, quotes over several "
            "paragraphs, block quotes after a colon; the speaker as an attribute",
            "annotator.extract.quotes:QuoteExtractor",
        ),
        ExtractorInfo(
            "propagate",
            "every string already tagged as an entity, found again in all documents "
            "(whole words; --fuzzy for variant spellings)",
            "annotator.extract.propagate:PropagateExtractor",
        ),
        ExtractorInfo(
            "claims",
            "check-worthy sentences: numbers, dates, comparisons, attributed statements; scored",
            "annotator.extract.claims:ClaimExtractor",
        ),
        ExtractorInfo(
            "spacy",
            "spaCy named entities (PERSON, ORG, GPE, NORP, LOC, FAC, EVENT) as entity; "
            "needs spaCy and a model (--model)",
            "annotator.extract.spacy_ner:SpacyExtractor",
        ),
        ExtractorInfo(
            "align-entities",
            "links: the same person, organisation or place across documents despite "
            "variant spellings (Alekseev / Alekseyev), possessives, surnames alone and "
            "acronyms; proposes same links and the entity spans they need",
            "annotator.extract.align_entities:EntityAligner",
        ),
        ExtractorInfo(
            "align-quotes",
            "links: the same quote reported in different words by different documents "
            "(content words, any order; the speaker as a hint); proposes same links",
            "annotator.extract.align_quotes:QuoteAligner",
        ),
        ExtractorInfo(
            "align-claims",
            "links: sentences about the same fact in different documents; contradicts or "
            "differs where numbers, years or ages disagree, with a note of what differs",
            "annotator.extract.align_claims:ClaimAligner",
        ),
    )
}


def available() -> dict[str, str]:
    """Name → description of every extractor: built-in first, then entry points."""
    names = {name: info.description for name, info in BUILTIN.items()}
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        names.setdefault(ep.name, f"from {ep.value}")
    return names


def load(name: str, **options: Any) -> Extractor:
    """An extractor by name, built with ``options`` (those it does not take are ignored)."""
    if name in BUILTIN:
        module, _, attr = BUILTIN[name].target.partition(":")
        target = getattr(importlib.import_module(module), attr)
    else:
        found = [ep for ep in entry_points(group=ENTRY_POINT_GROUP) if ep.name == name]
        if not found:
            known = ", ".join(available())
            raise ExtractorUnavailable(f"no extractor called {name!r}; known: {known}")
        try:
            target = found[0].load()
        except Exception as exc:  # a broken plug-in must not take the app down
            raise ExtractorUnavailable(f"extractor {name!r} failed to load: {exc}") from exc
    return _instantiate(name, target, options)


def _instantiate(name: str, target: Any, options: dict[str, Any]) -> Extractor:
    if isinstance(target, type):
        accepted = getattr(target, "OPTIONS", ())
        obj = target(**{k: v for k, v in options.items() if k in accepted and v is not None})
    else:
        obj = target
    if isinstance(obj, (Extractor, Aligner)):
        return obj  # type: ignore[return-value]
    if callable(obj):
        return _FunctionExtractor(name, obj)
    raise ExtractorUnavailable(f"extractor {name!r} is neither a class nor a function")


@dataclass
class _FunctionExtractor:
    name: str
    function: Callable[[str], Iterable[Candidate]]

    def extract(self, text: str) -> Iterable[Candidate]:
        return self.function(text)


def extract_candidates(
    project: Project,
    extractor: Extractor,
    documents: Iterable[Document],
    *,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> list[tuple[Document, list[Candidate]]]:
    """Run ``extractor`` over ``documents``; safe off the GUI thread (reads only)."""
    docs = list(documents)
    prepare = getattr(extractor, "prepare", None)
    if callable(prepare):
        prepare(project)
    out = []
    for i, doc in enumerate(docs):
        if cancelled is not None and cancelled():
            raise Cancelled
        out.append((doc, list(extractor.extract(doc.text))))
        if progress is not None:
            progress(i + 1, len(docs))
    return out


def suggest(project: Project, extractor: Extractor, documents: Iterable[Document]) -> Suggested:
    """Run an extractor and return its new suggestions as one batch (not yet applied)."""
    found = extract_candidates(project, extractor, documents)
    return suggestion_batch(found, extractor.name, project)
