"""Adjudication as one set of operations for the CLI and the window: which layers to
compare, the queue, the outcome of every item, and rendering it."""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from typing import Any

from annotator.core import adjudication
from annotator.core.adjudication import Item, layers_of
from annotator.core.cells import CsvWriter
from annotator.core.commands import EditError
from annotator.core.project import Project

FORMATS = ("table", "json", "csv")


def chosen_layers(project: Project, annotators: Sequence[str] | None) -> list[str]:
    """The layers to compare: those asked for (all must have work), else everyone's."""
    known = layers_of(project)
    if not annotators:
        if len(known) < 2:
            found = ", ".join(known) or "nobody"
            raise EditError(f"adjudication needs two annotators' work or more; found {found}")
        return known
    missing = [a for a in annotators if a not in known]
    if missing:
        raise EditError(
            f"no work by {', '.join(map(repr, missing))} (annotators here: "
            f"{', '.join(known) or 'nobody'})"
        )
    if len(set(annotators)) < 2:
        raise EditError("adjudication compares two annotators or more")
    return list(dict.fromkeys(annotators))


def item_record(item: Item, outcome: str) -> dict[str, Any]:
    return {
        "document": item.document,
        "start": item.start,
        "end": item.end,
        "kind": item.kind,
        "agreement": round(item.agreement, 4),
        "outcome": outcome,
        "layers": {
            name: [
                {"start": s.start, "end": s.end, "label": s.label, "text": s.text} for s in spans
            ]
            for name, spans in item.spans.items()
        }
        | {
            name: [{"type": r.type, "source": r.source.key, "target": r.target.key} for r in rs]
            for name, rs in item.relations.items()
        },
    }


def report(project: Project, layers: Sequence[str]) -> list[dict[str, Any]]:
    return [item_record(i, o) for i, o in adjudication.outcomes(project, layers)]


def render(records: list[dict[str, Any]], fmt: str, *, raw_csv: bool = False) -> str:
    if fmt == "json":
        return json.dumps(records, indent=2, ensure_ascii=False) + "\n"
    rows = [
        [
            r["document"],
            str(r["start"]),
            str(r["end"]),
            r["kind"],
            f"{r['agreement']:.2f}",
            r["outcome"],
            "; ".join(
                f"{name}: " + (", ".join(_said(x) for x in said) or "nothing")
                for name, said in r["layers"].items()
            ),
        ]
        for r in records
    ]
    header = ["document", "start", "end", "kind", "agreement", "outcome", "what each said"]
    if fmt == "csv":
        buffer = io.StringIO()
        writer = CsvWriter(buffer, raw=raw_csv)
        writer.writerow(header)
        writer.writerows(rows)
        return buffer.getvalue()
    if fmt != "table":
        raise ValueError(f"unknown format {fmt!r}; use table, json or csv")
    widths = [max(len(r[k]) for r in [header, *rows]) for k in range(len(header) - 1)]
    lines = []
    for row in [header, *rows]:
        lines.append(
            "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=False)) + "  " + row[-1]
        )
    counts: dict[str, int] = {}
    for r in records:
        counts[r["outcome"]] = counts.get(r["outcome"], 0) + 1
    summary = ", ".join(f"{n} {k}" for k, n in sorted(counts.items())) or "nothing to adjudicate"
    return "\n".join([*lines, "", summary, ""])


def _said(x: dict[str, Any]) -> str:
    if "label" in x:
        return f"{x['label']} {x['text']!r}"
    return str(x["type"])
