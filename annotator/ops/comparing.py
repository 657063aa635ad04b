"""Compare: the comparison matrix of a project, and the report written from it, the
same for ``annotator compare`` and File ▸ Export Comparison… (and, for the matrix, the
View ▸ Compare panel).

Formats (:data:`FORMATS`):

- ``md``: a report a journalist can send: coverage per outlet, what only one outlet
  has, every contradiction and difference with both wordings and where they are, then
  the whole matrix;
- ``html``: the same report as one self-contained page (inline style, no scripts,
  every article string escaped);
- ``csv``: the matrix, one row per row, one column per document (its mention), plus
  label, coverage and what differs; loads in pandas and spreadsheets;
- ``json``: everything, with span ids and offsets, for analysis.
"""

from __future__ import annotations

import html
import io
import json
from collections.abc import Iterable, Sequence
from pathlib import Path

from annotator.core.cells import CsvWriter
from annotator.core.comparison import Comparison, Row, compare
from annotator.core.project import Project
from annotator.core.wording import count
from annotator.io.atomic import atomic_write_text

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


def summary(comp: Comparison) -> str:
    conflicts = comp.conflicts()
    contradictions = sum(m.type == "contradicts" for _r, m in conflicts)
    return (
        f"{count(len(comp.rows), 'row')} over {count(len(comp.documents), 'document')}; "
        f"{len(comp.filtered('everywhere'))} in all, {len(comp.filtered('one'))} in only one; "
        f"{count(contradictions, 'contradiction')}, "
        f"{count(len(conflicts) - contradictions, 'difference')}"
    )


# --- rows as plain values -------------------------------------------------------------


def _where(comp: Comparison, doc: str, row: Row) -> str:
    """Where a mention is: the document's id and the character it starts at."""
    return f"{doc}, character {row.cells[doc].starts[0]}"


