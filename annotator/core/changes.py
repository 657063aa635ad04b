"""The one change record: what any edit did to a project, and how to do and undo it.

Every user-visible edit is a tuple of these records (:data:`Changes`). A command
produces them, :class:`~annotator.core.history.History` undoes them by applying
their :func:`reverse`, the journal writes them (:mod:`annotator.io.journal`), the
session emits them and each view takes the kinds it shows:

- :class:`SpanChange`: a span added (no ``before``), removed (no ``after``) or
  replaced (both, same id);
- :class:`DocumentChange`: a document added (no ``before``; its text travels in
  ``after.text``), removed (no ``after``), or its title or outlet changed;
- :class:`LabelChange`: a label added, removed or edited (name, key, colour);
- :class:`RelationChange`: a relation (inside a document) or a link (across two)
  added, removed or changed (its type, its review status);
- :class:`RelationTypeChange`: a relation type added, removed or edited;
- :class:`ClusterNameChange`: the name a person gave a cluster, kept on one member span;
- :class:`StatusChange`: a document marked done (or reopened) by one annotator.

:func:`apply` is the only code that turns a record into a change of the project.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeVar

from annotator.core.models import Label, Relation, RelationType, Span
from annotator.core.project import Document, Project
from annotator.core.work import DocStatus


@dataclass(frozen=True)
class SpanChange:
    """One span changed: added (no ``before``), removed (no ``after``) or updated (both)."""

    document_id: str
    before: Span | None
    after: Span | None

    @property
    def span_id(self) -> str:
        span = self.after or self.before
        assert span is not None
        return span.id


@dataclass(frozen=True)
class DocumentInfo:
    """A document without its spans: where its article is, what it is called and by whom.

    ``text`` is the article, carried where a change adds the document (so that redo,
    and recovery after a crash, can put it back); it is not compared.
    """

    title: str
    source: str
    path: str = ""
    meta: tuple[tuple[str, str], ...] = ()
    text: str | None = field(default=None, compare=False, repr=False)
    assigned: tuple[str, ...] = ()  # the annotators it is given to

    @classmethod
    def of(cls, doc: Document, *, with_text: bool = False) -> DocumentInfo:
        return cls(
            doc.title,
            doc.source,
            doc.path,
            tuple(sorted(doc.meta.items())),
            doc.text if with_text else None,
            doc.assigned,
        )


@dataclass(frozen=True)
class DocumentChange:
    """A document added (no ``before``), removed (no ``after``), or its details changed
    (both): title, outlet, meta, the annotators it is assigned to."""

    document_id: str
    before: DocumentInfo | None
    after: DocumentInfo | None


@dataclass(frozen=True)
class LabelChange:
    """A label added (no ``before``), removed (no ``after``) or edited (both; ``after``
    may carry a new name: a rename keeps the label's place)."""

    name: str
    before: Label | None
    after: Label | None

    @property
    def document_id(self) -> str:
        return ""  # a label belongs to the project, not to one document


@dataclass(frozen=True)
class RelationChange:
    """A relation or link added (no ``before``), removed (no ``after``) or changed (both)."""

    relation_id: str
    before: Relation | None
    after: Relation | None

    @property
    def relation(self) -> Relation:
        relation = self.after or self.before
        assert relation is not None
        return relation

    @property
    def document_id(self) -> str:
        return self.relation.source.document

    @property
    def document_ids(self) -> tuple[str, ...]:
        """Both documents it touches (one for a relation inside a document)."""
        relation = self.relation
        return tuple(dict.fromkeys((relation.source.document, relation.target.document)))


@dataclass(frozen=True)
class RelationTypeChange:
    """A relation type added (no ``before``), removed (no ``after``) or edited (both)."""

    name: str
    before: RelationType | None
    after: RelationType | None

    @property
    def document_id(self) -> str:
        return ""


@dataclass(frozen=True)
class ClusterNameChange:
    """The name a person gave a cluster, kept on member span ``key`` (None: no name)."""

    key: tuple[str, str]  # document id, span id
    before: str | None
    after: str | None

    @property
    def document_id(self) -> str:
        return self.key[0]


@dataclass(frozen=True)
class StatusChange:
    """A document's status for one annotator (or ``gold``) said: done, or reopened."""

    document_id: str
    annotator: str
    before: DocStatus
    after: DocStatus


Change = (
    SpanChange
    | DocumentChange
    | LabelChange
    | RelationChange
    | RelationTypeChange
    | ClusterNameChange
    | StatusChange
)
Changes = tuple[Change, ...]


def reverse(change: Change) -> Change:
    """The record that undoes ``change``."""
    if isinstance(change, SpanChange):
        return SpanChange(change.document_id, change.after, change.before)
    if isinstance(change, DocumentChange):
        return DocumentChange(change.document_id, change.after, change.before)
    if isinstance(change, RelationChange):
        return RelationChange(change.relation_id, change.after, change.before)
    if isinstance(change, RelationTypeChange):
        return RelationTypeChange(change.name, change.after, change.before)
    if isinstance(change, ClusterNameChange):
        return ClusterNameChange(change.key, change.after, change.before)
    if isinstance(change, StatusChange):
        return StatusChange(change.document_id, change.annotator, change.after, change.before)
    return LabelChange(change.name, change.after, change.before)


def apply(project: Project, change: Change) -> None:
    """Make ``change`` in ``project`` (the only place records become edits)."""
    if isinstance(change, SpanChange):
        _apply_span(project, change)
    elif isinstance(change, DocumentChange):
        _apply_document(project, change)
    elif isinstance(change, RelationChange):
        _apply_relation(project, change)
    elif isinstance(change, RelationTypeChange):
        _apply_relation_type(project, change)
    elif isinstance(change, ClusterNameChange):
        if change.after is None:
            project.cluster_names.pop(change.key, None)
        else:
            project.cluster_names[change.key] = change.after
    elif isinstance(change, StatusChange):
        project.work.set_status(change.annotator, change.document_id, change.after)
    else:
        _apply_label(project, change)


def _apply_span(project: Project, change: SpanChange) -> None:
    doc = project.document(change.document_id)
    if change.after is not None:
        doc.put_span(change.after)
    elif change.before is not None:
        doc.pop_span(change.before.id)


def _apply_relation(project: Project, change: RelationChange) -> None:
    if change.after is not None:
        project.put_relation(change.after)
    else:
        project.pop_relation(change.relation_id)


def _apply_document(project: Project, change: DocumentChange) -> None:
    after = change.after
    if after is None:
        project.remove_document(change.document_id)
        return
    if change.before is None:
        if after.text is None:
            raise ValueError(f"document {change.document_id}: added without its text")
        project.add_document(
            Document(
                id=change.document_id,
                path=after.path,
                text=after.text,
                title=after.title,
                source=after.source,
                meta=dict(after.meta),
            )
        )
        project.document(change.document_id).assigned = after.assigned
        return
    doc = project.document(change.document_id)
    doc.title = after.title
    doc.source = after.source
    doc.meta = dict(after.meta)
    doc.assigned = after.assigned


def _apply_label(project: Project, change: LabelChange) -> None:
    _replace_named(project.labels, change.before, change.after, change.name)


def _apply_relation_type(project: Project, change: RelationTypeChange) -> None:
    _replace_named(project.relation_types, change.before, change.after, change.name)


Named = TypeVar("Named", Label, RelationType)


def _replace_named(
    items: list[Named], before: Named | None, after: Named | None, name: str
) -> None:
    """A label or relation type added, removed or edited in ``items``. A rename is one
    change: found by the name it had, replaced in its place."""
    old = before.name if before is not None else name
    index = next((i for i, item in enumerate(items) if item.name == old), None)
    if after is None:
        if index is not None:
            del items[index]
    elif index is None:
        items.append(after)
    else:
        items[index] = after


def span_changes(changes: Changes) -> tuple[SpanChange, ...]:
    """The span changes among ``changes`` (what span views and span indexes follow)."""
    return tuple(c for c in changes if isinstance(c, SpanChange))


def document_changes(changes: Changes) -> tuple[DocumentChange, ...]:
    return tuple(c for c in changes if isinstance(c, DocumentChange))


def label_changes(changes: Changes) -> tuple[LabelChange, ...]:
    return tuple(c for c in changes if isinstance(c, LabelChange))


def status_changes(changes: Changes) -> tuple[StatusChange, ...]:
    return tuple(c for c in changes if isinstance(c, StatusChange))


def relation_changes(changes: Changes) -> tuple[RelationChange, ...]:
    return tuple(c for c in changes if isinstance(c, RelationChange))


def touches_links(changes: Changes) -> bool:
    """Whether ``changes`` alter what link views show (relations, types, cluster names,
    or spans, whose removal or relabelling the links follow)."""
    return any(
        isinstance(c, RelationChange | RelationTypeChange | ClusterNameChange | SpanChange)
        for c in changes
    )
