"""The readable comparison report, in Markdown and as one self-contained HTML page:
what every outlet reports, what only one does, each disagreement grouped by what it is
about (the wordings, with the outlets that use each and where), coverage, the matrix.

Outlets are named as :func:`annotator.core.provenance.column_names` names them; places
are paragraphs. Every string of the data is escaped (Markdown and HTML): nothing in an
article can open a link, a tag or a script.
"""

from __future__ import annotations

import html
from collections import Counter
from dataclasses import dataclass

from annotator.core.comparison import Comparison, Row, first_notes
from annotator.core.wording import count

MANY_MARKS = 3  # a matrix cell with more marks than this counts them instead


def summary(comp: Comparison) -> str:
    conflicts = comp.conflicts()
    contradictions = sum(m.type == "contradicts" for _r, m in conflicts)
    return (
        f"{count(len(comp.rows), 'row')} over {count(len(comp.documents), 'document')}; "
        f"{len(comp.filtered('everywhere'))} in all, {len(comp.filtered('one'))} in only one; "
        f"{count(contradictions, 'contradiction')}, "
        f"{count(len(conflicts) - contradictions, 'difference')}"
    )


def _where(comp: Comparison, doc: str, row: Row) -> str:
    """Where a mention is, as a reader finds it: its paragraph."""
    return f"paragraph {comp.paragraph(doc, row.cells[doc].starts[0])}"


