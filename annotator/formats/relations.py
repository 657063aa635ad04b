"""What exports and imports share of relations and links.

Exports: which relations an export takes (both ends exported, the status asked for),
each end as a record with the span id, code-point offsets and covered text, and the
cluster of each span. Imports: relations read from a file placed onto the project's
spans (by the file's span ids, else by offsets), checked against the relation types,
and never added twice.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from annotator.core.annotators import spelled_as_known
from annotator.core.changes import RelationChange
from annotator.core.clusters import Cluster, clusters_of, transitive_types
from annotator.core.models import (
    MANUAL,
    End,
    Relation,
    Span,
    SpanKey,
    SpanStatus,
    layer_name,
    new_relation_id,
)
from annotator.core.names import author_problem
from annotator.core.project import Project


class Choice(Protocol):
    """What an export was asked for (``annotator.formats.ExportOptions`` is one)."""

    @property
    def documents(self) -> frozenset[str] | None: ...

    @property
    def statuses(self) -> frozenset[str]: ...

    def keeps(self, span: Span) -> bool: ...


Problem = tuple[str, str]  # where, what


@dataclass(frozen=True)
class ImportedEnd:
    """One end of an imported relation: the file's span id, and (where the format has
    them) its offsets and text, and for a link the file's document id."""

    span: str | None = None
    start: int | None = None
    end: int | None = None
    text: str | None = None
    document: str | None = None


@dataclass(frozen=True)
class ImportedRelation:
    where: str
    type: str
    source: ImportedEnd
    target: ImportedEnd
    status: SpanStatus | None = None
    origin: str | None = None
    author: str | None = None
    note: str | None = None
    score: float | None = None


def exported_relations(project: Project, options: Choice) -> list[Relation]:
    """The relations and links an export carries: both ends are spans it exports, in
    documents it exports, and the relation's status is one it exports."""
    docs = options.documents
    out = []
    for relation in project.relations():
        layers = getattr(options, "layers", None)
        if layers is not None and (layer_name(relation) or "") not in layers:
            continue
        if relation.status not in options.statuses:
            continue
        a, b = relation.source, relation.target
        if docs is not None and (a.document not in docs or b.document not in docs):
            continue
        span_a, span_b = project.span_of(a.key), project.span_of(b.key)
        if span_a is None or span_b is None:
            continue
        if options.keeps(span_a) and options.keeps(span_b):
            out.append(relation)
    return out


def split(relations: Iterable[Relation]) -> tuple[dict[str, list[Relation]], list[Relation]]:
    """Relations inside each document, and links across documents."""
    inside: dict[str, list[Relation]] = {}
    across: list[Relation] = []
    for relation in relations:
        if relation.across:
            across.append(relation)
        else:
            inside.setdefault(relation.source.document, []).append(relation)
    return inside, across


def exported_clusters(project: Project, relations: list[Relation]) -> list[Cluster]:
    """The clusters the exported links form (a cluster only as far as its links go)."""
    return clusters_of(relations, transitive_types(project), project.cluster_names, project.span_of)


def cluster_of_spans(found: list[Cluster]) -> dict[SpanKey, Cluster]:
    return {key: cluster for cluster in found for key in cluster.members}


def end_record(project: Project, key: SpanKey, *, document: bool) -> dict[str, Any]:
    span = project.span_of(key)
    assert span is not None
    record: dict[str, Any] = {"document": key[0]} if document else {}
    record.update(span=span.id, start=span.start, end=span.end, text=span.text)
    return record


def relation_record(project: Project, relation: Relation) -> dict[str, Any]:
    """A relation as an export writes it: both ends with span id, offsets and text."""
    record: dict[str, Any] = {
        "id": relation.id,
        "type": relation.type,
        "source": end_record(project, relation.source.key, document=relation.across),
        "target": end_record(project, relation.target.key, document=relation.across),
        "status": relation.status,
        "origin": relation.origin,
        "author": relation.author,
        "note": relation.note,
    }
    if relation.score is not None:
        record["score"] = relation.score
    if relation.proposed is not None:
        record["proposed"] = relation.proposed
    if relation.adjudication is not None:
        record["adjudication"] = relation.adjudication.model_dump()
    return record


def read_end(raw: Any, *, link: bool) -> ImportedEnd:
    """An end as our exports write it: ``{"span", "start", "end", "text"}`` (and
    ``"document"`` for a link), or just a span id."""
    if isinstance(raw, str):
        return ImportedEnd(span=raw)
    if not isinstance(raw, dict):
        raise TypeError("an end must be an object with span, start and end")
    start, end = raw.get("start"), raw.get("end")
    for value in (start, end):
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
            raise TypeError("an end's start and end must be whole numbers")
    document = raw.get("document")
    if link and not isinstance(document, str | int):
        raise TypeError("a link's end must name its document")
    span = raw.get("span")
    text = raw.get("text")
    return ImportedEnd(
        span=None if span is None else str(span),
        start=start,
        end=end,
        text=text if isinstance(text, str) else None,
        document=None if document is None else str(document),
    )


