"""Undoable edits as small command objects holding ids and values, never widgets.

Each command's ``do`` and ``undo`` change the project and return the
:class:`SpanChange` records of what changed, which the UI turns into precise view
updates. Build spans with :func:`make_span`, which snaps and checks the range.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Protocol

from annotator.core.changes import (
    Change,
    Changes,
    DocumentChange,
    DocumentInfo,
    LabelChange,
    RelationChange,
    SpanChange,
    apply,
    document_changes,
    label_changes,
    reverse,
    span_changes,
)
from annotator.core.models import Label, Proposal, Span, new_span_id, replace_span, utc_now
from annotator.core.project import Document, Project
from annotator.core.text import snap_to_words
from annotator.core.wording import count, plural, quoted

# The change records live in annotator.core.changes; they are named here too, as
# plug-ins and older code import them from this module.
__all__ = [
    "Change",
    "Changes",
    "DocumentChange",
    "DocumentInfo",
    "LabelChange",
    "SpanChange",
    "document_changes",
    "label_changes",
    "span_changes",
]


class Command(Protocol):
    @property
    def description(self) -> str: ...

    def do(self, project: Project) -> Changes: ...

    def undo(self, project: Project) -> Changes: ...


class EditError(ValueError):
    """An edit that cannot be made, with a message for the user."""


def make_span(
    document: Document,
    start: int,
    end: int,
    label: str,
    *,
    snap: bool = True,
    author: str | None = None,
    origin: str = "manual",
) -> Span:
    """A new span over ``[start, end)`` of ``document`` (code points), snapped to words."""
    if not 0 <= start < end <= len(document.text):
        raise EditError(f"range {start}-{end} is outside the document (0-{len(document.text)})")
    if snap:
        start, end = snap_to_words(document.text, start, end)
    text = document.text[start:end]
    if not text.strip():
        raise EditError("the selection holds only white space")
    return Span(
        id=new_span_id(), start=start, end=end, label=label, text=text, author=author, origin=origin
    )


@dataclass(frozen=True)
class AddSpan:
    document_id: str
    span: Span

    @property
    def description(self) -> str:
        return f"Tag {quoted(self.span.text)} as {self.span.label}"

    def do(self, project: Project) -> Changes:
        doc = project.document(self.document_id)
        if doc.has_span(self.span.id):
            raise EditError(f"span {self.span.id} exists already")
        doc.put_span(self.span)
        return (SpanChange(self.document_id, None, self.span),)

    def undo(self, project: Project) -> Changes:
        doc = project.document(self.document_id)
        removed = doc.pop_span(self.span.id)
        return (SpanChange(self.document_id, removed, None),)


@dataclass(frozen=True)
class RemoveSpan:
    document_id: str
    span: Span

    @property
    def description(self) -> str:
        return f"Remove {self.span.label} {quoted(self.span.text)}"

    def do(self, project: Project) -> Changes:
        removed = project.document(self.document_id).pop_span(self.span.id)
        return (SpanChange(self.document_id, removed, None),)

    def undo(self, project: Project) -> Changes:
        project.document(self.document_id).put_span(self.span)
        return (SpanChange(self.document_id, None, self.span),)


@dataclass(frozen=True)
class UpdateSpan:
    """Replace a span by a changed copy with the same id (relabel, note, boundaries)."""

    document_id: str
    before: Span
    after: Span

    @property
    def description(self) -> str:
        if self.before.label != self.after.label:
            return f"Relabel {quoted(self.after.text)} as {self.after.label}"
        return f"Change {self.after.label} {quoted(self.after.text)}"

    def do(self, project: Project) -> Changes:
        project.document(self.document_id).put_span(self.after)
        return (SpanChange(self.document_id, self.before, self.after),)

    def undo(self, project: Project) -> Changes:
        project.document(self.document_id).put_span(self.before)
        return (SpanChange(self.document_id, self.after, self.before),)


@dataclass(frozen=True)
class EditDocument:
    """Set a document's title and outlet (the Documents list, Edit Title and Outlet…)."""

    document_id: str
    before: DocumentInfo
    after: DocumentInfo

    @property
    def description(self) -> str:
        return f"Edit the title and outlet of {quoted(self.after.title or self.document_id)}"

    def do(self, project: Project) -> Changes:
        change = DocumentChange(self.document_id, self.before, self.after)
        apply(project, change)
        return (change,)

    def undo(self, project: Project) -> Changes:
        change = DocumentChange(self.document_id, self.after, self.before)
        apply(project, change)
        return (change,)


