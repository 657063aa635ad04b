"""Reviewing suggestions: decisions as undoable commands, the queue, filters, progress.

A decision replaces the suggestion by a copy with a new ``status``. When the reviewer
changes a suggestion's label or range, the copy keeps what the model proposed in
``proposed`` (once: later changes keep the first proposal), so model errors can be
studied later. Suggested relations and links are reviewed the same way, in the same
queue (a :class:`RelationKey` there): accepted, rejected, or retyped (the model's type
kept in ``proposed``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from annotator.core.changes import Change, RelationChange
from annotator.core.commands import Batch, EditError, SpanChange, UpdateSpan
from annotator.core.models import (
    Proposal,
    Relation,
    Span,
    SpanKey,
    SpanStatus,
    replace_relation,
    replace_span,
    utc_now,
)
from annotator.core.project import Document, Project
from annotator.core.wording import quoted


@dataclass(frozen=True)
class RelationKey:
    """A suggested relation or link in the review queue."""

    relation_id: str


ReviewKey = SpanKey | RelationKey


def relation_label(relation: Relation) -> str:
    """How progress counts a relation type (apart from the labels): ``speaker (link)``."""
    return f"{relation.type} ({'link' if relation.across else 'relation'})"


def changed_span(
    doc: Document,
    span: Span,
    *,
    label: str | None = None,
    start: int | None = None,
    end: int | None = None,
    status: SpanStatus | None = None,
    reviewer: str | None = None,
) -> Span:
    """A copy of ``span`` with a new label, range or status, keeping the model's proposal.
    A decision (a new status) by a named ``reviewer`` makes the span that person's work:
    its ``author`` (and so its layer) becomes the reviewer."""
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
        if reviewer is not None:
            update["author"] = reviewer
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
) -> UpdateSpan | Batch:
    """Accept or reject (or reset to pending) one suggestion, optionally reshaped.
    Rejecting it also rejects the relations and links that end on it, in the same
    undo step: no accepted link ever ends on a rejected span."""
    doc = project.document(key[0])
    span = doc.span(key[1])
    after = changed_span(
        doc, span, label=label, start=start, end=end, status=status, reviewer=project.annotator
    )
    verb = {"accepted": "Accept", "rejected": "Reject", "pending": "Reset"}[status]
    decision = _Decision(doc.id, span, after, f"{verb} {after.label} {quoted(after.text)}")
    settled = settle_links(project, [key], set()) if status == "rejected" else []
    if not settled:
        return decision
    links = f" and {len(settled)} link{'s' if len(settled) > 1 else ''} ending on it"
    return Batch(decision.text + links, (SpanChange(doc.id, span, after), *settled))


def settle_links(project: Project, rejected: Iterable[SpanKey], done: set[str]) -> list[Change]:
    """The relations and links ending on rejected spans, rejected too (each once: its
    id goes into ``done``)."""
    out: list[Change] = []
    for doc_id, span_id in rejected:
        for relation in project.relations_of(doc_id, span_id):
            if relation.id in done or relation.status == "rejected":
                continue
            done.add(relation.id)
            out.append(
                RelationChange(relation.id, relation, _decided(project, relation, "rejected"))
            )
    return out


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
    # relation types (contradicts, differs): only relations and links of these, no spans
    types: frozenset[str] | None = None

    def matches_relation(self, project: Project, relation: Relation) -> bool:
        if not relation.is_suggestion:
            return False
        if self.types is not None and relation.type not in self.types:
            return False
        if self.documents is not None and relation.source.document not in self.documents:
            return False
        if self.labels is not None:
            ends = [project.span_of(relation.source.key), project.span_of(relation.target.key)]
            if not any(s is not None and s.label in self.labels for s in ends):
                return False
        if self.origins is not None and relation.origin not in self.origins:
            return False
        return self.min_score is None or (
            relation.score is not None and relation.score >= self.min_score
        )

    def matches(self, doc_id: str, span: Span) -> bool:
        if not span.is_suggestion or self.types is not None:
            return False
        if self.documents is not None and doc_id not in self.documents:
            return False
        if self.labels is not None and span.label not in self.labels:
            return False
        if self.origins is not None and span.origin not in self.origins:
            return False
        return self.min_score is None or (span.score is not None and span.score >= self.min_score)


def queue(project: Project, doc_ids: Iterable[str], flt: ReviewFilter) -> list[ReviewKey]:
    """Every suggestion the filter lets through, in document then reading order; a
    document's suggested relations and links after its spans (their ends are there)."""
    out: list[ReviewKey] = []
    relations = _suggested_relations(project, flt)
    for doc_id in doc_ids:
        doc = project.document(doc_id)
        out.extend((doc_id, s.id) for s in doc.spans() if flt.matches(doc_id, s))
        out.extend(RelationKey(r.id) for r in relations.get(doc_id, []))
    return out


