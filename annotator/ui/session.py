"""The session: one open project, its history, the selected span, and saving.

Widgets never change the project themselves: they hand a core command to
:meth:`Session.run`, and redraw from the :class:`SpanChange` records that
:attr:`Session.spans_changed` carries. Autosave writes the project a moment after
the last change (atomically, see :mod:`annotator.core.store`), and every edit is
appended to the edit journal (:mod:`annotator.core.journal`) as it happens, so a
crash between two autosaves loses nothing.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from PySide6.QtCore import QObject, QTimer, Signal

from annotator.core.commands import Changes, Command, EditError
from annotator.core.history import History
from annotator.core.journal import Journal
from annotator.core.lock import ProjectLock
from annotator.core.project import Project
from annotator.core.store import Snapshot, save_project, snapshot, write_snapshot

AUTOSAVE_DELAY_MS = 1500
READ_ONLY = "Read-only: this project is open for editing elsewhere. Nothing here is saved."


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
    _background_done = Signal(object, str, str)  # token, path, error (from the writer thread)

    def __init__(
        self,
        project: Project,
        *,
        dirty: bool = False,
        read_only: bool = False,
        lock: ProjectLock | None = None,
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        self.project = project
        # Read-only: the project is open for editing elsewhere; nothing here changes it.
        self.read_only = read_only
        self.lock = lock  # released by close()
        self.history = History(project)
        self._force_dirty = dirty  # a project made from a folder has never been saved
        self._selected: SpanRef | None = None
        self.autosave_enabled = True
        self._autosave = QTimer(self)
        self._autosave.setSingleShot(True)
        self._autosave.setInterval(AUTOSAVE_DELAY_MS)
        self._autosave.timeout.connect(self._autosave_now)
        self._writer: threading.Thread | None = None
        self._generation = 0  # a save on this thread makes older background results stale
        self._background_done.connect(self._on_background_done)
        self.journal: Journal | None = None

    def start_journal(self) -> None:
        """Append every edit from now on to the project's journal (after any recovery)."""
        if self.journal is None and not self.read_only:
            self.journal = Journal(self.project.root)

    # --- edits ---------------------------------------------------------------------------

    def run(self, command: Command) -> bool:
        if self.read_only:
            self.edit_refused.emit(READ_ONLY)
            return False
        try:
            changes = self.history.execute(command)
        except (EditError, KeyError) as exc:
            self.edit_refused.emit(str(exc))
            return False
        self._after_edit(changes, command.description)
        return True

    def undo(self) -> None:
        if self.read_only:
            return
        what = f"Undo {self.history.undo_text}"
        self._after_edit(self.history.undo(), what)

    def redo(self) -> None:
        if self.read_only:
            return
        what = f"Redo {self.history.redo_text}"
        self._after_edit(self.history.redo(), what)

    def _after_edit(self, changes: Changes, what: str) -> None:
        if not changes:
            return
        if self.journal is not None:
            self.journal.record(changes, what)
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

    def mark_dirty(self) -> None:
        """Something outside the history changed (documents added): save it."""
        self._force_dirty = True
        self.history_changed.emit()
        if self.autosave_enabled:
            self._autosave.start()

    @property
    def is_dirty(self) -> bool:
        return self._force_dirty or not self.history.is_clean

    def save(self) -> bool:
        """Save now, on this thread (Ctrl+S, closing): returns only when it is on disk."""
        if self.read_only:
            self.edit_refused.emit(READ_ONLY)
            return False
        self._autosave.stop()
        self.wait_for_background_save()
        self._generation += 1
        self._writer = None
        try:
            path = save_project(self.project)
        except OSError as exc:
            self.save_failed.emit(f"Could not save {self.project.root}: {exc.strerror or exc}")
            return False
        if self.journal is not None:
            self.journal.saved_through(self.journal.seq)
        self._force_dirty = False
        self.history.mark_clean()
        self.history_changed.emit()
        self.saved.emit(str(path))
        return True

    def _autosave_now(self) -> None:
        """Autosave: snapshot here (cheap), serialise and write on a background thread."""
        if not self.is_dirty:
            return
        if self._writer is not None:  # still writing the previous one: try again shortly
            self._autosave.start()
            return
        token = self.history.token()
        seq = self.journal.seq if self.journal is not None else 0
        snap = snapshot(self.project)
        self._writer = threading.Thread(
            target=self._write_in_background,
            args=(snap, (self._generation, token, seq)),
            name="autosave",
            daemon=True,
        )
        self._writer.start()

    def _write_in_background(self, snap: Snapshot, token: object) -> None:
        if self.journal is not None:
            self.journal.sync()  # the edits since the last tick survive a power cut now
        try:
            path, error = str(write_snapshot(snap)), ""
        except OSError as exc:
            path, error = "", f"Could not save {snap.root}: {exc.strerror or exc}"
        self._background_done.emit(token, path, error)

    def _on_background_done(self, stamp: object, path: str, error: str) -> None:
        assert isinstance(stamp, tuple)
        generation, token, seq = stamp
        if generation != self._generation:
            return  # a save on this thread came after it and already counted
        self._writer = None
        if error:
            self.save_failed.emit(error)
            return
        if self.journal is not None:
            self.journal.saved_through(seq)
        self._force_dirty = False
        self.history.mark_clean_at(token)
        self.history_changed.emit()
        self.saved.emit(path)
        if self.is_dirty and self.autosave_enabled:
            self._autosave.start()

    def wait_for_background_save(self) -> None:
        """Let a running autosave finish (before a save on this thread, or quitting)."""
        writer = self._writer
        if writer is not None:
            writer.join()

    @property
    def saving_in_background(self) -> bool:
        return self._writer is not None

    def set_autosave_delay(self, ms: int) -> None:
        """How long after the last change autosave runs (default :data:`AUTOSAVE_DELAY_MS`)."""
        self._autosave.setInterval(ms)

    def autosave_now(self) -> None:
        """Start an autosave at once, as the timer would (tests, benchmarks)."""
        self._autosave.stop()
        self._autosave_now()

    def close(self) -> None:
        """The window is closing: finish writing, drop the journal if all is saved, unlock."""
        self._autosave.stop()
        self.wait_for_background_save()
        if self.journal is not None:
            if self.is_dirty:
                self.journal.close()  # keep it: the next open offers to restore it
            else:
                self.journal.discard()
        if self.lock is not None:
            self.lock.release()
            self.lock = None
