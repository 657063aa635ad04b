"""Export: the files an export writes (one, or one per part of ``--split``) and writing
them, the same for ``annotator export`` and File ▸ Export…."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from annotator.core.project import Project
from annotator.core.wording import count
from annotator.formats import ExportOptions, ExportResult, Format, split_documents, split_path

Target = tuple[Path, ExportOptions]


def targets(
    project: Project,
    fmt: Format,
    output: Path,
    options: ExportOptions,
    split: str = "",
    seed: int = 0,
) -> list[Target]:
    """Where the export writes and what goes where: ``output``, or with ``split``
    (``0.8,0.1,0.1``) one file or folder per part, documents shuffled by ``seed``.
    ValueError with a message when ``split`` cannot be read."""
    if not split:
        return [(output, options)]
    ids = [d.id for d in options.documents_of(project)]
    parts = split_documents(ids, split, seed)
    return [
        (split_path(output, name, fmt.folder), replace(options, documents=part))
        for name, part in parts.items()
    ]


def done_by(project: Project, options: ExportOptions) -> set[str]:
    """The documents marked done by the annotators whose layers ``options`` export
    (``gold``: by an adjudicator), or by anyone when it exports every layer."""
    return project.work.done_by(options.layers)


def done_only(project: Project, options: ExportOptions) -> ExportOptions:
    """``options`` narrowed to the documents marked done (``--done-only``)."""
    done = done_by(project, options)
    chosen = done if options.documents is None else done & options.documents
    return replace(options, documents=frozenset(chosen))


def not_done_note(project: Project, fmt: Format, options: ExportOptions) -> str | None:
    """What a one-tag-per-token export must say when it holds documents nobody marked
    done: each untagged word in them is written as outside every entity, a negative
    example nobody judged."""
    if not fmt.tokens:
        return None
    done = done_by(project, options)
    docs = [d.id for d in options.documents_of(project)]
    waiting = [d for d in docs if d not in done]
    if not waiting:
        return None
    return (
        f"{count(len(waiting), 'document')} of {len(docs):,} not marked done: their untagged "
        f"words are written as O (--done-only leaves them out)"
    )


def export(
    project: Project,
    fmt: Format,
    to: list[Target],
    progress: Callable[[int, int], None] | None = None,
) -> list[tuple[Path, ExportResult]]:
    """Write every target; ``progress(done, total)`` after each (the window's bar)."""
    results = []
    if fmt.write is None:
        raise ValueError(f"{fmt.name} is read only: Annotator imports it, never writes it")
    for done, (path, options) in enumerate(to, start=1):
        results.append((path, fmt.write(project, path, options)))
        if progress is not None:
            progress(done, len(to))
    return results


def total(results: list[tuple[Path, ExportResult]]) -> ExportResult:
    """All parts of an export counted as one (the window's status line)."""
    out = ExportResult()
    for _path, result in results:
        out.documents += result.documents
        out.spans += result.spans
        out.notes.extend(result.notes)
        out.changed.update(result.changed)
    return out
