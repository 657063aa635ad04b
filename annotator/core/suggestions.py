"""Suggestions: spans proposed by an extractor or imported from another tool.

A :class:`Candidate` is what an extractor yields (code-point range, label, score,
attributes). :func:`suggestion_batch` turns candidates into pending spans as one
undoable :class:`~annotator.core.commands.Batch`, skipping any that the document
already has, so running an extractor twice adds nothing the second time and never
touches a span a person made.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from annotator.core.commands import Batch, SpanChange
from annotator.core.models import AttributeValue, Span, new_span_id
from annotator.core.project import Document


@dataclass(frozen=True)
class Candidate:
    """One proposed span: code points ``[start, end)`` of the document text."""

    start: int
    end: int
    label: str
    score: float | None = None
    attributes: dict[str, AttributeValue] = field(default_factory=dict)


class CandidateError(ValueError):
    """A candidate that cannot become a span (outside the text, empty, text mismatch)."""


def to_suggestion(doc: Document, candidate: Candidate, origin: str) -> Span:
    if not 0 <= candidate.start < candidate.end <= len(doc.text):
        raise CandidateError(
            f"range {candidate.start}-{candidate.end} is outside the document (0-{len(doc.text)})"
        )
    return Span(
        id=new_span_id(),
        start=candidate.start,
        end=candidate.end,
        label=candidate.label,
        text=doc.text[candidate.start : candidate.end],
        attributes=dict(candidate.attributes),
        origin=origin,
        status="pending",
        score=None if candidate.score is None else round(float(candidate.score), 4),
    )


def is_known(doc: Document, start: int, end: int, label: str) -> bool:
    """Whether the document already has this range: with this label, or tagged by a person.

    Rejected suggestions count, so a rejected suggestion never comes back.
    """
    for span in doc.spans_overlapping(start, end):
        if (
            span.start == start
            and span.end == end
            and (span.label == label or not span.is_suggestion)
        ):
            return True
    return False


def suggestion_batch(
    docs_and_candidates: Iterable[tuple[Document, Iterable[Candidate]]], origin: str
) -> tuple[Batch, list[str]]:
    """The new suggestions as one batch, plus a message for each candidate left out."""
    changes: list[SpanChange] = []
    problems: list[str] = []
    for doc, candidates in docs_and_candidates:
        seen: set[tuple[int, int, str]] = set()
        for cand in candidates:
            key = (cand.start, cand.end, cand.label)
            if key in seen or is_known(doc, *key):
                continue
            seen.add(key)
            try:
                span = to_suggestion(doc, cand, origin)
            except CandidateError as exc:
                problems.append(f"{doc.id}: {exc}")
                continue
            changes.append(SpanChange(doc.id, None, span))
    count = len(changes)
    text = f"Add {count} suggestion{'s' * (count != 1)} from {origin}"
    return Batch(text, tuple(changes)), problems
