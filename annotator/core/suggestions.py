"""Suggestions: spans proposed by an extractor or imported from another tool.

A :class:`Candidate` is what an extractor yields (code-point range, label, score,
attributes, and :class:`Related` spans: a quote's speaker). :func:`suggestion_batch`
turns candidates into pending spans as one undoable
:class:`~annotator.core.commands.Batch`, skipping any that the document already has or
that a person decided on (:func:`why_not_proposed`), so running an extractor twice
adds nothing the second time, and never touches or shadows a span a person made. A
related span becomes a pending relation to the span already there (or to a new
suggested span where there is none); a relation decided before is not proposed again.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from annotator.core.changes import Change, RelationChange
from annotator.core.commands import Batch, SpanChange
from annotator.core.models import AttributeValue, End, Relation, Span, new_relation_id, new_span_id
from annotator.core.project import Document, Project
from annotator.core.wording import count


@dataclass(frozen=True)
class Related:
    """A span the candidate relates to: ``type`` from the candidate to ``[start, end)``,
    which carries ``label`` (a quote's ``speaker``, an ``entity``)."""

    type: str
    start: int
    end: int
    label: str


@dataclass(frozen=True)
class Candidate:
    """One proposed span: code points ``[start, end)`` of the document text."""

    start: int
    end: int
    label: str
    score: float | None = None
    attributes: dict[str, AttributeValue] = field(default_factory=dict)
    related: tuple[Related, ...] = ()


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


def is_known(doc: Document, start: int, end: int, label: str, *, author: str | None = None) -> bool:
    """Whether the document already has this range: with this label, or tagged by a person
    (by ``author``, when given: another annotator's work is theirs, not this one's).

    Rejected suggestions count, so a rejected suggestion never comes back.
    """
    return any(
        _same(span, start, end, label) and (author is None or span.author == author)
        for span in doc.spans_overlapping(start, end)
    )


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
    docs_and_candidates: Iterable[tuple[Document, Iterable[Candidate]]],
    origin: str,
    project: Project | None = None,
) -> Suggested:
    """The new suggestions as one batch, a message for each candidate that cannot be one,
    and the count of those left out because the document knows them already. With the
    ``project``, a candidate's related spans become suggested relations."""
    changes: list[Change] = []
    problems: list[str] = []
    skipped: Counter[str] = Counter()
    for doc, candidates in docs_and_candidates:
        seen: set[tuple[int, int, str]] = set()
        corrected = proposals(doc)
        made: dict[tuple[int, int, str], Span] = {}  # suggested spans of this batch
        for cand in candidates:
            key = (cand.start, cand.end, cand.label)
            if key in seen:
                continue
            seen.add(key)
            why = why_not_proposed(doc, *key, corrected)
            span: Span | None = None
            if why is not None:
                skipped[why] += 1
                span = _there(doc, key, made)  # its relations may still be new
            else:
                try:
                    span = to_suggestion(doc, cand, origin)
                except CandidateError as exc:
                    problems.append(f"{doc.id}: {exc}")
                    continue
                changes.append(SpanChange(doc.id, None, span))
                made[key] = span
            if project is not None and span is not None and span.status != "rejected":
                for related in cand.related:
                    changes += _relate(project, doc, span, related, cand, origin, made, skipped)
    spans = sum(isinstance(c, SpanChange) for c in changes)
    links = len(changes) - spans
    text = f"Add {count(spans, 'suggestion')}" + (
        f" and {count(links, 'relation')}" if links else ""
    )
    return Suggested(Batch(f"{text} from {origin}", tuple(changes)), problems, dict(skipped))


def _there(doc: Document, key: tuple[int, int, str], made: dict[Any, Span]) -> Span | None:
    if key in made:
        return made[key]
    return next(
        (s for s in doc.spans_overlapping(key[0], key[1]) if (s.start, s.end, s.label) == key),
        None,
    )


def _relate(
    project: Project,
    doc: Document,
    span: Span,
    related: Related,
    cand: Candidate,
    origin: str,
    made: dict[tuple[int, int, str], Span],
    skipped: Counter[str],
) -> list[Change]:
    """A suggested relation from ``span`` to the related span: the one the document has
    (exactly there, else the one covering it), else a new suggested span."""
    if project.relation_type(related.type) is None or not 0 <= related.start < related.end:
        return []
    out: list[Change] = []
    key = (related.start, related.end, related.label)
    target = _there(doc, key, made)
    if target is None:
        around = [
            s
            for s in doc.spans_overlapping(related.start, related.end)
            if s.label == related.label
            and s.status != "rejected"
            and s.start <= related.start
            and related.end <= s.end
        ]
        target = min(around, key=lambda s: s.end - s.start) if around else None
    if target is None:
        if related.end > doc.length:
            return []
        target = to_suggestion(
            doc, Candidate(related.start, related.end, related.label, cand.score), origin
        )
        made[key] = target
        out.append(SpanChange(doc.id, None, target))
    elif target.status == "rejected":
        return []
    for old in project.relations_of(doc.id, span.id):
        if old.type == related.type and old.target.key == (doc.id, target.id):
            skipped[REJECTED_BEFORE if old.status == "rejected" else ALREADY_THERE] += 1
            return out
    relation = Relation(
        id=new_relation_id(),
        type=related.type,
        source=End(document=doc.id, span=span.id),
        target=End(document=doc.id, span=target.id),
        origin=origin,
        status="pending",
        score=None if cand.score is None else round(float(cand.score), 4),
    )
    out.append(RelationChange(relation.id, None, relation))
    return out


