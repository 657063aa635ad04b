"""Suggest: run an extractor over documents and turn what it found into pending
suggestions, the same for ``annotator suggest`` and Review ▸ Suggest With.

Finding only reads the project, so the window runs it on a thread; turning candidates
into one batch reads the spans a person may be editing, so it runs where the project
lives (the window's GUI thread), just before the batch is applied.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from annotator.core.project import Document, Project
from annotator.core.suggestions import Candidate, Suggested, suggestion_batch
from annotator.extract import Extractor, extract_candidates

Found = list[tuple[Document, list[Candidate]]]


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
    extractor: Extractor,
    docs: list[Document],
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> Found:
    """What the extractor proposes in ``docs`` (reads only: safe on a thread)."""
    return extract_candidates(project, extractor, docs, progress=progress, cancelled=cancelled)


def suggestions(found: Found, extractor: Extractor, project: Project | None = None) -> Suggested:
    """The new suggestions as one batch (spans, and relations such as a quote's speaker
    when the project is given), with what was left out and why."""
    return suggestion_batch(found, extractor.name, project)


def summary(extractor: Extractor, suggested: Suggested, documents_run: int) -> str:
    """``quotes: 3 new suggestions in 2 of 3 documents; skipped 1: 1 already there``."""
    from annotator.core.changes import RelationChange
    from annotator.core.wording import count

    changes = suggested.batch.changes
    touched = len({c.document_id for c in changes})
    links = sum(isinstance(c, RelationChange) for c in changes)
    relations = f" (with {count(links, 'relation')})" if links else ""
    return (
        f"{extractor.name}: {count(len(changes) - links, 'new suggestion')}{relations} in "
        f"{touched} of {count(documents_run, 'document')}{suggested.skipped_text()}"
    )