def edit_document(
    project: Project,
    document_id: str,
    title: str,
    source: str,
    meta: dict[str, str] | None = None,
) -> EditDocument:
    """The title, outlet and, in ``meta``, details such as the date, author and
    address (an empty value removes the key), each one line of at most 300 characters."""
    doc = project.document(document_id)
    title, source = " ".join(title.split()), " ".join(source.split())
    edited = {key: " ".join(value.split()) for key, value in (meta or {}).items()}
    if any(len(v) > 300 for v in (title, source, *edited.values())):
        raise EditError("a title, outlet or detail may have at most 300 characters")
    before = DocumentInfo.of(doc)
    kept = {k: v for k, v in before.meta if k not in edited}
    kept.update({k: v for k, v in edited.items() if v})
    after = dataclasses.replace(
        before, title=title, source=source, meta=tuple(sorted(kept.items()))
    )
    return EditDocument(document_id, before, after)


@dataclass(frozen=True)
class Batch:
    """Many span changes as one undoable step (suggestions from an extractor, bulk review).

    Each change is ``SpanChange(document_id, before, after)``: ``before`` None adds,
    ``after`` None removes, both replace by id.
    """

    text: str
    changes: Changes

    @property
    def description(self) -> str:
        return self.text

    def do(self, project: Project) -> Changes:
        added = {c.document_id for c in document_changes(self.changes) if c.before is None}
        for change in span_changes(self.changes):
            if change.document_id in added:
                continue  # a document this batch adds has no spans yet
            doc = project.document(change.document_id)
            if change.before is None and change.after is not None and doc.has_span(change.span_id):
                raise EditError(f"span {change.span_id} exists already")
        for each in self.changes:
            if (
                isinstance(each, RelationChange)
                and each.before is None
                and (project.has_relation(each.relation_id))
            ):
                raise EditError(f"relation {each.relation_id} exists already")
        for each in self.changes:
            apply(project, each)
        return self.changes

    def undo(self, project: Project) -> Changes:
        undone = tuple(reverse(c) for c in reversed(self.changes))
        for change in undone:
            apply(project, change)
        return undone


def relabel(document_id: str, span: Span, label: str) -> UpdateSpan:
    """Change a span's label; a suggestion keeps the label its model proposed."""
    update: dict[str, object] = {"label": label, "modified": utc_now()}
    if span.is_suggestion and span.proposed is None:
        update["proposed"] = Proposal(start=span.start, end=span.end, label=span.label)
    return UpdateSpan(document_id, span, replace_span(span, **update))


def edit_labels(  # noqa: C901
    project: Project, rows: list[tuple[str | None, Label]], description: str = "Edit labels"
) -> Batch:
    """Labels ▸ Edit Labels…: the project's labels as the person left them, as one batch.

    ``rows`` pairs each label's old name (None for a new label) with its new value, in
    the new order. A renamed label takes its spans along (each span relabelled); a label
    left out is removed, which is refused while spans use it. Two labels may not share
    a name or a key. Raises :class:`EditError` with a message for the person.
    Long on purpose: each branch is one refusal the person reads, in the order they are checked.
    """
    names = [label.name for _old, label in rows]
    keys = [label.key for _old, label in rows if label.key]
    if len(set(names)) != len(names):
        raise EditError("two labels have the same name")
    if len(set(keys)) != len(keys):
        raise EditError("two labels have the same key")
    type_keys = {t.key.casefold() for t in project.relation_types if t.key}
    taken = sorted(k for k in keys if k.casefold() in type_keys)
    if taken:
        raise EditError(f"the key {taken[0]!r} is a relation type's key already")
    old_by_name = {lb.name: lb for lb in project.labels}
    kept = {old for old, _label in rows if old is not None}
    in_use: dict[str, int] = {}
    for doc in project.documents:
        for span in doc.spans():
            in_use[span.label] = in_use.get(span.label, 0) + 1
    changes: list[Change] = []
    for name, label in old_by_name.items():
        if name not in kept:
            if in_use.get(name):
                used = in_use[name]
                raise EditError(
                    f"the label {name!r} is on {count(used, 'span')}; relabel or remove "
                    f"{plural(used, 'it', 'them')} first"
                )
            changes.append(LabelChange(name, label, None))
    renamed: dict[str, str] = {}
    for old, label in rows:
        if old is None:
            if label.name in old_by_name and label.name not in kept:
                continue
            changes.append(LabelChange(label.name, None, label))
        elif old != label.name:
            changes.append(LabelChange(old, old_by_name[old], label))
            renamed[old] = label.name
        elif old_by_name[old] != label:
            changes.append(LabelChange(old, old_by_name[old], label))
    for doc in project.documents:
        for span in doc.spans():
            if span.label in renamed:
                after = replace_span(span, label=renamed[span.label], modified=utc_now())
                changes.append(SpanChange(doc.id, span, after))
    return Batch(description, tuple(changes))