def _title(comp: Comparison, doc: str, limit: int = 60) -> str:
    text = " ".join(comp.titles[doc].split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _mark_text(row: Row, doc: str) -> str:
    cell = row.cells.get(doc)
    if cell is None or not cell.marks:
        return ""
    return "; ".join(f"{m.type} {m.other}: {m.note}" for m in cell.marks)


def to_json(comp: Comparison) -> str:
    data = {
        "documents": [{"id": d, "title": comp.titles[d]} for d in comp.documents],
        "coverage": {d: comp.coverage(d) for d in comp.documents},
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
    writer.writerow(["row", "label", "name", "coverage", *comp.documents, "differences"])
    for row in comp.rows:
        cells = [row.cells[d].text if d in row.cells else "" for d in comp.documents]
        marks = "; ".join(
            f"{doc} {m.type} {m.other}: {m.note}"
            for doc in comp.documents
            if doc in row.cells
            for m in row.cells[doc].marks
            if comp.documents.index(doc) < comp.documents.index(m.other)
        )
        writer.writerow([row.id, row.label, row.name, row.coverage, *cells, marks])
    return out.getvalue()


# --- the readable report ---------------------------------------------------------------


_MD_ESCAPED = str.maketrans(
    {
        **{ch: "\\" + ch for ch in "\\`*_[]()|#!~{}"},
        # as entities, which every renderer shows as the characters: no HTML tag
        # (<script, <iframe) and no autolink (<javascript:...>) can open
        "<": "&lt;",
        ">": "&gt;",
        "&": "&amp;",
    }
)


def _md(text: str) -> str:
    """A Markdown cell or line from a string of the data (a title, a text, a label, a
    note): one line, every character a renderer would interpret escaped, so that what
    is shown is the text itself: no link (``](javascript:``), image, HTML, emphasis,
    heading or table cell can come of it."""
    return " ".join(str(text).split()).translate(_MD_ESCAPED)


def to_markdown(comp: Comparison) -> str:
    lines = ["# Comparison of the outlets", "", summary(comp) + ".", ""]
    lines += ["## Coverage per outlet", ""]
    lines += ["| document | rows it has | only it has |", "|---|---|---|"]
    total = len(comp.rows)
    for d in comp.documents:
        lines.append(
            f"| {_md(_title(comp, d))} | {comp.coverage(d)} of {total} | {len(comp.unique(d))} |"
        )
    lines += ["", "## Contradictions and differences", ""]
    conflicts = comp.conflicts_at()
    if not conflicts:
        lines.append("None marked.")
    for row, first, mark in conflicts:
        a, b = row.cells[first], row.cells[mark.other]
        lines += [
            f"- **{_md(mark.type)}** ({_md(mark.note)}), {_md(row.label)} “{_md(row.name)}”",
            f"  - {_md(_title(comp, first))}: “{_md(' '.join(a.texts[0].split()))}” "
            f"({_md(_where(comp, first, row))})",
            f"  - {_md(_title(comp, mark.other))}: “{_md(' '.join(b.texts[0].split()))}” "
            f"({_md(_where(comp, mark.other, row))})",
        ]
    lines += ["", "## Only in one outlet", ""]
    for d in comp.documents:
        unique = comp.unique(d)
        lines.append(f"### {_md(_title(comp, d))} ({len(unique)})")
        lines.append("")
        lines += [f"- {_md(row.label)}: {_md(row.cells[d].text)}" for row in unique] or ["Nothing."]
        lines.append("")
    lines += ["## The matrix", ""]
    lines.append("| label | " + " | ".join(_md(_title(comp, d)) for d in comp.documents) + " |")
    lines.append("|---|" + "---|" * len(comp.documents))
    for row in comp.rows:
        cells = []
        for d in comp.documents:
            cell = row.cells.get(d)
            text = _md(cell.text) if cell else "—"
            if cell and cell.marks:
                text += " ⚠ " + _md("; ".join(f"{m.type}: {m.note}" for m in cell.marks))
            cells.append(text)
        lines.append(f"| {_md(row.label)} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


_STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 1100px; color: #222; }
table { border-collapse: collapse; width: 100%; margin: 1em 0; }
th, td { border: 1px solid #ccc; padding: 4px 8px; vertical-align: top; text-align: left; }
th { background: #f3f3f3; }
td.missing { color: #aaa; text-align: center; }
td.contradicts { background: #fde7e7; }
td.differs { background: #fff1dc; }
.mark { display: block; font-size: 90%; color: #8a1c1c; }
"""


def _h(text: str) -> str:
    return html.escape(" ".join(text.split()), quote=True)


def to_html(comp: Comparison) -> str:
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        "<title>Comparison of the outlets</title>",
        f"<style>{_STYLE}</style></head><body>",
        "<h1>Comparison of the outlets</h1>",
        f"<p>{_h(summary(comp))}.</p>",
        "<h2>Coverage per outlet</h2>",
        "<table><thead><tr><th>document</th><th>rows it has</th><th>only it has</th></tr>"
        "</thead><tbody>",
    ]
    for d in comp.documents:
        parts.append(
            f"<tr><td>{_h(_title(comp, d))}</td><td>{comp.coverage(d)} of {len(comp.rows)}</td>"
            f"<td>{len(comp.unique(d))}</td></tr>"
        )
    parts.append("</tbody></table><h2>Contradictions and differences</h2>")
    conflicts = comp.conflicts_at()
    if not conflicts:
        parts.append("<p>None marked.</p>")
    else:
        parts.append("<ul>")
        for row, first, mark in conflicts:
            a, b = row.cells[first], row.cells[mark.other]
            parts.append(
                f"<li><strong>{_h(mark.type)}</strong> ({_h(mark.note)}), "
                f"{_h(row.label)} “{_h(row.name)}”<ul>"
                f"<li>{_h(_title(comp, first))}: “{_h(a.texts[0])}” "
                f"({_h(_where(comp, first, row))})</li>"
                f"<li>{_h(_title(comp, mark.other))}: “{_h(b.texts[0])}” "
                f"({_h(_where(comp, mark.other, row))})</li></ul></li>"
            )
        parts.append("</ul>")
    parts.append("<h2>Only in one outlet</h2>")
    for d in comp.documents:
        unique = comp.unique(d)
        parts.append(f"<h3>{_h(_title(comp, d))} ({len(unique)})</h3>")
        if unique:
            parts.append("<ul>")
            parts += [f"<li>{_h(r.label)}: {_h(r.cells[d].text)}</li>" for r in unique]
            parts.append("</ul>")
        else:
            parts.append("<p>Nothing.</p>")
    parts.append("<h2>The matrix</h2><table><thead><tr><th>label</th>")
    parts += [f"<th>{_h(_title(comp, d))}</th>" for d in comp.documents]
    parts.append("</tr></thead><tbody>")
    for row in comp.rows:
        parts.append(f"<tr><td>{_h(row.label)}</td>")
        for d in comp.documents:
            cell = row.cells.get(d)
            if cell is None:
                parts.append('<td class="missing">—</td>')
                continue
            kinds = sorted({m.type for m in cell.marks})
            css = f' class="{_h(kinds[0])}"' if kinds else ""
            marks = "".join(
                f'<span class="mark">{_h(m.type)}: {_h(m.note)}</span>' for m in cell.marks
            )
            parts.append(f"<td{css}>{_h(cell.text)}{marks}</td>")
        parts.append("</tr>")
    parts.append("</tbody></table></body></html>")
    return "\n".join(parts) + "\n"
