"""Label Studio JSON: a list of tasks, spans as ``labels`` results.

Each document is a task ``{"id", "data": {"text", "doc_id", "title"}, "annotations",
"predictions"}``. Accepted spans go in one annotation per annotator (a team project's
layers; ``created_username`` names the annotator, as Label Studio's own exports do,
and an import reads each annotation back as that annotator's layer, from
``created_username`` or ``completed_by``); pending suggestions (when
exported, ``--status pending`` or ``all``) go in ``predictions`` with their score, one
prediction per origin. Relations between two spans of the task are ``relation``
results (``from_id``/``to_id`` naming the span results, the type as the label) in the
annotation or prediction that holds both ends; links across documents cannot be held
by a task and are counted as left out. Offsets are code points, as current Label
Studio stores them;
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

from annotator.core.models import layer_name
from annotator.formats.records import (
    SHAPE_ERRORS,
    ImportedDocument,
    ImportedSpan,
    RecordProblem,
    file_line,
    shape_problem,
)
from annotator.formats.relations import (
    ImportedEnd,
    ImportedRelation,
    exported_relations,
    split,
)
from annotator.formats.units import Utf16
from annotator.io.atomic import atomic_write_text, atomic_writer
from annotator.io.safejson import JSONProblem, loads_checked

if TYPE_CHECKING:
    from annotator.core.models import Relation, Span
    from annotator.core.project import Project
    from annotator.formats import ExportOptions, ExportResult

FROM_NAME = "label"
TO_NAME = "text"


def labeling_config(labels: list[str], relation_types: list[str] | None = None) -> str:
    items = "\n".join(f"    <Label value={quoteattr(name)}/>" for name in labels)
    relations = ""
    if relation_types:
        kinds = "\n".join(f"    <Relation value={quoteattr(name)}/>" for name in relation_types)
        relations = f"  <Relations>\n{kinds}\n  </Relations>\n"
    return (
        "<View>\n"
        f"{relations}"
        f'  <Labels name="{FROM_NAME}" toName="{TO_NAME}">\n{items}\n  </Labels>\n'
        f'  <Text name="{TO_NAME}" value="$text"/>\n'
        "</View>\n"
    )


def relation_result(relation: Relation, directed: bool) -> dict[str, Any]:
    return {
        "type": "relation",
        "from_id": relation.source.span,
        "to_id": relation.target.span,
        "direction": "right" if directed else "bi",
        "labels": [relation.type],
    }


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
    relations = exported_relations(project, options) if project.relation_count else []
    inside, across = split(relations)
    for link in across:
        result.leave_out(CROSS, f"link {link.id} ({link.type}) joins two tasks; left out")
    directed = {t.name: t.directed for t in project.relation_types}
    with atomic_writer(output) as handle:
        handle.write(b"[\n")
        for n, doc in enumerate(options.documents_of(project), start=1):
            spans = options.spans(doc)
            accepted: dict[str | None, list[dict[str, Any]]] = {}
            for s in spans:
                if s.status == "accepted":
                    accepted.setdefault(layer_name(s), []).append(result_of(s))
            by_origin: dict[str, list[Span]] = {}
            for s in spans:
                if s.status == "pending":
                    by_origin.setdefault(s.origin, []).append(s)
            predictions: list[dict[str, Any]] = [
                {
                    "model_version": origin,
                    "score": max((s.score or 0.0) for s in group),
                    "result": [result_of(s) for s in group],
                }
                for origin, group in sorted(by_origin.items())
            ]
            for relation in inside.get(doc.id, []):
                layer = accepted.get(layer_name(relation), [])
                home = _home(relation, doc.id, layer, predictions, project)
                home.append(relation_result(relation, directed.get(relation.type, True)))
                result.relations += 1
            task = {
                "id": n,
                "data": {"text": doc.text, "doc_id": doc.id, "title": doc.title},
                "annotations": [
                    {"result": results, **({"created_username": name} if name else {})}
                    for name, results in accepted.items()
                ],
                "predictions": predictions,
            }
            prefix = b",\n" if n > 1 else b""
            handle.write(prefix + json.dumps(task, ensure_ascii=False).encode("utf-8"))
            result.documents += 1
            result.spans += len(spans)
        handle.write(b"\n]\n")
    config = output.with_name(output.stem + ".config.xml")
    kinds = sorted({r.type for r in relations}) if relations else []
    atomic_write_text(config, labeling_config([lb.name for lb in project.labels], kinds))
    return result


CROSS = "across documents left out (a Label Studio task holds one text)"


def _home(
    relation: Relation,
    doc_id: str,
    accepted: list[dict[str, Any]],
    predictions: list[dict[str, Any]],
    project: Project,
) -> list[dict[str, Any]]:
    """The result list a relation goes in: the annotation for an accepted relation
    between accepted spans, else its model's prediction, which then also holds its two
    regions (a relation names regions of its own result list)."""
    ends = [relation.source.span, relation.target.span]
    if relation.status == "accepted" and {r.get("id") for r in accepted} >= set(ends):
        return accepted
    origin = relation.origin if relation.is_suggestion else "manual"
    group = next((p for p in predictions if p["model_version"] == origin), None)
    if group is None:
        group = {"model_version": origin, "score": relation.score or 0.0, "result": []}
        predictions.append(group)
    results: list[dict[str, Any]] = group["result"]
    have = {r.get("id") for r in results}
    for span_id in ends:
        span = project.span_of((doc_id, span_id))
        if span_id not in have and span is not None:
            results.append(result_of(span))
    return results


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
            yield from _task(task, where)
        except SHAPE_ERRORS as exc:
            yield RecordProblem(where, f"not a Label Studio task: {shape_problem(exc)}")


def _task(task: Any, where: str) -> Iterator[ImportedDocument | RecordProblem]:  # noqa: C901
    """The task's document, after a problem for each result that cannot be read (the
    rest of the task still comes in with ``--keep-good``).

    Long on purpose: tasks from other tools; each branch is one way a result can be wrong,
    reported while the rest of the task comes in.
    """
    data = task.get("data", {}) if isinstance(task, dict) else {}
    text = data.get("text") if isinstance(data, dict) else None
    if not isinstance(text, str):
        yield RecordProblem(where, "no data.text")
        return
    units = Utf16(text)
    spans: list[ImportedSpan] = []
    relations: list[ImportedRelation] = []
    groups = [(a, False) for a in task.get("annotations") or []]
    groups += [(p, True) for p in task.get("predictions") or []]
    for group, predicted in groups:
        author = None if predicted else _annotator(group)
        for k, item in enumerate(group.get("result") or [], start=1):
            value = item.get("value") or {}
            if item.get("type") == "relation":
                for kind in item.get("labels") or []:
                    relations.append(
                        ImportedRelation(
                            where,
                            str(kind),
                            ImportedEnd(span=str(item["from_id"])),
                            ImportedEnd(span=str(item["to_id"])),
                            status="pending" if predicted else None,
                            author=author,
                        )
                    )
                continue
            if item.get("type") != "labels" or "start" not in value:
                continue
            try:
                start, end = int(value["start"]), int(value["end"])
            except (KeyError, TypeError, ValueError):
                yield RecordProblem(
                    f"{where}, result {k}",
                    f"start and end must be whole numbers, not {value.get('start')!r} and "
                    f"{value.get('end')!r}",
                )
                continue
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
                        author=author,
                        id=None if item.get("id") is None else str(item["id"]),
                    )
                )
    yield ImportedDocument(
        where=where,
        text=text,
        id=data.get("doc_id") or (str(task["id"]) if "id" in task else None),
        title=str(data.get("title", "")),
        spans=tuple(spans),
        relations=tuple(relations),
    )


def _annotator(annotation: Any) -> str | None:
    """Who made an annotation: Label Studio writes ``created_username`` as
    ``"email, id"`` and ``completed_by`` as a user id (or an object with an email)."""
    name = annotation.get("created_username")
    if isinstance(name, str) and name.strip(" ,"):
        return name.split(",")[0].strip() or None
    by = annotation.get("completed_by")
    if isinstance(by, dict):
        found = by.get("email") or by.get("username")
        return str(found) if found else None
    if isinstance(by, int) and not isinstance(by, bool):
        return f"user {by}"
    return None
