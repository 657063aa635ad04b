"""Export: the files an export writes (one, or one per part of ``--split``) and writing
them, the same for ``annotator export`` and File ▸ Export…."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from annotator.core.project import Project
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
