"""Exchange formats: one module per format, registered in :data:`FORMATS`.

A format has a ``write(project, output, options)`` and, where the format can carry
spans back, a ``read(path)`` yielding :mod:`annotator.formats.records`. All offsets
handed to or taken from a format are converted to code points in the format's
module, and nowhere else.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from annotator.core.models import Span
from annotator.core.project import Document, Project
from annotator.formats import jsonl
from annotator.formats.records import ImportedDocument, RecordProblem

EXPORT_STATUSES = ("accepted", "pending", "rejected", "all")


@dataclass(frozen=True)
class ExportOptions:
    labels: frozenset[str] | None = None  # None: every label
    documents: frozenset[str] | None = None  # None: every document
    # Review statuses to export. The default keeps manual spans and accepted suggestions,
    # so unreviewed suggestions never reach a training set by accident.
    statuses: frozenset[str] = frozenset({"accepted"})

    def keeps(self, span: Span) -> bool:
        return (self.labels is None or span.label in self.labels) and span.status in self.statuses

    def spans(self, doc: Document) -> list[Span]:
        return [s for s in doc.spans() if self.keeps(s)]

    def documents_of(self, project: Project) -> Iterator[Document]:
        for doc in project.documents:
            if self.documents is None or doc.id in self.documents:
                yield doc


def statuses_from(value: str) -> frozenset[str]:
    """``accepted``, ``pending``, ``rejected``, ``all`` or a comma-separated list."""
    names = {v.strip() for v in value.split(",") if v.strip()}
    unknown = names - set(EXPORT_STATUSES)
    if unknown or not names:
        raise ValueError(
            f"unknown status {', '.join(sorted(unknown)) or value!r}; "
            f"use {'|'.join(EXPORT_STATUSES)}"
        )
    return frozenset({"accepted", "pending", "rejected"}) if "all" in names else frozenset(names)


Reader = Callable[[Path], Iterable[ImportedDocument | RecordProblem]]


@dataclass(frozen=True)
class Format:
    name: str
    description: str
    write: Callable[[Project, Path, ExportOptions], int]
    read: Reader | None = None


FORMATS: dict[str, Format] = {
    "jsonl": Format(
        "jsonl",
        "one JSON object a line per document: id, text, spans (code points) with status, meta",
        jsonl.write,
        jsonl.read,
    ),
}