def _suggested_relations(project: Project, flt: ReviewFilter) -> dict[str, list[Relation]]:
    by_doc: dict[str, list[Relation]] = {}
    for relation in project.relations():
        if flt.matches_relation(project, relation):
            by_doc.setdefault(relation.source.document, []).append(relation)
    for relations in by_doc.values():
        relations.sort(key=lambda r: (getattr(project.span_of(r.source.key), "start", 0), r.id))
    return by_doc


def relation_review(relation: Relation) -> str:
    """As :attr:`Span.review`: pending, accepted, corrected (retyped) or rejected."""
    if relation.status == "accepted" and relation.proposed is not None:
        return "corrected"
    return relation.status


def progress(
    project: Project, doc_ids: Iterable[str], flt: ReviewFilter
) -> dict[str, Counter[str]]:
    """Per label (and relation type): how many suggestions are pending, accepted,
    corrected and rejected."""
    counts: dict[str, Counter[str]] = {}
    shown = list(doc_ids)
    for doc_id in shown:
        for span in project.document(doc_id).spans():
            if flt.matches(doc_id, span):
                counts.setdefault(span.label, Counter())[span.review] += 1
    relations = _suggested_relations(project, flt)
    for doc_id in shown:
        for relation in relations.get(doc_id, []):
            counts.setdefault(relation_label(relation), Counter())[relation_review(relation)] += 1
    return counts


def decide_relation(project: Project, key: RelationKey, status: SpanStatus) -> Batch:
    """Accept or reject (or reset to pending) a suggested relation or link."""
    relation = project.relation(key.relation_id)
    after = _decided(project, relation, status)
    verb = {"accepted": "Accept", "rejected": "Reject", "pending": "Reset"}[status]
    changes: list[Change] = []
    if status == "accepted":
        changes += _accept_ends(project, relation, set())
    changes.append(RelationChange(relation.id, relation, after))
    return Batch(
        f"{verb} the {relation.type} {'link' if relation.across else 'relation'}",
        tuple(changes),
    )


def _decided(project: Project, relation: Relation, status: SpanStatus) -> Relation:
    update: dict[str, object] = {"status": status, "modified": utc_now()}
    if project.annotator is not None:
        update["author"] = project.annotator
    return replace_relation(relation, **update)


def _accept_ends(project: Project, relation: Relation, done: set[SpanKey]) -> list[Change]:
    """Accepting a link accepts the suggested spans it ends on (an aligner proposes
    both together); each span once, however many accepted links end on it."""
    out: list[Change] = []
    for key in (relation.source.key, relation.target.key):
        span = project.span_of(key)
        if key in done or span is None or span.status != "pending" or not span.is_suggestion:
            continue
        done.add(key)
        doc = project.document(key[0])
        out.append(
            SpanChange(
                key[0], span, changed_span(doc, span, status="accepted", reviewer=project.annotator)
            )
        )
    return out


