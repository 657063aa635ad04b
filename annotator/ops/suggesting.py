"""Suggest: run an extractor over documents and turn what it found into pending
suggestions, the same for ``annotator suggest`` and Review ▸ Suggest With. An aligner
(``align-entities``, ``align-quotes``, ``align-claims``) is run the same way and finds
links between the documents instead of spans in each.

Finding only reads the project, so the window runs it on a thread; turning candidates
into one batch reads the spans a person may be editing, so it runs where the project
lives (the window's GUI thread), just before the batch is applied.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from annotator.core.project import Document, Project
from annotator.core.suggestions import (
    Alignment,
    Candidate,
    Suggested,
    alignment_batch,
    suggestion_batch,
)
from annotator.extract import Extractor, extract_candidates, is_aligner


@dataclass
class Found:
    """What an extractor found: spans per document, or an aligner's links."""

    candidates: list[tuple[Document, list[Candidate]]] = field(default_factory=list)
    alignments: list[Alignment] = field(default_factory=list)


def documents(project: Project, wanted: Iterable[str] | None) -> list[Document]:
    """The documents to run on (all when ``wanted`` is None); ValueError naming the ids
    the project does not have."""
    if wanted is None:
        return list(project.documents)
    ids = set(wanted)
    missing = sorted(i for i in ids if not project.has_document(i))
    if missing:
        raise ValueError(f"no such documents: {', '.join(missing)}")
    return [d for d in project.documents if d.id in ids]


def find(
    project: Project,
    extractor: Any,
    docs: list[Document],
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> Found:
    """What the extractor proposes in ``docs`` (reads only: safe on a thread)."""
    if is_aligner(extractor):
        return Found(alignments=extractor.align(project, docs, progress, cancelled))
    return Found(
        extract_candidates(project, extractor, docs, progress=progress, cancelled=cancelled)
    )


def suggestions(
    found: Found, extractor: Extractor, project: Project | None = None, min_score: float = 0.0
) -> Suggested:
    """The new suggestions as one batch (spans, and relations such as a quote's speaker
    when the project is given; an aligner's links and the spans they need), with what
    was left out and why."""
    if found.alignments:
        if project is None:
            raise ValueError("links need the project")
        return alignment_batch(found.alignments, extractor.name, project, min_score)
    return suggestion_batch(found.candidates, extractor.name, project)


def summary(extractor: Extractor, suggested: Suggested, documents_run: int) -> str:
    """``quotes: 3 new suggestions in 2 of 3 documents; skipped 1: 1 already there``."""
    from annotator.core.changes import RelationChange
    from annotator.core.wording import count

    changes = suggested.batch.changes
    relations = [c for c in changes if isinstance(c, RelationChange)]
    spans = [c for c in changes if not isinstance(c, RelationChange)]
    touched = len({c.document_id for c in spans} | {d for c in relations for d in c.document_ids})
    if is_aligner(extractor):
        made = f"{count(len(relations), 'new suggested link')}" + (
            f" (with {count(len(spans), 'suggested span')})" if spans else ""
        )
    else:
        links = f" (with {count(len(relations), 'relation')})" if relations else ""
        made = f"{count(len(spans), 'new suggestion')}{links}"
    return (
        f"{extractor.name}: {made} in "
        f"{touched} of {count(documents_run, 'document')}{suggested.skipped_text()}"
    )
