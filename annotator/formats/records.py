"""What readers of exchange formats produce, and how it is checked and applied.

A format's ``read`` yields :class:`ImportedDocument` records (text, id, metadata,
spans in code points) or :class:`RecordProblem` for a record it could not parse, each
with the line (or record number) it came from. :func:`plan_import` checks every span
against the project's documents and returns the changes as one undoable
:class:`~annotator.core.commands.Batch` plus a problem for each record or span it
could not place, so nothing is changed unless the caller applies the batch.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from annotator.core.commands import Batch, SpanChange
from annotator.core.models import MANUAL, STATUSES, AttributeValue, Span, SpanStatus, new_span_id
from annotator.core.project import Document, Project
from annotator.core.suggestions import is_known
from annotator.core.text import text_hash


@dataclass(frozen=True)
class ImportedSpan:
    start: int
    end: int
    label: str
    text: str | None = None  # the covered text, when the format carries it
    score: float | None = None
    status: SpanStatus | None = None
    origin: str | None = None
    note: str | None = None
    author: str | None = None
    attributes: dict[str, AttributeValue] = field(default_factory=dict)


@dataclass(frozen=True)
class ImportedDocument:
    where: str  # "line 3" or "record 3": where the record came from
    text: str
    id: str | None = None
    title: str = ""
    source: str = ""
    meta: dict[str, str] = field(default_factory=dict)
    spans: tuple[ImportedSpan, ...] = ()


@dataclass(frozen=True)
class RecordProblem:
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass(frozen=True)
class ImportOptions:
    as_suggestions: bool = False
    origin: str = "import"  # origin of suggestions
    label_map: dict[str, str] = field(default_factory=dict)


@dataclass
class ImportPlan:
    batch: Batch
    problems: list[RecordProblem]
    documents_matched: int = 0
    skipped_known: int = 0

    @property
    def span_count(self) -> int:
        return len(self.batch.changes)


def match_document(project: Project, record: ImportedDocument) -> Document | None:
    """The project's document for a record: same id, else the same text."""
    if record.id is not None and project.has_document(record.id):
        return project.document(record.id)
    digest = text_hash(record.text)
    for doc in project.documents:
        if doc.text_hash == digest:
            return doc
    return None


def plan_import(
    project: Project,
    records: Iterable[ImportedDocument | RecordProblem],
    options: ImportOptions,
) -> ImportPlan:
    changes: list[SpanChange] = []
    problems: list[RecordProblem] = []
    matched = known = 0
    labels = {lb.name for lb in project.labels}
    for record in records:
        if isinstance(record, RecordProblem):
            problems.append(record)
            continue
        doc = match_document(project, record)
        if doc is None:
            name = record.id or f"the document of {record.where}"
            problems.append(
                RecordProblem(record.where, f"{name} is not in this project (no id or text match)")
            )
            continue
        matched += 1
        seen: set[tuple[int, int, str]] = set()
        for n, imported in enumerate(record.spans):
            where = f"{record.where}, span {n + 1}"
            label = options.label_map.get(imported.label, imported.label)
            problem = _check(doc, imported, label, labels)
            if problem:
                problems.append(RecordProblem(where, problem))
                continue
            key = (imported.start, imported.end, label)
            if key in seen or is_known(doc, *key):
                known += 1
                continue
            seen.add(key)
            changes.append(SpanChange(doc.id, None, _to_span(doc, imported, label, options)))
    count = len(changes)
    kind = "suggestion" if options.as_suggestions else "span"
    batch = Batch(f"Import {count} {kind}{'s' * (count != 1)}", tuple(changes))
    return ImportPlan(batch, problems, matched, known)


def _check(doc: Document, span: ImportedSpan, label: str, labels: set[str]) -> str | None:
    if not 0 <= span.start < span.end:
        return f"offsets {span.start}-{span.end} are not a range (start must be before end)"
    if span.end > len(doc.text):
        return f"offsets {span.start}-{span.end} run past the end of {doc.id} ({len(doc.text)})"
    found = doc.text[span.start : span.end]
    if span.text is not None and found != span.text:
        return (
            f"text {_short(span.text)!r} does not match {doc.id} at {span.start}-{span.end}, "
            f"which reads {_short(found)!r}"
        )
    if label not in labels:
        return f"unknown label {label!r} (known: {', '.join(sorted(labels))}; map it with --map)"
    if span.status is not None and span.status not in STATUSES:
        return f"unknown status {span.status!r}"
    return None


def _to_span(doc: Document, span: ImportedSpan, label: str, options: ImportOptions) -> Span:
    if options.as_suggestions:
        origin, status = options.origin, "pending"
    else:
        origin, status = span.origin or MANUAL, span.status or "accepted"
    return Span(
        id=new_span_id(),
        start=span.start,
        end=span.end,
        label=label,
        text=doc.text[span.start : span.end],
        note=span.note,
        attributes=dict(span.attributes),
        origin=origin,
        author=span.author,
        status=status,
        score=span.score,
    )


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
