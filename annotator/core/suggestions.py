"""Suggestions: spans proposed by an extractor or imported from another tool.

A :class:`Candidate` is what an extractor yields (code-point range, label, score,
attributes). :func:`suggestion_batch` turns candidates into pending spans as one
undoable :class:`~annotator.core.commands.Batch`, skipping any that the document
already has or that a person decided on (:func:`why_not_proposed`), so running an
extractor twice adds nothing the second time, and never touches or shadows a span a
person made.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from annotator.core.commands import Batch, SpanChange
from annotator.core.models import AttributeValue, Span, new_span_id
from annotator.core.project import Document
from annotator.core.wording import count


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


# Why a candidate was not proposed again (the summary counts each reason).
ALREADY_THERE = "already there"
REJECTED_BEFORE = "rejected before"
CORRECTED_BEFORE = "corrected by a reviewer before"
COVERED_BY_PERSON = "a person tagged most of it already"
MOST = 0.5  # "most of its length": more than half of the longer of the two


def is_known(doc: Document, start: int, end: int, label: str) -> bool:
    """Whether the document already has this range: with this label, or tagged by a person.

    Rejected suggestions count, so a rejected suggestion never comes back.
    """
    return any(_same(span, start, end, label) for span in doc.spans_overlapping(start, end))


def _same(span: Span, start: int, end: int, label: str) -> bool:
    """``span`` covers exactly this range, with this label or tagged by a person."""
    return (
        span.start == start and span.end == end and (span.label == label or not span.is_suggestion)
    )


def proposals(doc: Document) -> set[tuple[int, int, str]]:
    """What a model proposed for every suggestion a reviewer corrected (label or range)."""
    return {
        (s.proposed.start, s.proposed.end, s.proposed.label)
        for s in doc.spans()
        if s.proposed is not None
    }


def why_not_proposed(
    doc: Document, start: int, end: int, label: str, corrected: set[tuple[int, int, str]]
) -> str | None:
    """Why a suggestion over ``[start, end)`` must not be proposed again, or None.

    Not again: what the document has already (rejected suggestions included, so a
    rejected one never comes back); what a model proposed and a reviewer then
    corrected (``corrected``, from :func:`proposals`); and a near-copy of a span a
    person made or accepted with the same label, overlapping it by more than half of
    the longer one (a quote tagged with its quote marks, proposed without them).
    """
    covered = False
    for span in doc.spans_overlapping(start, end):  # one pass: this runs per candidate
        if _same(span, start, end, label):
            return REJECTED_BEFORE if span.status == "rejected" else ALREADY_THERE
        if not covered and span.label == label and span.status == "accepted":
            overlap = min(end, span.end) - max(start, span.start)
            covered = overlap > MOST * max(end - start, span.end - span.start)
    if (start, end, label) in corrected:
        return CORRECTED_BEFORE
    return COVERED_BY_PERSON if covered else None


@dataclass
class Suggested:
    """New suggestions as one batch (not yet applied), what could not become one, and
    how many candidates were left out as known, by reason."""

    batch: Batch
    problems: list[str]
    skipped: dict[str, int] = field(default_factory=dict)

    def skipped_text(self) -> str:
        """``"; skipped 3: 2 rejected before, 1 already there"``, or nothing."""
        if not self.skipped:
            return ""
        total = sum(self.skipped.values())
        reasons = ", ".join(f"{n} {why}" for why, n in sorted(self.skipped.items()))
        return f"; skipped {total}: {reasons}"


def suggestion_batch(
    docs_and_candidates: Iterable[tuple[Document, Iterable[Candidate]]], origin: str
) -> Suggested:
    """The new suggestions as one batch, a message for each candidate that cannot be one,
    and the count of those left out because the document knows them already."""
    changes: list[SpanChange] = []
    problems: list[str] = []
    skipped: Counter[str] = Counter()
    for doc, candidates in docs_and_candidates:
        seen: set[tuple[int, int, str]] = set()
        corrected = proposals(doc)
        for cand in candidates:
            key = (cand.start, cand.end, cand.label)
            if key in seen:
                continue
            seen.add(key)
            why = why_not_proposed(doc, *key, corrected)
            if why is not None:
                skipped[why] += 1
                continue
            try:
                span = to_suggestion(doc, cand, origin)
            except CandidateError as exc:
                problems.append(f"{doc.id}: {exc}")
                continue
            changes.append(SpanChange(doc.id, None, span))
    text = f"Add {count(len(changes), 'suggestion')} from {origin}"
    return Suggested(Batch(text, tuple(changes)), problems, dict(skipped))
