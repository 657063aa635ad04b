"""W3C Web Annotation (JSON-LD): an ``AnnotationCollection`` whose page holds one
``Annotation`` per span.

Each annotation targets its document (``urn:annotator:document:ID``) through a
``TextPositionSelector`` (``start``/``end`` in code points, as the model requires) and
a ``TextQuoteSelector`` (``exact`` with 32 characters of ``prefix``/``suffix``), and
carries its label as a ``TextualBody`` with purpose ``tagging``. The annotator is the
``creator``, an extractor or imported model the ``generator``; ``created`` and
``modified`` are the span's. A relation or link is a ``linking`` annotation whose two
targets are its ends (the same selectors) and whose ``classifying`` body is its type;
a cluster is an ``identifying`` annotation whose targets are its mentions and whose
body is its name. Annotations carry no document text, so reading needs a project that
has the documents (matched by id; a missing one is named, with where to put its
article); each span is checked against the quote (``exact``). Reading takes the spans
and the relations and links back (each end found by its offsets); an identifying
annotation adds nothing the links do not hold, so it is passed over.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote

from annotator.formats.records import (
    SHAPE_ERRORS,
    ImportedDocument,
    ImportedLinks,
    ImportedSpan,
    RecordProblem,
    file_line,
    shape_problem,
)
from annotator.formats.relations import (
    ImportedEnd,
    ImportedRelation,
    exported_clusters,
    exported_relations,
)
from annotator.io.atomic import atomic_writer
from annotator.io.safejson import JSONProblem, loads_checked

if TYPE_CHECKING:
    from annotator.core.clusters import Cluster
    from annotator.core.models import Relation, Span
    from annotator.core.project import Project
    from annotator.formats import ExportOptions, ExportResult

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
DOC_PREFIX = "urn:annotator:document:"
CONTEXT_CHARS = 32


def _stamp(when: datetime) -> str:
    return when.isoformat().replace("+00:00", "Z")


def target(doc_id: str, text: str, span: Span) -> dict[str, Any]:
    """A span as a target: its document, a position and a quote selector."""
    return {
        "source": DOC_PREFIX + quote(doc_id, safe=""),
        "selector": [
            {"type": "TextPositionSelector", "start": span.start, "end": span.end},
            {
                "type": "TextQuoteSelector",
                "exact": span.text,
                "prefix": text[max(0, span.start - CONTEXT_CHARS) : span.start],
                "suffix": text[span.end : span.end + CONTEXT_CHARS],
            },
        ],
    }


def annotation(doc_id: str, text: str, span: Span) -> dict[str, Any]:
    item: dict[str, Any] = {
        "@context": CONTEXT,
        "id": f"urn:annotator:span:{quote(doc_id, safe='')}:{span.id}",
        "type": "Annotation",
        "motivation": "tagging",
        "created": _stamp(span.created),
        "modified": _stamp(span.modified),
        "body": {"type": "TextualBody", "value": span.label, "purpose": "tagging"},
        "target": target(doc_id, text, span),
    }
    if span.author:
        item["creator"] = {"type": "Person", "name": span.author}
    if span.is_suggestion:
        item["generator"] = {"type": "Software", "name": span.origin}
    return item


def _target_of(project: Project, key: tuple[str, str]) -> dict[str, Any]:
    span = project.span_of(key)
    assert span is not None
    return target(key[0], project.document(key[0]).text, span)


def linking(project: Project, relation: Relation) -> dict[str, Any]:
    """A relation or link: ``linking``, its two ends as targets, its type as the body."""
    item: dict[str, Any] = {
        "@context": CONTEXT,
        "id": f"urn:annotator:relation:{quote(relation.id, safe='')}",
        "type": "Annotation",
        "motivation": "linking",
        "created": _stamp(relation.created),
        "modified": _stamp(relation.modified),
        "body": {"type": "TextualBody", "value": relation.type, "purpose": "classifying"},
        "target": [
            _target_of(project, relation.source.key),
            _target_of(project, relation.target.key),
        ],
    }
    if relation.author:
        item["creator"] = {"type": "Person", "name": relation.author}
    if relation.is_suggestion:
        item["generator"] = {"type": "Software", "name": relation.origin}
    return item


def identifying(project: Project, cluster: Cluster) -> dict[str, Any]:
    """A cluster: ``identifying``, every mention a target, its name as the body."""
    return {
        "@context": CONTEXT,
        "id": f"urn:annotator:cluster:{cluster.id}",
        "type": "Annotation",
        "motivation": "identifying",
        "body": {"type": "TextualBody", "value": cluster.name, "purpose": "identifying"},
        "target": [_target_of(project, key) for key in cluster.members],
    }


def write(project: Project, output: Path, options: ExportOptions) -> ExportResult:
    from annotator.formats import ExportResult

    result = ExportResult()
    with atomic_writer(output) as handle:
        head = {
            "@context": CONTEXT,
            "id": "urn:annotator:collection",
            "type": "AnnotationCollection",
            "label": project.root.name,
        }
        opening = json.dumps(head, ensure_ascii=False)[:-1]
        handle.write((opening + ', "first": {"type": "AnnotationPage", "items": [\n').encode())
        first = True

        def put(item: dict[str, Any]) -> None:
            nonlocal first
            line = json.dumps(item, ensure_ascii=False)
            handle.write(((",\n" if not first else "") + line).encode("utf-8"))
            first = False

        for doc in options.documents_of(project):
            for span in options.spans(doc):
                put(annotation(doc.id, doc.text, span))
                result.spans += 1
            result.documents += 1
        relations = exported_relations(project, options) if project.relation_count else []
        for relation in relations:
            put(linking(project, relation))
        for cluster in exported_clusters(project, relations):
            put(identifying(project, cluster))
        handle.write(b"\n]}}\n")
    return result


def read(path: Path) -> Iterator[ImportedDocument | ImportedLinks | RecordProblem]:  # noqa: C901
    """Annotations grouped by document; the texts come from the project (matched by id).

    Long on purpose: files from other tools; each branch is one way such a file can be wrong,
    reported as a record problem naming the file and line.
    """
    try:
        data = loads_checked(path.read_bytes())
    except JSONProblem as exc:
        yield RecordProblem(file_line(path, exc), f"not JSON that can be read: {exc.message}")
        return
    try:
        if isinstance(data, dict) and data.get("type") == "AnnotationCollection":
            items = (data.get("first") or {}).get("items") or []
        elif isinstance(data, list):
            items = data
        else:
            items = [data]
        if not isinstance(items, list):
            raise TypeError("items")
    except SHAPE_ERRORS as exc:
        yield RecordProblem(path.name, f"not W3C annotations: {shape_problem(exc)}")
        return
    by_doc: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    links: list[ImportedRelation] = []
    for n, item in enumerate(items, start=1):
        where = f"{path.name}, item {n}"
        motivation = item.get("motivation") if isinstance(item, dict) else None
        if motivation == "identifying":
            continue  # a cluster: its links are read, and they make it again
        if motivation == "linking":
            try:
                links.append(_relation(where, item))
            except SHAPE_ERRORS as exc:
                yield RecordProblem(where, f"not a W3C linking annotation: {shape_problem(exc)}")
            continue
        try:
            source = ((item or {}).get("target") or {}).get("source", "")
            if not isinstance(source, str):
                raise TypeError("source")
        except SHAPE_ERRORS as exc:
            yield RecordProblem(where, f"not a W3C annotation: {shape_problem(exc)}")
            continue
        if not source.startswith(DOC_PREFIX):
            yield RecordProblem(where, f"target {source!r} is not a document")
            continue
        by_doc.setdefault(unquote(source[len(DOC_PREFIX) :]), []).append((n, item))
    for doc_id, entries in by_doc.items():
        try:
            yield _W3cDocument(path, doc_id, entries)
        except SHAPE_ERRORS as exc:
            yield RecordProblem(
                f"{path.name} ({doc_id})", f"not W3C annotations: {shape_problem(exc)}"
            )
    if links:
        yield ImportedLinks(path.name, tuple(links))


def _document_of(target: Any) -> str:
    source = target["source"]
    if not isinstance(source, str) or not source.startswith(DOC_PREFIX):
        raise ValueError(f"target {source!r} is not a document")
    return unquote(source[len(DOC_PREFIX) :])


def _selectors(target: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """A target's position and quote selectors (empty where it has none)."""
    selectors = target.get("selector") or []
    if isinstance(selectors, dict):
        selectors = [selectors]
    pos: dict[str, Any] = next(
        (s for s in selectors if s.get("type") == "TextPositionSelector"), {}
    )
    quote_: dict[str, Any] = next(
        (s for s in selectors if s.get("type") == "TextQuoteSelector"), {}
    )
    return pos, quote_