def bulk(
    project: Project, keys: Iterable[ReviewKey], status: SpanStatus, description: str
) -> Batch:
    """Set the status of many pending suggestions at once, as one undoable step."""
    changes: list[Change] = []
    done: set[SpanKey] = set()
    relations: list[Relation] = []
    for key in keys:
        if isinstance(key, RelationKey):
            relation = project.relation(key.relation_id)
            if relation.status == "pending" and relation.is_suggestion:
                relations.append(relation)
            continue
        doc_id, span_id = key
        doc = project.document(doc_id)
        span = doc.span(span_id)
        if span.status == "pending" and span.is_suggestion and key not in done:
            done.add(key)
            changes.append(
                SpanChange(
                    doc_id, span, changed_span(doc, span, status=status, reviewer=project.annotator)
                )
            )
    settled: set[str] = set()
    for relation in relations:  # after the spans: an accepted link accepts its ends
        if status == "accepted":
            changes += _accept_ends(project, relation, done)
        after = _decided(project, relation, status)
        settled.add(relation.id)
        changes.append(RelationChange(relation.id, relation, after))
    if status == "rejected":  # what ends on a rejected span is rejected with it
        changes += settle_links(project, done, settled)
    return Batch(description, tuple(changes))


def row_decision(
    project: Project, members: Iterable[SpanKey], status: SpanStatus, name: str
) -> Batch:
    """Accept or reject a comparison row at once (its suggested links, and for an
    accept its suggested spans too), as one undoable step: a cluster of 18 mentions
    in 17 outlets is one decision. A rejected row rejects its links and leaves each
    span to be judged on its own (a wrong link does not make a wrong name); a row
    with no suggested link rejects its suggested spans."""
    keys = set(members)
    links = {
        r.id
        for k in keys
        for r in project.relations_of(*k)
        if r.status == "pending"
        and r.is_suggestion
        and r.source.key in keys
        and r.target.key in keys
    }
    spans = [
        k
        for k in sorted(keys)
        if (s := project.span_of(k)) is not None and s.status == "pending" and s.is_suggestion
    ]
    chosen: list[ReviewKey] = [RelationKey(i) for i in sorted(links)]
    if status == "accepted" or not links:
        chosen = [*spans, *chosen]
    verb = "Accept" if status == "accepted" else "Reject"
    return bulk(project, chosen, status, f"{verb} the row {quoted(name, 40)}")


def split_off(project: Project, out: Iterable[SpanKey], row: Iterable[SpanKey], name: str) -> Batch:
    """One outlet's mention is not the others' (a namesake, a wrong match): the links
    joining ``out`` to the rest of the row go, in one step: suggested ones rejected
    (so they are not proposed again), accepted ones removed."""
    leaving = set(out)
    rest = set(row) - leaving
    changes: list[Change] = []
    seen: set[str] = set()
    for key in leaving:
        for relation in project.relations_of(*key):
            other = relation.target.key if relation.source.key == key else relation.source.key
            if relation.id in seen or other not in rest or relation.status == "rejected":
                continue
            seen.add(relation.id)
            if relation.status == "pending":
                after = _decided(project, relation, "rejected")
                changes.append(RelationChange(relation.id, relation, after))
            else:
                changes.append(RelationChange(relation.id, relation, None))
    return Batch(f"Split {quoted(name, 40)} off its row", tuple(changes))


def _item(project: Project, key: ReviewKey) -> Span | Relation:
    if isinstance(key, RelationKey):
        return project.relation(key.relation_id)
    return project.document(key[0]).span(key[1])


def accept_above(project: Project, keys: Iterable[ReviewKey], threshold: float) -> Batch:
    chosen = [
        k for k in keys if (s := _item(project, k)).score is not None and s.score >= threshold
    ]
    return bulk(project, chosen, "accepted", f"Accept suggestions scored ≥ {threshold:g}")


def reject_origin(project: Project, keys: Iterable[ReviewKey], origin: str) -> Batch:
    chosen = [k for k in keys if _item(project, k).origin == origin]
    return bulk(project, chosen, "rejected", f"Reject suggestions from {origin}")
