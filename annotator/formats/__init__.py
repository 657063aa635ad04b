"""Exchange formats: one module per format, registered in :data:`FORMATS`.

A format has a ``write(project, output, options)`` and, where the format can carry
spans back, a ``read``. All offsets handed to or taken from a format are converted
to code points here, in the format's module, and nowhere else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from annotator.core.project import Project
from annotator.formats import jsonl


@dataclass(frozen=True)
class ExportOptions:
    labels: frozenset[str] | None = None  # None: every label
    documents: frozenset[str] | None = None  # None: every document


@dataclass(frozen=True)
class Format:
    name: str
    description: str
    write: Callable[[Project, Path, ExportOptions], int]


FORMATS: dict[str, Format] = {
    "jsonl": Format(
        "jsonl",
        "one JSON object a line per document: id, text, spans (code points), meta",
        jsonl.write,
    ),
}
