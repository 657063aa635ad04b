"""Compare: the comparison matrix of a project, and the report written from it, the
same for ``annotator compare`` and File ▸ Export Comparison… (and, for the matrix, the
View ▸ Compare panel).

Formats (:data:`FORMATS`):

- ``md``: a report a journalist can send (:mod:`annotator.ops.report`): what every
  outlet reports, what only one does, each disagreement with its wordings, the outlets
  using each and the paragraph, coverage per outlet, then the whole matrix; documents
  are named by outlet and date;
- ``html``: the same report as one self-contained page (inline style, no scripts,
  every article string escaped);
- ``csv``: the matrix, one row per row, one column per document (its mention), plus
  label, coverage and what differs; loads in pandas and spreadsheets;
- ``json``: everything, with span ids and offsets, for analysis.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Sequence
from pathlib import Path

from annotator.core.cells import CsvWriter
from annotator.core.comparison import Comparison, Row, compare
from annotator.core.project import Project
from annotator.io.atomic import atomic_write_text
from annotator.ops.report import summary as summary
from annotator.ops.report import to_html, to_markdown

FORMATS = ("md", "html", "csv", "json")
EXTENSIONS = {"md": ".md", "html": ".html", "csv": ".csv", "json": ".json"}


def comparison(
    project: Project,
    documents: Sequence[str] | None = None,
    labels: Iterable[str] | None = None,
    pending: bool = False,
) -> Comparison:
    """The matrix of ``documents`` (all when None); ValueError naming unknown ids."""
    if documents is not None:
        documents = list(dict.fromkeys(documents))  # a document named twice is one column
        missing = [d for d in documents if not project.has_document(d)]
        if missing:
            raise ValueError(f"no such documents: {', '.join(missing)}")
    from annotator.extract.facts import describe_difference  # 45 ms: not at start-up

    return compare(project, documents, labels=labels, pending=pending, describe=describe_difference)


def chosen(
    project: Project,
    documents: Sequence[str] | None = None,
    labels: Iterable[str] | None = None,
    which: str = "all",
    pending: bool = False,
) -> Comparison:
    """The comparison a report shows: ``documents`` in column order (all when None),
    spans of ``labels`` (all when None), the rows ``which`` lets through
    (:data:`annotator.core.comparison.FILTERS`); the one choice ``annotator compare``
    and the window's Export Comparison both make."""
    comp = comparison(project, documents, labels, pending)
    comp.rows = comp.filtered(which)
    return comp


def export(
    project: Project,
    output: Path,
    fmt: str,
    *,
    documents: Sequence[str] | None = None,
    labels: Iterable[str] | None = None,
    which: str = "all",
    pending: bool = False,
    raw_csv: bool = False,
) -> Comparison:
    """Write the report of :func:`chosen` to ``output`` (atomically) in ``fmt``: what
    ``annotator compare -o`` and File ▸ Export Comparison… write, byte for byte."""
    comp = chosen(project, documents, labels, which, pending)
    write(comp, fmt, output, raw_csv=raw_csv)
    return comp


def format_for(path: Path, fmt: str | None) -> str:
    """The format asked for, else the one the file name ends in."""
    if fmt:
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
        return fmt
    for name, ext in EXTENSIONS.items():
        if path.suffix.lower() == ext:
            return name
    raise ValueError(f"cannot tell the format from {path.name!r}; give one of {', '.join(FORMATS)}")


def render(comp: Comparison, fmt: str, *, raw_csv: bool = False) -> str:
    if fmt == "csv":
        return to_csv(comp, raw=raw_csv)
    return {"md": to_markdown, "html": to_html, "json": to_json}[fmt](comp)


def write(comp: Comparison, fmt: str, path: Path, *, raw_csv: bool = False) -> None:
    atomic_write_text(path, render(comp, fmt, raw_csv=raw_csv))


# --- rows as plain values -------------------------------------------------------------


def _mark_text(row: Row, doc: str) -> str:
    cell = row.cells.get(doc)
    if cell is None or not cell.marks:
        return ""
    return "; ".join(f"{m.type} {m.other}: {m.note}" for m in cell.marks)


def to_json(comp: Comparison) -> str:
    data = {
        "documents": [
            {"id": d, "name": comp.name(d), "title": comp.titles[d], **comp.outlets.get(d, {})}
            for d in comp.documents
        ],
        "coverage": {d: have for d, (have, _only) in comp.per_document().items()},
        "rows": [
            {
                "id": row.id,
                "label": row.label,
                "name": row.name,
                "coverage": row.coverage,
                "cells": {
                    doc: {
                        "mentions": [
                            {"span": k[1], "start": s, "text": t}
                            for k, s, t in zip(cell.members, cell.starts, cell.texts, strict=True)
                        ],
                        "marks": [
                            {
                                "type": m.type,
                                "other": m.other,
                                "note": m.note,
                                "relation": m.relation,
                            }
                            for m in cell.marks
                        ],
                    }
                    for doc, cell in row.cells.items()
                },
            }
            for row in comp.rows
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def to_csv(comp: Comparison, *, raw: bool = False) -> str:
    out = io.StringIO()
    writer = CsvWriter(out, raw=raw)
    names = [comp.name(d) for d in comp.documents]
    writer.writerow(["row", "label", "name", "coverage", *names, "differences"])
    order = {d: i for i, d in enumerate(comp.documents)}
    for row in comp.rows:
        cells = [row.cells[d].text if d in row.cells else "" for d in comp.documents]
        marks = "; ".join(
            f"{comp.name(doc)} {m.type} {comp.name(m.other)}: {m.note}"
            for doc in comp.documents
            if doc in row.cells
            for m in row.cells[doc].marks
            if order[doc] < order.get(m.other, len(order))
        )
        writer.writerow([row.id, row.label, row.name, row.coverage, *cells, marks])
    return out.getvalue()