@dataclass(frozen=True)
class Mention:
    """One end of a proposed link: code points ``[start, end)`` of ``document``, which
    carry (or will carry, as a suggested span) ``label``."""

    document: str
    start: int
    end: int
    label: str


@dataclass(frozen=True)
class Alignment:
    """A link an aligner proposes between two mentions: ``type`` (``same``,
    ``contradicts``, ``differs``), a score in [0, 1] and a note saying what differs
    (``"age: 65 / 64"``)."""

    type: str
    source: Mention
    target: Mention
    score: float
    note: str | None = None


def alignment_batch(  # noqa: C901
    alignments: Iterable[Alignment], origin: str, project: Project, min_score: float = 0.0
) -> Suggested:
    """Pending links for ``alignments`` (scoring at least ``min_score``) as one batch.

    Each end is the span already there (same range and label; else a span of that label
    around it), else a new suggested span. Not proposed again: a link between the same
    two spans of the same type whatever its status (so a rejected link never comes
    back), a ``same`` link between spans already joined by ``same`` links (accepted or
    pending), a link to a rejected span, and a link its type does not allow.
    Long on purpose: each "not proposed again" rule above is one branch.
    """
    changes: list[Change] = []
    problems: list[str] = []
    skipped: Counter[str] = Counter()
    made: dict[tuple[str, int, int, str], Span] = {}
    joined: dict[tuple[str, str], set[tuple[str, str]]] = {}  # pending same links of this batch
    proposed: set[tuple[str, tuple[str, str], tuple[str, str]]] = set()
    for alignment in alignments:
        if alignment.score < min_score:
            continue
        kind = project.relation_type(alignment.type)
        if kind is None:
            problems.append(f"there is no relation type {alignment.type!r}")
            continue
        ends: list[tuple[str, Span]] = []
        for mention in (alignment.source, alignment.target):
            if not project.has_document(mention.document):
                break
            doc = project.document(mention.document)
            span = _mention_span(doc, mention, made)
            if span is None:
                try:
                    span = to_suggestion(
                        doc,
                        Candidate(mention.start, mention.end, mention.label, alignment.score),
                        origin,
                    )
                except CandidateError as exc:
                    problems.append(f"{doc.id}: {exc}")
                    break
                made[(doc.id, mention.start, mention.end, mention.label)] = span
                changes.append(SpanChange(doc.id, None, span))
            ends.append((doc.id, span))
        if len(ends) < 2:
            continue
        (da, a), (db, b) = ends
        ka, kb = (da, a.id), (db, b.id)
        if ka == kb:
            continue
        if a.status == "rejected" or b.status == "rejected":
            skipped[REJECTED_BEFORE] += 1
            continue
        if kind.allows(a.label, b.label, across=da != db) is not None:
            skipped["not allowed by the relation type"] += 1
            continue
        first, second = sorted((ka, kb))
        pair = (alignment.type, first, second)
        why = _linked_before(project, alignment.type, ka, kb) if pair not in proposed else "x"
        if why == "x":
            continue
        if why is not None:
            skipped[why] += 1
            continue
        if kind.transitive:
            group_a = joined.get(ka) or _joined(project, ka, alignment.type)
            if kb in group_a:
                skipped["already in one cluster"] += 1
                continue
            group = group_a | (joined.get(kb) or _joined(project, kb, alignment.type))
            for key in group:
                joined[key] = group
        proposed.add(pair)
        relation = Relation(
            id=new_relation_id(),
            type=alignment.type,
            source=End(document=da, span=a.id),
            target=End(document=db, span=b.id),
            origin=origin,
            status="pending",
            score=round(float(alignment.score), 4),
            note=alignment.note,
        )
        changes.append(RelationChange(relation.id, None, relation))
    spans = sum(isinstance(c, SpanChange) for c in changes)
    links = len(changes) - spans
    text = f"Add {count(links, 'link')}" + (
        f" and {count(spans, 'suggested span')}" if spans else ""
    )
    return Suggested(Batch(f"{text} from {origin}", tuple(changes)), problems, dict(skipped))


def _mention_span(
    doc: Document, mention: Mention, made: dict[tuple[str, int, int, str], Span]
) -> Span | None:
    """The span a mention lands on: made in this batch, exactly there, else the
    smallest span of its label around it (rejected ones included, to be skipped)."""
    key = (doc.id, mention.start, mention.end, mention.label)
    if key in made:
        return made[key]
    around = [
        s
        for s in doc.spans_overlapping(mention.start, mention.end)
        if s.label == mention.label and s.start <= mention.start and mention.end <= s.end
    ]
    exact = [s for s in around if (s.start, s.end) == (mention.start, mention.end)]
    if exact:
        return exact[0]
    live = [s for s in around if s.status != "rejected"]
    return min(live, key=lambda s: s.end - s.start) if live else None


def _joined(project: Project, key: tuple[str, str], type_name: str) -> set[tuple[str, str]]:
    """The spans ``key`` is joined to by links of ``type_name`` accepted or still
    pending (a suggested link already proposes the join)."""
    seen = {key}
    todo = [key]
    while todo:
        for relation in project.relations_of(*todo.pop()):
            if relation.type != type_name or relation.status == "rejected":
                continue
            for end in (relation.source.key, relation.target.key):
                if end not in seen:
                    seen.add(end)
                    todo.append(end)
    return seen


def _linked_before(
    project: Project, type_name: str, a: tuple[str, str], b: tuple[str, str]
) -> str | None:
    for old in project.relations_of(*a):
        if old.type == type_name and {old.source.key, old.target.key} == {a, b}:
            return REJECTED_BEFORE if old.status == "rejected" else ALREADY_THERE
    return None
