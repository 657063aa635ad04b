"""The session: one open project, its history, the selected span, and saving.

Widgets never change the project themselves: they hand a core command to
:meth:`Session.run`, and redraw from the :class:`SpanChange` records that
:attr:`Session.spans_changed` carries. Autosave writes the project a moment after
the last change (atomically, see :mod:`annotator.core.store`).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, QTimer, Signal

from annotator.core.commands import Changes, Command, EditError
from annotator.core.history import History
from annotator.core.project import Project
from annotator.core.store import save_project

AUTOSAVE_DELAY_MS = 1500


@dataclass(frozen=True)
class SpanRef:
    document_id: str
    span_id: str


class Session(QObject):
    spans_changed = Signal(object)  # Changes
    history_changed = Signal()  # undo/redo availability, clean state
    selection_changed = Signal(object)  # SpanRef | None
    saved = Signal(str)  # path written
    save_failed = Signal(str)  # message
    edit_refused = Signal(str)  # message

    def __init__(self, project: Project, *, dirty: bool = False, parent: QObject | None = None):
        super().__init__(parent)
        self.project = project
        self.history = History(project)
        self._force_dirty = dirty  # a project made from a folder has never been saved
        self._selected: SpanRef | None = None
        self.autosave_enabled = True
        self._autosave = QTimer(self)
        self._autosave.setSingleShot(True)
        self._autosave.setInterval(AUTOSAVE_DELAY_MS)
        self._autosave.timeout.connect(self._autosave_now)

    # --- edits ---------------------------------------------------------------------------

    def run(self, command: Command) -> bool:
        try:
            changes = self.history.execute(command)
        except (EditError, KeyError) as exc:
            self.edit_refused.emit(str(exc))
            return False
        self._after_edit(changes)
        return True

    def undo(self) -> None:
        self._after_edit(self.history.undo())

    def redo(self) -> None:
        self._after_edit(self.history.redo())

    def _after_edit(self, changes: Changes) -> None:
        if not changes:
            return
        self.spans_changed.emit(changes)
        if self._selected is not None:
            doc = self.project.document(self._selected.document_id)
            if not doc.has_span(self._selected.span_id):
                self.select(None)
        self.history_changed.emit()
        if self.autosave_enabled:
            self._autosave.start()

    # --- selection ---------------------------------------------------------------------

    @property
    def selected(self) -> SpanRef | None:
        return self._selected

    def select(self, ref: SpanRef | None) -> None:
        if ref != self._selected:
            self._selected = ref
            self.selection_changed.emit(ref)

    # --- saving ------------------------------------------------------------------------

    @property
    def is_dirty(self) -> bool:
        return self._force_dirty or not self.history.is_clean

    def save(self) -> bool:
        self._autosave.stop()
        try:
            path = save_project(self.project)
        except OSError as exc:
            self.save_failed.emit(f"Could not save {self.project.root}: {exc.strerror or exc}")
            return False
        self._force_dirty = False
        self.history.mark_clean()
        self.history_changed.emit()
        self.saved.emit(str(path))
        return True

    def _autosave_now(self) -> None:
        if self.is_dirty:
            self.save()