def read_relation(raw: Any, where: str, *, link: bool) -> ImportedRelation:
    if not isinstance(raw, dict):
        raise TypeError(f"{'a link' if link else 'a relation'} must be an object")
    kind = raw.get("type")
    if not isinstance(kind, str) or not kind:
        raise TypeError("a relation needs a type (a non-empty string)")
    score = raw.get("score")
    if score is not None and (not isinstance(score, int | float) or isinstance(score, bool)):
        raise TypeError("a relation's score must be a number")
    status = raw.get("status")
    return ImportedRelation(
        where=where,
        type=kind,
        source=read_end(raw.get("source"), link=link),
        target=read_end(raw.get("target"), link=link),
        status=status if status in ("pending", "accepted", "rejected") else None,
        origin=raw.get("origin") if isinstance(raw.get("origin"), str) else None,
        author=raw.get("author") if isinstance(raw.get("author"), str) else None,
        note=raw.get("note") if isinstance(raw.get("note"), str) else None,
        score=None if score is None else float(score),
    )


@dataclass
class Placement:
    """Where an import put (or found) the file's spans, for its relations to find."""

    by_file_id: dict[tuple[str, str], SpanKey] = field(default_factory=dict)  # (record, span id)
    documents: dict[str, str] = field(default_factory=dict)  # file's document id → ours
    new_spans: dict[str, list[Span]] = field(default_factory=dict)  # by our document id
    pending: list[tuple[str, str, ImportedRelation]] = field(default_factory=list)

    def place(self, record: str, file_id: str | None, doc_id: str, span: Span) -> None:
        if file_id is not None:
            self.by_file_id[(record, file_id)] = (doc_id, span.id)


def _find(
    project: Project,
    placement: Placement,
    record: str,
    doc_id: str,
    end: ImportedEnd,
    author: str | None = None,
) -> SpanKey | None:
    if end.span is not None and (record, end.span) in placement.by_file_id:
        return placement.by_file_id[(record, end.span)]
    if end.start is None or end.end is None:
        return None
    candidates = [
        s
        for s in [
            *(
                project.document(doc_id).spans_overlapping(end.start, end.end)
                if project.has_document(doc_id)
                else []
            ),
            *placement.new_spans.get(doc_id, []),
        ]
        if (s.start, s.end) == (end.start, end.end) and (author is None or s.author == author)
    ]
    return (doc_id, candidates[0].id) if len(candidates) == 1 else None


def plan_relations(  # noqa: C901
    project: Project,
    placement: Placement,
    *,
    add_types: bool,
    as_suggestions: bool,
    origin: str,
    problems: list[Problem],
    author: str | None = None,
    known_names: set[str] | None = None,
) -> tuple[list[RelationChange], list[str], int]:
    """The relation changes an import makes, the relation types it adds, and how many
    relations the project had already. A relation's own ``author`` that differs from
    one of ``known_names`` only in case is taken in the project's spelling.

    Long on purpose: each branch is one reason a relation cannot be placed, reported with its
    id.
    """
    changes: list[RelationChange] = []
    new_types: list[str] = []
    known = 0
    types = {t.name for t in project.relation_types}
    kinds = {t.name: t for t in project.relation_types}
    transitive = [t.name for t in project.relation_types if t.transitive]
    # brat's conventional name for an equivalence is the project's one transitive type
    aliases = {"Equiv": transitive[0]} if len(transitive) == 1 else {}
    taken: set[tuple[str, SpanKey, SpanKey]] = {
        (r.type, r.source.key, r.target.key)
        for r in project.relations()
        if author is None or r.author == author
    }
    for record, doc_id, imported in placement.pending:
        ends: list[SpanKey] = []
        for end in (imported.source, imported.target):
            here = doc_id
            if end.document is not None:
                here = placement.documents.get(end.document, end.document)
            key = _find(
                project,
                placement,
                record if end.document is None else end.document,
                here,
                end,
                author,
            )
            if key is None:
                what = end.span or f"{end.start}-{end.end}"
                problems.append((imported.where, f"{imported.type}: no span {what} in {here}"))
                break
            ends.append(key)
        if len(ends) != 2:
            continue
        if imported.type not in types and imported.type in aliases:
            imported = dataclasses.replace(imported, type=aliases[imported.type])
        if imported.type not in types:
            if not add_types:
                problems.append(
                    (
                        imported.where,
                        f"unknown relation type {imported.type!r} "
                        f"(known: {', '.join(sorted(types))}; --add-labels adds it)",
                    )
                )
                continue
            types.add(imported.type)
            new_types.append(imported.type)
        a, b = ends
        if a == b:
            problems.append((imported.where, "both ends are the same span"))
            continue
        kind = kinds.get(imported.type)
        why = kind.allows_places(across=a[0] != b[0]) if kind is not None else None
        if why is None and author is None and imported.author is not None:
            why = author_problem(imported.author)
        if why:
            problems.append((imported.where, why))
            continue
        if (imported.type, a, b) in taken or (imported.type, b, a) in taken:
            known += 1
            continue
        taken.add((imported.type, a, b))
        relation = Relation(
            id=new_relation_id(),
            type=imported.type,
            source=End(document=a[0], span=a[1]),
            target=End(document=b[0], span=b[1]),
            origin=origin if as_suggestions else (imported.origin or MANUAL),
            status="pending" if as_suggestions else (imported.status or "accepted"),
            author=author or spelled_as_known(imported.author, known_names or set()),
            note=imported.note,
            score=imported.score,
        )
        changes.append(RelationChange(relation.id, None, relation))
    return changes, new_types, known
