"""Our JSONL: one document a line, ``{"id", "text", "spans", "relations", "status",
"meta"}`` (``status``: the document's, ``done`` when an annotator exported marked it done),
code-point offsets; links across documents in ``NAME.links.jsonl`` beside it.

Every span satisfies ``text[start:end] == span["text"]`` in Python and carries its
``status`` (``accepted``, ``pending`` or ``rejected``), ``origin`` and, where set,
``score``, the model's original ``proposed`` range and label, and the ``cluster`` it
belongs to. A relation names its two ends by span id with their offsets and text;
a link's ends also name their document. Documents are written one at a time, so
memory does not grow with the corpus. :func:`read` takes the same records back (and
the links file beside them); a span needs ``start``, ``end`` and ``label``,
everything else is optional (``text`` is checked against the document when present).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import orjson

from annotator.core.clusters import Cluster
from annotator.core.models import Relation
from annotator.core.project import Document
from annotator.formats.records import (
    ImportedDocument,
    ImportedLinks,
    ImportedSpan,
    RecordProblem,
)
from annotator.formats.relations import (
    cluster_of_spans,
    exported_clusters,
    exported_relations,
    read_relation,
    relation_record,
    split,
)
from annotator.io.atomic import atomic_writer
from annotator.io.safejson import JSONProblem, loads_checked

if TYPE_CHECKING:
    from annotator.core.project import Project
    from annotator.formats import ExportOptions, ExportResult


def span_record(s: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": s.id,
        "start": s.start,
        "end": s.end,
        "label": s.label,
        "text": s.text,
        "status": s.status,
        "origin": s.origin,
        "note": s.note,
        "attributes": dict(sorted(s.attributes.items())) if s.attributes else {},
        "author": s.author,
    }
    if s.score is not None:
        record["score"] = s.score
    if s.proposed is not None:
        record["proposed"] = s.proposed.model_dump()
    if getattr(s, "adjudication", None) is not None:
        record["adjudication"] = s.adjudication.model_dump()
    return record


def document_record(
    project: Project,
    doc: Document,
    options: ExportOptions,
    relations: list[Relation],
    clusters: dict[tuple[str, str], Cluster],
) -> dict[str, Any]:
    spans = []
    for s in options.spans(doc):
        record = span_record(s)
        cluster = clusters.get((doc.id, s.id))
        if cluster is not None:
            record["cluster"] = cluster.id
        spans.append(record)
    meta = {"title": doc.title, "source": doc.source, "path": doc.path, "text_hash": doc.text_hash}
    meta.update(doc.meta)
    out: dict[str, Any] = {"id": doc.id, "text": doc.text, "spans": spans}
    # done when one of the layers exported (everyone's by default) marked it done
    out["status"] = project.work.overall(doc.id, options.layers)
    out["relations"] = [relation_record(project, r) for r in relations]
    out["meta"] = meta
    return out


def links_path(output: Path) -> Path:
    """``out.jsonl`` → ``out.links.jsonl``: the links across documents, beside it."""
    return output.with_name(f"{output.stem}.links{output.suffix or '.jsonl'}")


def write(project: Project, output: Path, options: ExportOptions) -> ExportResult:
    """Write the project to ``output``, one document at a time, and its links across
    documents to ``NAME.links.jsonl`` beside it (when there are any, or one is there)."""
    from annotator.formats import ExportResult

    result = ExportResult()
    relations = exported_relations(project, options) if project.relation_count else []
    inside, across = split(relations)
    clusters = cluster_of_spans(exported_clusters(project, relations)) if relations else {}
    with atomic_writer(output) as handle:
        for doc in options.documents_of(project):
            record = document_record(project, doc, options, inside.get(doc.id, []), clusters)
            handle.write(json_line(record))
            result.documents += 1
            result.spans += len(record["spans"])
    links = links_path(output)
    if across or links.exists():  # an older links file beside it must not outlive its data
        with atomic_writer(links) as handle:
            for relation in across:
                handle.write(json_line(relation_record(project, relation)))
        result.notes.append(f"wrote {len(across)} links across documents to {links.name}")
    return result


# Valid in JSON, but line breaks to str.splitlines() and to older JavaScript: escaped.
# As UTF-8 each is a sequence no other character's encoding contains.
_LINE_BREAKS = (
    ("\u2028".encode(), b"\\u2028"),
    ("\u2029".encode(), b"\\u2029"),
    ("\x85".encode(), b"\\u0085"),
)


def json_line(record: object) -> bytes:
    """One JSON Lines record: UTF-8, one physical line whatever splitter reads it.

    orjson writes it (C, six times faster than ``json``); what orjson refuses (an
    integer beyond 64 bits in an attribute) is written by ``json`` the same way."""
    try:
        data = orjson.dumps(record)
    except TypeError:  # orjson.JSONEncodeError is a TypeError
        data = json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    for raw, escaped in _LINE_BREAKS:  # bytes.replace: C speed
        if raw in data:
            data = data.replace(raw, escaped)
    return data + b"\n"


def lines(path: Path) -> Iterator[tuple[str, Any] | RecordProblem]:
    """``(where, object)`` for each non-blank line of a JSON Lines file, or a problem
    naming the line (not UTF-8, not JSON). Shared by the JSONL-based formats."""
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            where = f"{path.name}, line {number}"
            if not raw.strip():
                continue
            try:
                yield where, loads_checked(raw)
            except JSONProblem as exc:
                column = f" at column {exc.column}" if exc.column else ""
                yield RecordProblem(where, f"not JSON that can be read: {exc.message}{column}")


def read(path: Path) -> Iterator[ImportedDocument | ImportedLinks | RecordProblem]:
    """Records of a JSONL file, one per non-blank line, or a problem naming the line;
    then the links of ``NAME.links.jsonl`` beside it, if there is one."""
    yield from _parsed(path, _document)
    links = links_path(path)
    if path.suffix and links.is_file():
        found = []
        for item in _parsed(links, lambda obj, where: [read_relation(obj, where, link=True)]):
            if isinstance(item, RecordProblem):
                yield item
            else:
                found.append(item)
        yield ImportedLinks(links.name, tuple(found))


Parsed = TypeVar("Parsed")


def _parsed(
    path: Path, parse: Callable[[Any, str], Iterable[Parsed | RecordProblem]]
) -> Iterator[Parsed | RecordProblem]:
    """What ``parse(object, where)`` makes of each line (problems with parts of it, then
    the record), or a problem naming the line when the record cannot be read at all."""
    for line in lines(path):
        if isinstance(line, RecordProblem):
            yield line
            continue
        where, obj = line
        try:
            made = list(parse(obj, where))
        except (KeyError, TypeError, ValueError) as exc:
            yield RecordProblem(where, _said(exc))
            continue
        yield from made


def _said(exc: Exception) -> str:
    """The message an exception was raised with (a KeyError's str() adds quotes)."""
    return exc.args[0] if exc.args and isinstance(exc.args[0], str) else str(exc)


def _document(obj: Any, where: str) -> Iterator[ImportedDocument | RecordProblem]:
    """A problem for each span that cannot be read, then the record with the others
    (a bad span costs that span, not the document's other spans)."""
    if not isinstance(obj, dict):
        raise TypeError("expected a JSON object with text and spans")
    text = obj.get("text")
    meta = obj.get("meta") or {}
    if not isinstance(meta, dict):
        raise TypeError('"meta" must be an object')
    spans = obj.get("spans") or []
    if not isinstance(spans, list):
        raise TypeError('"spans" must be a list')
    relations = obj.get("relations") or []
    if not isinstance(relations, list):
        raise TypeError('"relations" must be a list')
    doc_id = obj.get("id", meta.get("id"))
    has_text = text is not None
    if text is None and doc_id is not None:
        text = ""  # predictions for a document of the project, matched by id
    if not isinstance(text, str):
        raise TypeError('missing "text" (a string), or an "id" of a document of the project')
    if isinstance(doc_id, dict | list):
        raise TypeError('"id" must be a string or a number')
    good: list[ImportedSpan] = []
    for n, raw in enumerate(spans, start=1):
        try:
            good.append(_span(raw, n))
        except (KeyError, TypeError, ValueError) as exc:
            yield RecordProblem(where, _said(exc))
    yield ImportedDocument(
        where=where,
        text=text,
        has_text=has_text,
        id=None if doc_id is None else str(doc_id),
        title=str(meta.get("title", "")),
        # other tools write the outlet as "outlet" (or "site"): ours writes "source"
        source=str(meta.get("source") or meta.get("outlet") or meta.get("site") or ""),
        meta={
            str(k): str(v)
            for k, v in meta.items()
            if k not in {"title", "source", "outlet", "site", "path", "text_hash", "id"}
        },
        spans=tuple(good),
        status=obj["status"] if obj.get("status") in ("done", "in_progress", "new") else "",
        relations=tuple(
            read_relation(r, f"{where}, relation {n}", link=False)
            for n, r in enumerate(relations, start=1)
        ),
    )


def _span(obj: Any, n: int) -> ImportedSpan:
    if type(obj) is not dict:
        raise TypeError(f"span {n} is not an object")
    get = obj.get  # one bound method: this runs for every span of an import
    start, end, label = get("start"), get("end"), get("label")
    for key in ("start", "end", "label"):
        if key not in obj:
            raise KeyError(f"span {n}: no {key!r}")
    if type(start) is not int or type(end) is not int:  # bool is not a whole number here
        raise TypeError(f"span {n}: start and end must be whole numbers")
    if type(label) is not str or not label:
        raise TypeError(f"span {n}: label must be a non-empty string")
    score = get("score")
    if score is not None and type(score) is not float and type(score) is not int:
        raise TypeError(f"span {n}: score must be a number")
    attrs = get("attributes")
    attributes: dict[str, Any] = {}
    if attrs:  # absent, null or empty: none
        if type(attrs) is not dict or not all(
            isinstance(v, str | int | float | bool) for v in attrs.values()
        ):
            raise TypeError(f"span {n}: attributes must map names to strings, numbers or booleans")
        attributes = {str(k): v for k, v in attrs.items()}
    text = get("text")
    ident = get("id")
    return ImportedSpan(
        id=None if ident is None else str(ident),
        start=start,
        end=end,
        label=label,
        text=text if type(text) is str else None,
        score=None if score is None else float(score),
        status=get("status"),
        origin=get("origin"),
        note=get("note"),
        author=get("author"),
        attributes=attributes,
    )
