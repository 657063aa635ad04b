"""Reviewing suggestions: decisions as undoable commands, the queue, filters, progress.

A decision replaces the suggestion by a copy with a new ``status``. When the reviewer
changes a suggestion's label or range, the copy keeps what the model proposed in
``proposed`` (once: later changes keep the first proposal), so model errors can be
studied later.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from annotator.core.commands import Batch, EditError, SpanChange, UpdateSpan
from annotator.core.models import Proposal, Span, SpanStatus, replace_span, utc_now
from annotator.core.project import Document, Project
from annotator.core.wording import quoted

SpanKey = tuple[str, str]  # (document id, span id)


def changed_span(
    doc: Document,
    span: Span,
    *,
    label: str | None = None,
    start: int | None = None,
    end: int | None = None,
    status: SpanStatus | None = None,
) -> Span:
    """A copy of ``span`` with a new label, range or status, keeping the model's proposal."""
    start = span.start if start is None else start
    end = span.end if end is None else end
    label = span.label if label is None else label
    if not 0 <= start < end <= len(doc.text):
        raise EditError(f"range {start}-{end} is outside the document (0-{len(doc.text)})")
    update: dict[str, object] = {
        "start": start,
        "end": end,
        "label": label,
        "text": doc.text[start:end],
        "modified": utc_now(),
    }
    if status is not None:
        update["status"] = status
    reshaped = (start, end, label) != (span.start, span.end, span.label)
    if span.is_suggestion and reshaped and span.proposed is None:
        update["proposed"] = Proposal(start=span.start, end=span.end, label=span.label)
    elif span.proposed is not None and (start, end, label) == (
        span.proposed.start,
        span.proposed.end,
        span.proposed.label,
    ):
        update["proposed"] = None  # changed back to exactly what was proposed
    return replace_span(span, **update)


def decide(
    project: Project,
    key: SpanKey,
    status: SpanStatus,
    *,
    label: str | None = None,
    start: int | None = None,
    end: int | None = None,
) -> UpdateSpan:
    """Accept or reject (or reset to pending) one suggestion, optionally reshaped."""
    doc = project.document(key[0])
    span = doc.span(key[1])
    after = changed_span(doc, span, label=label, start=start, end=end, status=status)
    verb = {"accepted": "Accept", "rejected": "Reject", "pending": "Reset"}[status]
    return _Decision(doc.id, span, after, f"{verb} {after.label} {quoted(after.text)}")


@dataclass(frozen=True)
class _Decision(UpdateSpan):
    text: str = ""

    @property
    def description(self) -> str:
        return self.text


@dataclass(frozen=True)
class ReviewFilter:
    """Which suggestions the review queue holds. ``None`` means no restriction."""

    labels: frozenset[str] | None = None
    origins: frozenset[str] | None = None
    min_score: float | None = None
    documents: frozenset[str] | None = None

    def matches(self, doc_id: str, span: Span) -> bool:
        if not span.is_suggestion:
            return False
        if self.documents is not None and doc_id not in self.documents:
            return False
        if self.labels is not None and span.label not in self.labels:
            return False
        if self.origins is not None and span.origin not in self.origins:
            return False
        return self.min_score is None or (span.score is not None and span.score >= self.min_score)


def queue(project: Project, doc_ids: Iterable[str], flt: ReviewFilter) -> list[SpanKey]:
    """Every suggestion the filter lets through, in document then reading order."""
    out: list[SpanKey] = []
    for doc_id in doc_ids:
        doc = project.document(doc_id)
        out.extend((doc_id, s.id) for s in doc.spans() if flt.matches(doc_id, s))
    return out


def progress(
    project: Project, doc_ids: Iterable[str], flt: ReviewFilter
) -> dict[str, Counter[str]]:
    """Per label: how many suggestions are pending, accepted, corrected and rejected."""
    counts: dict[str, Counter[str]] = {}
    for doc_id in doc_ids:
        for span in project.document(doc_id).spans():
            if flt.matches(doc_id, span):
                counts.setdefault(span.label, Counter())[span.review] += 1
    return counts


def bulk(project: Project, keys: Iterable[SpanKey], status: SpanStatus, description: str) -> Batch:
    """Set the status of many pending suggestions at once, as one undoable step."""
    changes = []
    for doc_id, span_id in keys:
        doc = project.document(doc_id)
        span = doc.span(span_id)
        if span.status == "pending" and span.is_suggestion:
            changes.append(SpanChange(doc_id, span, changed_span(doc, span, status=status)))
    return Batch(description, tuple(changes))


def accept_above(project: Project, keys: Iterable[SpanKey], threshold: float) -> Batch:
    chosen = [
        k
        for k in keys
        if (s := project.document(k[0]).span(k[1])).score is not None and s.score >= threshold
    ]
    return bulk(project, chosen, "accepted", f"Accept suggestions scored ≥ {threshold:g}")


def reject_origin(project: Project, keys: Iterable[SpanKey], origin: str) -> Batch:
    chosen = [k for k in keys if project.document(k[0]).span(k[1]).origin == origin]
    return bulk(project, chosen, "rejected", f"Reject suggestions from {origin}")
