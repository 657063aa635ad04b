"""Review mode: walk the queue of suggestions and decide on each from the keyboard.

:class:`ReviewMode` holds the queue (every suggestion of the shown documents that
the filter lets through, in reading order), the current suggestion and its draft
range (boundaries moved with Shift/Alt+Shift+arrows before accepting), and the
per-label progress counts. Every decision is a core command run through the
:class:`Session`, so undo and the unsaved marker work as for any edit. The queue is
rebuilt only when suggestions appear or disappear; a decision updates the counts from
its change record, so accept-and-advance stays constant-time.
"""

from __future__ import annotations

import time
from collections import Counter

from PySide6.QtCore import QObject, Signal

from annotator.core.changes import relation_changes
from annotator.core.commands import Changes, EditError, relabel, span_changes
from annotator.core.models import Relation, Span, SpanKey, SpanStatus
from annotator.core.relating import retype
from annotator.core.review import (
    RelationKey,
    ReviewFilter,
    ReviewKey,
    accept_above,
    decide,
    decide_relation,
    progress,
    queue,
    reject_origin,
    relation_label,
    relation_review,
)
from annotator.core.text import word_edge, word_start
from annotator.ui.session import Session, SpanRef


class ReviewMode(QObject):
    changed = Signal()  # the current suggestion, the queue or the counts changed
    current_changed = Signal(object)  # (document id, Span, draft range) | None
    # a suggested relation or link is the current one (its id): the window shows both ends
    relation_current = Signal(str)
    # a decision made: its document, the seconds since its suggestion was shown, accepted
    decided = Signal(str, float, bool)

    def __init__(self, session: Session, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.active = False
        self._shown_at = time.monotonic()
        self.filter = ReviewFilter()
        self.documents: list[str] = []
        self.keys: list[ReviewKey] = []
        self.index = -1
        self.draft: tuple[int, int] | None = None
        self.counts: dict[str, Counter[str]] = {}
        session.changed.connect(self._on_session_changed)

    # --- the queue -------------------------------------------------------------------

    def set_active(self, on: bool) -> None:
        self.active = on
        if on:
            self.rebuild()
            if self.current() is None or self.current_span().status != "pending":  # type: ignore[union-attr]
                self.index = -1
                self.next()
        else:
            self.draft = None
            self.current_changed.emit(None)
        self.changed.emit()

    def set_documents(self, doc_ids: list[str]) -> None:
        self.documents = list(doc_ids)
        if self.active:
            self.rebuild()
            self._show_current()

    def set_filter(self, flt: ReviewFilter) -> None:
        self.filter = flt
        self.rebuild()
        if self.current() is None:
            self.index = -1
            self.next()
        self._show_current()

    def rebuild(self) -> None:
        current = self.current()
        project = self.session.project
        self.keys = queue(project, self.documents, self.filter)
        self.counts = progress(project, self.documents, self.filter)
        self.index = self.keys.index(current) if current in self.keys else -1
        self.changed.emit()

    def current_key(self) -> ReviewKey | None:
        """The current item: a suggested span, or a suggested relation or link."""
        if 0 <= self.index < len(self.keys):
            key = self.keys[self.index]
            if self._exists(key):
                return key
        return None

    def _exists(self, key: ReviewKey) -> bool:
        project = self.session.project
        if isinstance(key, RelationKey):
            return project.has_relation(key.relation_id)
        return project.document(key[0]).has_span(key[1])

    def current(self) -> SpanKey | None:
        """The current suggested span (None while a relation is current)."""
        key = self.current_key()
        return key if isinstance(key, tuple) else None

    def current_span(self) -> Span | None:
        key = self.current()
        return None if key is None else self.session.project.document(key[0]).span(key[1])

    def current_relation(self) -> Relation | None:
        key = self.current_key()
        if isinstance(key, RelationKey):
            return self.session.project.relation(key.relation_id)
        return None

    def origins(self) -> list[str]:
        project = self.session.project
        found = {
            s.origin for d in self.documents for s in project.document(d).spans() if s.is_suggestion
        }
        shown = set(self.documents)
        found |= {
            r.origin for r in project.relations() if r.is_suggestion and r.source.document in shown
        }
        return sorted(found)

    def reviewed_total(self) -> tuple[int, int]:
        total = sum(sum(c.values()) for c in self.counts.values())
        pending = sum(c["pending"] for c in self.counts.values())
        return total - pending, total

    # --- moving ----------------------------------------------------------------------

    def next(self) -> bool:
        return self._move(1)

    def previous(self) -> bool:
        return self._move(-1)

    def _move(self, step: int) -> bool:
        """To the next pending suggestion in this direction (wrapping); False if none."""
        n = len(self.keys)
        if n == 0:
            self.index = -1
            self._show_current()
            return False
        start = self.index if self.index >= 0 else (-1 if step > 0 else n)
        for k in range(1, n + 1):
            i = (start + step * k) % n
            if self._pending(self.keys[i]):
                self.index = i
                self._show_current()
                return True
        self._show_current()
        return False

    def _pending(self, key: ReviewKey) -> bool:
        project = self.session.project
        if isinstance(key, RelationKey):
            return (
                project.has_relation(key.relation_id)
                and project.relation(key.relation_id).status == "pending"
            )
        doc = project.document(key[0])
        return doc.has_span(key[1]) and doc.span(key[1]).status == "pending"

    def _show_current(self) -> None:
        self.draft = None
        self._shown_at = time.monotonic()
        key = self.current()
        relation = self.current_relation()
        if relation is not None:
            self.current_changed.emit(None)
            self.session.select(SpanRef(*relation.source.key))
            self.relation_current.emit(relation.id)
        elif key is None:
            self.current_changed.emit(None)
        else:
            span = self.session.project.document(key[0]).span(key[1])
            self.session.select(SpanRef(*key))
            self.current_changed.emit((key[0], span, None))
        self.changed.emit()

    # --- deciding --------------------------------------------------------------------

    def accept(self) -> None:
        self._decide("accepted")

    def reject(self) -> None:
        self._decide("rejected")

    def _decide(self, status: SpanStatus) -> None:
        relation = self.current_relation()
        took = time.monotonic() - self._shown_at  # since the suggestion was shown
        if relation is not None:
            decision = decide_relation(self.session.project, RelationKey(relation.id), status)
            if self.session.run(decision):
                self.decided.emit(relation.source.document, took, status == "accepted")
                if not self.next():
                    self.session.edit_refused.emit(
                        "Every suggestion in the queue has been reviewed."
                    )
            return
        key = self.current()
        if key is None:
            return
        start, end = self.draft if (self.draft and status == "accepted") else (None, None)
        try:
            command = decide(self.session.project, key, status, start=start, end=end)
        except EditError as exc:
            self.session.edit_refused.emit(str(exc))
            return
        if self.session.run(command):
            self.decided.emit(key[0], took, status == "accepted")
            if not self.next():
                self.session.edit_refused.emit("Every suggestion in the queue has been reviewed.")

    def retype(self, type_name: str) -> bool:
        """A relation key on a suggested relation: its type changes, the model's is kept."""
        relation = self.current_relation()
        if relation is None or relation.type == type_name:
            return relation is not None
        try:
            command = retype(self.session.project, relation, type_name)
        except EditError as exc:
            self.session.edit_refused.emit(str(exc))
            return True
        self.session.run(command)
        self._emit_current()
        return True

    def relabel(self, label: str) -> None:
        span = self.current_span()
        key = self.current()
        if span is None or key is None or span.label == label:
            return
        draft = self.draft
        self.session.run(relabel(key[0], span, label))
        self.draft = draft
        self._emit_current()

    def adjust(self, edge: str, step: int, *, by_word: bool = False) -> None:
        """Move the draft's ``start`` or ``end`` by a character or a word."""
        key = self.current()
        span = self.current_span()
        if key is None or span is None:
            return
        text = self.session.project.document(key[0]).text
        start, end = self.draft or (span.start, span.end)
        if edge == "end":
            end = word_edge(text, end, step) if by_word else end + step
            end = min(max(end, start + 1), len(text))
        else:
            start = word_start(text, start, step) if by_word else start + step
            start = max(min(start, end - 1), 0)
        self.draft = (start, end) if (start, end) != (span.start, span.end) else None
        self._emit_current()

    def _emit_current(self) -> None:
        key = self.current()
        span = self.current_span()
        self.current_changed.emit(None if key is None else (key[0], span, self.draft))
        relation = self.current_relation()
        if relation is not None:
            self.relation_current.emit(relation.id)
        self.changed.emit()

    def accept_above(self, threshold: float) -> int:
        batch = accept_above(self.session.project, self.keys, threshold)
        if batch.changes:
            self.session.run(batch)
            self.next()
        return len(batch.changes)

    def reject_origin(self, origin: str) -> int:
        batch = reject_origin(self.session.project, self.keys, origin)
        if batch.changes:
            self.session.run(batch)
            self.next()
        return len(batch.changes)

    # --- keeping up with edits -------------------------------------------------------

    def _on_session_changed(self, all_changes: Changes) -> None:
        if self.active and relation_changes(all_changes):
            self._on_relations_changed(all_changes)
        changes = span_changes(all_changes)
        if not self.active or not changes:
            return
        shown = set(self.documents)
        if any(
            (c.before is None or c.after is None)
            and c.document_id in shown
            and (c.before or c.after).is_suggestion  # type: ignore[union-attr]
            for c in changes
        ):
            self.rebuild()
            return
        for c in changes:
            for span, delta in ((c.before, -1), (c.after, 1)):
                if span is not None and self.filter.matches(c.document_id, span):
                    self.counts.setdefault(span.label, Counter())[span.review] += delta
        if len(changes) == 1:
            c = changes[0]
            undone = (
                c.before is not None
                and c.after is not None
                and (c.before.status != "pending" and c.after.status == "pending")
            )
            key = (c.document_id, c.after.id) if c.after is not None else None
            if undone and key in self.keys:  # an undone decision: back to that suggestion
                self.index = self.keys.index(key)  # type: ignore[arg-type]
                self._show_current()
                return
        self._emit_current()

    def _on_relations_changed(self, all_changes: Changes) -> None:
        """A suggested relation came or went (rebuild), or was decided (counts; an undone
        decision goes back to it)."""
        changes = relation_changes(all_changes)
        if any((c.before is None or c.after is None) and c.relation.is_suggestion for c in changes):
            self.rebuild()
            return
        project = self.session.project
        for c in changes:
            for relation, delta in ((c.before, -1), (c.after, 1)):
                if relation is not None and self.filter.matches_relation(project, relation):
                    label = relation_label(relation)
                    self.counts.setdefault(label, Counter())[relation_review(relation)] += delta
        if len(changes) == 1 and not span_changes(all_changes):
            c = changes[0]
            undone = (
                c.before is not None
                and c.after is not None
                and c.before.status != "pending"
                and c.after.status == "pending"
            )
            key = RelationKey(c.relation_id)
            if undone and key in self.keys:
                self.index = self.keys.index(key)
                self._show_current()
                return
        self._emit_current()
