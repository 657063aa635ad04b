"""Label Studio JSON: a list of tasks, spans as ``labels`` results.

Each document is a task ``{"id", "data": {"text", "doc_id", "title"}, "annotations",
"predictions"}``. Accepted spans go in one annotation; pending suggestions (when
exported, ``--status pending`` or ``all``) go in ``predictions`` with their score, one
prediction per origin. Offsets are code points, as current Label Studio stores them;
on import a result whose ``text`` does not match is tried again as UTF-16 units (older
versions), and reported if neither fits. The labeling config to use is written beside
the file as ``<name>.config.xml``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import quoteattr

from annotator.formats.records import (
    SHAPE_ERRORS,
    ImportedDocument,
    ImportedSpan,
    RecordProblem,
    file_line,
    shape_problem,
)
from annotator.formats.units import Utf16
from annotator.io.atomic import atomic_write_text, atomic_writer
from annotator.io.safejson import JSONProblem, loads_checked

if TYPE_CHECKING:
    from annotator.core.models import Span
    from annotator.core.project import Project
    from annotator.formats import ExportOptions, ExportResult

FROM_NAME = "label"
TO_NAME = "text"


def labeling_config(labels: list[str]) -> str:
    items = "\n".join(f"    <Label value={quoteattr(name)}/>" for name in labels)
    return (
        "<View>\n"
        f'  <Labels name="{FROM_NAME}" toName="{TO_NAME}">\n{items}\n  </Labels>\n'
        f'  <Text name="{TO_NAME}" value="$text"/>\n'
        "</View>\n"
    )


def result_of(span: Span) -> dict[str, Any]:
    return {
        "id": span.id,
        "from_name": FROM_NAME,
        "to_name": TO_NAME,
        "type": "labels",
        "origin": "manual" if not span.is_suggestion else "prediction",
        "value": {"start": span.start, "end": span.end, "text": span.text, "labels": [span.label]},
        **({"score": span.score} if span.score is not None else {}),
    }


def write(project: Project, output: Path, options: ExportOptions) -> ExportResult:
    from annotator.formats import ExportResult

    result = ExportResult()
    with atomic_writer(output) as handle:
        handle.write(b"[\n")
        for n, doc in enumerate(options.documents_of(project), start=1):
            spans = options.spans(doc)
            accepted = [result_of(s) for s in spans if s.status == "accepted"]
            by_origin: dict[str, list[Span]] = {}
            for s in spans:
                if s.status == "pending":
                    by_origin.setdefault(s.origin, []).append(s)
            task = {
                "id": n,
                "data": {"text": doc.text, "doc_id": doc.id, "title": doc.title},
                "annotations": [{"result": accepted}] if accepted else [],
                "predictions": [
                    {
                        "model_version": origin,
                        "score": max((s.score or 0.0) for s in group),
                        "result": [result_of(s) for s in group],
                    }
                    for origin, group in sorted(by_origin.items())
                ],
            }
            prefix = b",\n" if n > 1 else b""
            handle.write(prefix + json.dumps(task, ensure_ascii=False).encode("utf-8"))
            result.documents += 1
            result.spans += len(spans)
        handle.write(b"\n]\n")
    config = output.with_name(output.stem + ".config.xml")
    atomic_write_text(config, labeling_config([lb.name for lb in project.labels]))
    return result


def read(path: Path) -> Iterator[ImportedDocument | RecordProblem]:
    try:
        tasks = loads_checked(path.read_bytes())
    except JSONProblem as exc:
        yield RecordProblem(file_line(path, exc), f"not JSON that can be read: {exc.message}")
        return
    if isinstance(tasks, dict):
        tasks = [tasks]
    if not isinstance(tasks, list):
        yield RecordProblem(path.name, "not Label Studio tasks: expected a list of tasks")
        return
    for n, task in enumerate(tasks, start=1):
        where = f"{path.name}, task {n}"
        try:
            yield _task(task, where)
        except SHAPE_ERRORS as exc:
            yield RecordProblem(where, f"not a Label Studio task: {shape_problem(exc)}")


def _task(task: Any, where: str) -> ImportedDocument | RecordProblem:
    data = task.get("data", {}) if isinstance(task, dict) else {}
    text = data.get("text") if isinstance(data, dict) else None
    if not isinstance(text, str):
        return RecordProblem(where, "no data.text")
    units = Utf16(text)
    spans: list[ImportedSpan] = []
    groups = [(a, False) for a in task.get("annotations") or []]
    groups += [(p, True) for p in task.get("predictions") or []]
    for group, predicted in groups:
        for item in group.get("result") or []:
            value = item.get("value") or {}
            if item.get("type") != "labels" or "start" not in value:
                continue
            start, end = int(value["start"]), int(value["end"])
            expected = value.get("text")
            if expected is not None and text[start:end] != expected:
                a, b = units.to_cp(start), units.to_cp(end)  # an older, UTF-16 export?
                if a is not None and b is not None and text[a:b] == expected:
                    start, end = a, b
            for label in value.get("labels") or []:
                spans.append(
                    ImportedSpan(
                        start,
                        end,
                        label,
                        expected,
                        score=item.get("score", group.get("score")) if predicted else None,
                        status="pending" if predicted else "accepted",
                        origin=(group.get("model_version") or "prediction") if predicted else None,
                    )
                )
    return ImportedDocument(
        where=where,
        text=text,
        id=data.get("doc_id") or (str(task["id"]) if "id" in task else None),
        title=str(data.get("title", "")),
        spans=tuple(spans),
    )
