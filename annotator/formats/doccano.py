"""doccano sequence-labeling JSONL: ``{"text", "label": [[start, end, "LABEL"], ...]}``.

doccano counts offsets in JavaScript string units (UTF-16), so a span after an emoji
is one further along than in Python: offsets are converted both ways here. ``id``
and ``meta`` (title, source) travel as extra keys, which doccano keeps.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from annotator.formats.jsonl import json_line, lines
from annotator.formats.records import ImportedDocument, ImportedSpan, RecordProblem, shape_problem
from annotator.formats.units import Utf16
from annotator.io.atomic import atomic_writer

if TYPE_CHECKING:
    from annotator.core.project import Project
    from annotator.formats import ExportOptions, ExportResult


def write(project: Project, output: Path, options: ExportOptions) -> ExportResult:
    from annotator.formats import ExportResult

    result = ExportResult()
    with atomic_writer(output) as handle:
        for doc in options.documents_of(project):
            units = Utf16(doc.text)
            labels = [
                [units.to_units(s.start), units.to_units(s.end), s.label]
                for s in options.spans(doc)
            ]
            record = {
                "id": doc.id,
                "text": doc.text,
                "label": labels,
                "meta": {"title": doc.title, "source": doc.source},
            }
            handle.write(json_line(record))
            result.documents += 1
            result.spans += len(labels)
    return result


def read(path: Path) -> Iterator[ImportedDocument | RecordProblem]:
    for line in lines(path):
        if isinstance(line, RecordProblem):
            yield line
            continue
        where, obj = line
        try:
            text = obj["text"]
            units = Utf16(text)
            spans = []
            for n, item in enumerate(obj.get("label") or obj.get("labels") or [], start=1):
                try:  # a bad item costs that span, not the record's others
                    start, end, label = item[0], item[1], item[2]
                    a, b = units.to_cp(int(start)), units.to_cp(int(end))
                except (ValueError, TypeError, IndexError, KeyError):
                    yield RecordProblem(
                        where, f"span {n}: expected [start, end, label], not {item!r:.80}"
                    )
                    continue
                if a is None or b is None:
                    size = units.to_units(units.length)
                    why = (
                        f"is outside the text (0-{size}, in UTF-16 units as doccano counts)"
                        if max(int(start), int(end)) > size or min(int(start), int(end)) < 0
                        else "splits a character"
                    )
                    yield RecordProblem(where, f"span {n}: offset {start}-{end} {why}")
                    continue
                spans.append(ImportedSpan(a, b, str(label)))
            meta = obj.get("meta") or {}
            yield ImportedDocument(
                where=where,
                text=text,
                id=None if obj.get("id") is None else str(obj["id"]),
                title=str(meta.get("title", "")) if isinstance(meta, dict) else "",
                source=str(meta.get("source", "")) if isinstance(meta, dict) else "",
                spans=tuple(spans),
            )
        except (ValueError, KeyError, TypeError, IndexError) as exc:
            yield RecordProblem(where, f"not a doccano record: {shape_problem(exc)}")