def _title(comp: Comparison, doc: str, limit: int = 60) -> str:
    """The document's name in the report: its outlet (and date), else its title."""
    text = " ".join(comp.name(doc).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class Disagreement:
    """The contradictions and differences of one row: how many pairs of each type,
    the notes that describe them, and each wording with the outlets that use it."""

    row: Row
    kinds: dict[str, int]
    notes: tuple[str, ...]
    variants: tuple[tuple[str, tuple[str, ...]], ...]


def disagreements(comp: Comparison) -> list[Disagreement]:
    order = {d: i for i, d in enumerate(comp.documents)}
    last = len(order)
    out = []
    for row in comp.rows:
        marks = [(doc, m) for doc, cell in row.cells.items() for m in cell.marks]
        if not marks:
            continue
        # each pair once, seen from its first document (the other side mirrors it)
        once = [m for doc, m in marks if order.get(doc, last) < order.get(m.other, last)]
        kinds = Counter(m.type for m in once)
        notes = first_notes(once)
        involved = {doc for doc, _m in marks} | {m.other for _doc, m in marks}
        by_wording: dict[str, list[str]] = {}
        for doc in comp.documents:
            if doc in involved and doc in row.cells:
                wording = " ".join(row.cells[doc].texts[0].split())
                by_wording.setdefault(wording, []).append(doc)
        variants = tuple((w, tuple(docs)) for w, docs in by_wording.items())
        out.append(Disagreement(row, dict(kinds), notes, variants))
    return out


def _places(comp: Comparison, row: Row, docs: tuple[str, ...]) -> str:
    """``Coastal Courier (paragraph 2); Bay Radio News (paragraph 4)``"""
    return "; ".join(f"{_title(comp, d)} ({_where(comp, d, row)})" for d in docs)


def _heading(item: Disagreement) -> str:
    """``contradicts (2 pairs), differs (1 pair): claim “shot six times” (count: 6 / 5)``"""
    kinds = ", ".join(f"{kind} ({count(n, 'pair')})" for kind, n in sorted(item.kinds.items()))
    said = f" ({'; '.join(item.notes)})" if item.notes else ""
    return f"{kinds}: {item.row.label} “{item.row.name}”{said}"


def _cell_marks(comp: Comparison, row: Row, doc: str) -> list[str]:
    """What a matrix cell says of its marks: each (with the other outlet) when few,
    else how many of each type."""
    marks = row.cells[doc].marks
    if len(marks) <= MANY_MARKS:
        return [f"{m.type} {_title(comp, m.other, 30)}: {m.note}" for m in marks]
    others: dict[str, set[str]] = {}  # several mentions may disagree with one outlet
    for m in marks:
        others.setdefault(m.type, set()).add(m.other)
    counted = {kind: len(docs) for kind, docs in others.items()}
    return [f"{kind} with {count(n, 'outlet')}" for kind, n in sorted(counted.items())]


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
    per = comp.per_document()
    lines = ["# Comparison of the outlets", "", summary(comp) + ".", ""]
    lines += ["## What every outlet reports", ""]
    everywhere = comp.filtered("everywhere")
    lines += [f"- {_md(row.label)}: {_md(row.name)}" for row in everywhere] or ["Nothing."]
    lines += ["", "## What only one outlet reports", ""]
    for d in comp.documents:
        unique = per[d][1]
        lines.append(f"### {_md(_title(comp, d))} ({len(unique)})")
        lines.append("")
        lines += [f"- {_md(row.label)}: {_md(row.cells[d].text)}" for row in unique] or ["Nothing."]
        lines.append("")
    lines += ["## Contradictions and differences", ""]
    found = disagreements(comp)
    if not found:
        lines.append("None marked.")
    for item in found:
        lines.append(f"- {_md(_heading(item))}")
        for wording, docs in item.variants:
            lines.append(f"  - “{_md(wording)}”: {_md(_places(comp, item.row, docs))}")
    lines += ["", "## Coverage per outlet", ""]
    lines += ["| outlet | rows it has | only it has |", "|---|---|---|"]
    total = len(comp.rows)
    for d in comp.documents:
        have, only = per[d]
        lines.append(f"| {_md(_title(comp, d))} | {have} of {total} | {len(only)} |")
    lines += ["", "## The matrix", ""]
    lines.append("| label | " + " | ".join(_md(_title(comp, d)) for d in comp.documents) + " |")
    lines.append("|---|" + "---|" * len(comp.documents))
    for row in comp.rows:
        cells = []
        for d in comp.documents:
            cell = row.cells.get(d)
            text = _md(cell.text) if cell else "—"
            if cell and cell.marks:
                text += " ⚠ " + _md("; ".join(_cell_marks(comp, row, d)))
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
        "<h2>What every outlet reports</h2>",
    ]
    per = comp.per_document()
    everywhere = comp.filtered("everywhere")
    parts += _html_list([f"{r.label}: {r.name}" for r in everywhere])
    parts.append("<h2>What only one outlet reports</h2>")
    for d in comp.documents:
        unique = per[d][1]
        parts.append(f"<h3>{_h(_title(comp, d))} ({len(unique)})</h3>")
        parts += _html_list([f"{r.label}: {r.cells[d].text}" for r in unique])
    parts.append("<h2>Contradictions and differences</h2>")
    found = disagreements(comp)
    if not found:
        parts.append("<p>None marked.</p>")
    else:
        parts.append("<ul>")
        for item in found:
            parts.append(f"<li><strong>{_h(_heading(item))}</strong><ul>")
            for wording, docs in item.variants:
                parts.append(f"<li>“{_h(wording)}”: {_h(_places(comp, item.row, docs))}</li>")
            parts.append("</ul></li>")
        parts.append("</ul>")
    parts.append(
        "<h2>Coverage per outlet</h2><table><thead><tr><th>outlet</th><th>rows it has</th>"
        "<th>only it has</th></tr></thead><tbody>"
    )
    for d in comp.documents:
        have, only = per[d]
        parts.append(
            f"<tr><td>{_h(_title(comp, d))}</td><td>{have} of {len(comp.rows)}</td>"
            f"<td>{len(only)}</td></tr>"
        )
    parts.append("</tbody></table>")
    parts.append("<h2>The matrix</h2><table><thead><tr><th>label</th>")
    parts += [f"<th>{_h(_title(comp, d))}</th>" for d in comp.documents]
    parts.append("</tr></thead><tbody>")
    for row in comp.rows:
        parts.append(f"<tr><td>{_h(row.label)}</td>")
        parts += [_html_cell(comp, row, d) for d in comp.documents]
        parts.append("</tr>")
    parts.append("</tbody></table></body></html>")
    return "\n".join(parts) + "\n"


def _html_list(items: list[str]) -> list[str]:
    """An escaped list, or "Nothing." when there is nothing."""
    if not items:
        return ["<p>Nothing.</p>"]
    return ["<ul>", *(f"<li>{_h(item)}</li>" for item in items), "</ul>"]


def _html_cell(comp: Comparison, row: Row, doc: str) -> str:
    cell = row.cells.get(doc)
    if cell is None:
        return '<td class="missing">—</td>'
    kinds = sorted({m.type for m in cell.marks})
    css = f' class="{_h(kinds[0])}"' if kinds else ""
    marks = "".join(f'<span class="mark">{_h(said)}</span>' for said in _cell_marks(comp, row, doc))
    return f"<td{css}>{_h(cell.text)}{marks}</td>"
