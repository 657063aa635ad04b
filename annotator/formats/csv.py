"""CSV of spans: one row per span, for spreadsheets and pandas.

Columns: ``document, start, end, label, text, status, origin, score, author, note,
attributes`` (attributes as a JSON object). Offsets are code points; the text column
is the covered text, so a reader can check it. UTF-8 with a header row. A cell a
spreadsheet would compute is written with a leading ``'`` (:mod:`annotator.core.cells`)
unless ``--raw-csv``.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import TYPE_CHECKING

from annotator.core.cells import CsvWriter
from annotator.io.atomic import atomic_writer

if TYPE_CHECKING:
    from annotator.core.project import Project
    from annotator.formats import ExportOptions, ExportResult

COLUMNS = (
    "document",
    "start",
    "end",
    "label",
    "text",
    "status",
    "origin",
    "score",
    "author",
    "note",
    "attributes",
)


def write(project: Project, output: Path, options: ExportOptions) -> ExportResult:
    from annotator.formats import ExportResult

    result = ExportResult()
    with atomic_writer(output) as handle:
        buffer = io.StringIO()
        writer = CsvWriter(buffer, raw=options.raw_csv)
        writer.writerow(COLUMNS)
        for doc in options.documents_of(project):
            for s in options.spans(doc):
                writer.writerow(
                    (
                        doc.id,
                        s.start,
                        s.end,
                        s.label,
                        s.text,
                        s.status,
                        s.origin,
                        "" if s.score is None else s.score,
                        s.author or "",
                        s.note or "",
                        json.dumps(dict(sorted(s.attributes.items())), ensure_ascii=False),
                    )
                )
                result.spans += 1
            result.documents += 1
            handle.write(buffer.getvalue().encode("utf-8"))
            buffer.seek(0)
            buffer.truncate()
    return result
