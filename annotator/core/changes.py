"""The one change record: what any edit did to a project, and how to do and undo it.

Every user-visible edit is a tuple of these records (:data:`Changes`). A command
produces them, :class:`~annotator.core.history.History` undoes them by applying
their :func:`reverse`, the journal writes them (:mod:`annotator.io.journal`), the
session emits them and each view takes the kinds it shows:

- :class:`SpanChange`: a span added (no ``before``), removed (no ``after``) or
  replaced (both, same id);
- :class:`DocumentChange`: a document added (no ``before``; its text travels in
  ``after.text``), removed (no ``after``), or its title or outlet changed;
- :class:`LabelChange`: a label added, removed or edited (name, key, colour).

Relations between spans and links across documents (the next issue) get their own
record here, with the same ``before``/``after`` shape, and the same journal, history
and signal carry them. :func:`apply` is the only code that turns a record into a
change of the project.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from annotator.core.models import Label, Span
from annotator.core.project import Document, Project


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

    @classmethod
    def of(cls, doc: Document, *, with_text: bool = False) -> DocumentInfo:
        return cls(
            doc.title,
            doc.source,
            doc.path,
            tuple(sorted(doc.meta.items())),
            doc.text if with_text else None,
        )


@dataclass(frozen=True)
class DocumentChange:
    """A document added (no ``before``), removed (no ``after``), or retitled (both)."""

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


Change = SpanChange | DocumentChange | LabelChange
Changes = tuple[Change, ...]


def reverse(change: Change) -> Change:
    """The record that undoes ``change``."""
    if isinstance(change, SpanChange):
        return SpanChange(change.document_id, change.after, change.before)
    if isinstance(change, DocumentChange):
        return DocumentChange(change.document_id, change.after, change.before)
    return LabelChange(change.name, change.after, change.before)


def apply(project: Project, change: Change) -> None:
    """Make ``change`` in ``project`` (the only place records become edits)."""
    if isinstance(change, SpanChange):
        doc = project.document(change.document_id)
        if change.after is not None:
            doc.put_span(change.after)
        elif change.before is not None:
            doc.pop_span(change.before.id)
    elif isinstance(change, DocumentChange):
        _apply_document(project, change)
    else:
        _apply_label(project, change)


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
        return
    doc = project.document(change.document_id)
    doc.title = after.title
    doc.source = after.source


def _apply_label(project: Project, change: LabelChange) -> None:
    # a rename is one change: found by the name it had, replaced in its place
    name = change.before.name if change.before is not None else change.name
    index = next((i for i, lb in enumerate(project.labels) if lb.name == name), None)
    if change.after is None:
        if index is not None:
            del project.labels[index]
    elif index is None:
        project.labels.append(change.after)
    else:
        project.labels[index] = change.after


def span_changes(changes: Changes) -> tuple[SpanChange, ...]:
    """The span changes among ``changes`` (what span views and span indexes follow)."""
    return tuple(c for c in changes if isinstance(c, SpanChange))


def document_changes(changes: Changes) -> tuple[DocumentChange, ...]:
    return tuple(c for c in changes if isinstance(c, DocumentChange))


def label_changes(changes: Changes) -> tuple[LabelChange, ...]:
    return tuple(c for c in changes if isinstance(c, LabelChange))