def _end(target: Any) -> ImportedEnd:
    pos, quote_ = _selectors(target)
    start, end = pos["start"], pos["end"]
    if not isinstance(start, int) or not isinstance(end, int):
        raise TypeError("start")
    exact = quote_.get("exact")
    return ImportedEnd(
        start=start,
        end=end,
        text=exact if isinstance(exact, str) else None,
        document=_document_of(target),
    )


def _relation(where: str, item: dict[str, Any]) -> ImportedRelation:
    """A ``linking`` annotation: its two targets are the ends, its body the type."""
    targets = item["target"]
    if not isinstance(targets, list) or len(targets) != 2:
        raise ValueError("a linking annotation needs exactly two targets")
    body = item.get("body") or {}
    kind = body.get("value") if isinstance(body, dict) else None
    if not isinstance(kind, str) or not kind:
        raise ValueError("a linking annotation needs its type as the body's value")
    creator = item.get("creator") or {}
    generator = item.get("generator") or {}
    origin, author = generator.get("name"), creator.get("name")
    return ImportedRelation(
        where,
        kind,
        _end(targets[0]),
        _end(targets[1]),
        origin=origin if isinstance(origin, str) else None,
        author=author if isinstance(author, str) else None,
    )


class _W3cDocument(ImportedDocument):
    """A record without text: :func:`annotator.formats.records.plan_import` supplies it."""

    def __init__(self, path: Path, doc_id: str, entries: list[tuple[int, dict[str, Any]]]):
        spans = []
        for _n, item in entries:
            pos, quote_ = _selectors(item["target"])
            body = item.get("body") or {}
            label = body.get("value") if isinstance(body, dict) else None
            creator = item.get("creator") or {}
            generator = item.get("generator") or {}
            if "start" in pos and label:
                spans.append(
                    ImportedSpan(
                        int(pos["start"]),
                        int(pos["end"]),
                        str(label),
                        quote_.get("exact"),
                        origin=generator.get("name"),
                        author=creator.get("name"),
                    )
                )
        super().__init__(
            where=f"{path.name} ({doc_id})", text="", id=doc_id, spans=tuple(spans), has_text=False
        )
