"""Our JSONL: one document a line, ``{"id", "text", "spans", "meta"}``, code-point offsets.

Every span satisfies ``text[start:end] == span["text"]`` in Python. Documents are
written one at a time, so memory does not grow with the corpus.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.core.project import Document
from annotator.core.store import atomic_writer

if TYPE_CHECKING:
    from annotator.core.project import Project
    from annotator.formats import ExportOptions


def document_record(doc: Document, labels: frozenset[str] | None) -> dict[str, Any]:
    spans = [
        {
            "id": s.id,
            "start": s.start,
            "end": s.end,
            "label": s.label,
            "text": s.text,
            "note": s.note,
            "attributes": dict(sorted(s.attributes.items())),
            "origin": s.origin,
            "author": s.author,
        }
        for s in doc.spans()
        if labels is None or s.label in labels
    ]
    meta = {"title": doc.title, "source": doc.source, "path": doc.path, "text_hash": doc.text_hash}
    meta.update(doc.meta)
    return {"id": doc.id, "text": doc.text, "spans": spans, "meta": meta}


def write(project: Project, output: Path, options: ExportOptions) -> int:
    """Write the project to ``output``; returns the number of documents written."""
    count = 0
    with atomic_writer(output) as handle:
        for doc in project.documents:
            if options.documents is not None and doc.id not in options.documents:
                continue
            line = json.dumps(document_record(doc, options.labels), ensure_ascii=False)
            handle.write(line.encode("utf-8") + b"\n")
            count += 1
    return count
