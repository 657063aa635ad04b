"""The session: one open project, its history, the selected span, and saving.

Widgets never change the project themselves: they hand a core command to
:meth:`Session.run`, and redraw from the change records
(:mod:`annotator.core.changes`: spans, documents, labels) that :attr:`Session.changed`
carries. Autosave writes the project a moment after
the last change (atomically, see :mod:`annotator.io.save`), and every edit is
appended to the edit journal (:mod:`annotator.io.journal`) as it happens, so a
crash between two autosaves loses nothing.
"""

from __future__ import annotations

import contextlib
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

from annotator.core.commands import Changes, Command, EditError
from annotator.core.history import History
from annotator.core.names import BadName
from annotator.core.project import Project
from annotator.io.atomic import atomic_write_bytes, file_stamp
from annotator.io.journal import Journal
from annotator.io.lock import ProjectLock
from annotator.io.paths import project_file
from annotator.io.save import (
    ChangedOnDisk,
    Saved,
    Snapshot,
    changed_files,
    save_project,
    saved_into,
    snapshot,
    write_snapshot,
)
from annotator.ops import editing

AUTOSAVE_DELAY_MS = 1500
WATCH_SETTLE_MS = 300  # a change on disk is checked once writes to it have settled
READ_ONLY = "Read-only: this project is open for editing elsewhere. Nothing here is saved."


@dataclass(frozen=True)
class SpanRef:
    document_id: str
    span_id: str


class Session(QObject):
    changed = Signal(object)  # Changes: every kind (annotator.core.changes)
    history_changed = Signal()  # undo/redo availability, clean state
    selection_changed = Signal(object)  # SpanRef | None
    saved = Signal(str)  # path written
    save_failed = Signal(str)  # message
    edit_refused = Signal(str)  # message
    # annotator.json was changed by another program: the window asks reload or keep mine
    changed_on_disk = Signal()
    notice = Signal(str)  # something an edit wants said (what undo did with files)
    # the edit journal cannot be written (str, once) or works again (None)
    journal_problem = Signal(object)
    # spans read from the file after loading (a large project's) held something wrong;
    # emitted from whichever thread read them
    late_problems = Signal()
    _background_done = Signal(object, object)  # token, Saved or OSError (from the writer thread)

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
        project.on_late_problems = self.late_problems.emit
        # Read-only: the project is open for editing elsewhere; nothing here changes it.
        self.read_only = read_only
        self.lock = lock  # released by close()
        self.history = History(project)
        self._force_dirty = dirty  # a project made from a folder has never been saved
        # time, documents begun and review decisions counted since the last save (not
        # edits: no undo, no star in the title; written with the next save or at close)
        self.work_pending = False
        self.replaying = False  # while undo or redo announces its changes
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
        self.conflict = False  # changed on disk and not yet resolved: no saving meanwhile
        self.conflict_file: Path | None = None  # the file that changed (shared or a layer)
        self._watcher = QFileSystemWatcher(self)
        self._recheck = QTimer(self)
        self._recheck.setSingleShot(True)
        self._recheck.setInterval(WATCH_SETTLE_MS)
        self._recheck.timeout.connect(self.check_disk)
        if not read_only:
            self._watch()
            self._watcher.fileChanged.connect(lambda _path: self._recheck.start())
            self._watcher.directoryChanged.connect(lambda _path: self._recheck.start())

    def start_journal(self) -> None:
        """Append every edit from now on to the project's journal (after any recovery)."""
        if self.journal is None and not self.read_only:
            self.journal = Journal(
                self.project.root,
                on_problem=self.journal_problem.emit,
                annotator=self.project.annotator,
            )

    def set_annotator(self, name: str | None) -> None:
        """Who is working from now on: recorded on new work, and in the journal."""
        self.project.annotator = name
        if self.journal is not None:
            self.journal.set_annotator(name)

    # --- edits ---------------------------------------------------------------------------

    def run(self, command: Command) -> bool:
        if self.read_only:
            self.edit_refused.emit(READ_ONLY)
            return False
        try:  # the same check as the command line's (annotator.ops.editing)
            changes = editing.apply(self.project, command, self.history)
        except EditError as exc:  # anything else is a bug, and surfaces as one
            self.edit_refused.emit(str(exc))
            return False
        self._after_edit(changes, command.description)
        return True

    def undo(self) -> None:
        if self.read_only:
            return
        what = f"Undo {self.history.undo_text}"
        self.replaying = True
        try:
            self._after_edit(self.history.undo(), what)
        finally:
            self.replaying = False
        note = getattr(self.history.last_undone, "undo_note", None)
        if callable(note) and (text := note()):
            self.notice.emit(text)

    def redo(self) -> None:
        if self.read_only:
            return
        what = f"Redo {self.history.redo_text}"
        self.replaying = True
        try:
            self._after_edit(self.history.redo(), what)
        finally:
            self.replaying = False

    def _after_edit(self, changes: Changes, what: str) -> None:
        if not changes:
            return
        if self.journal is not None:
            self.journal.record(changes, what)
        self.changed.emit(changes)
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
        """Save now, on this thread (Ctrl+S, closing): returns only when it is on disk."""
        if self.read_only:
            self.edit_refused.emit(READ_ONLY)
            return False
        self._autosave.stop()
        self.wait_for_background_save()
        self._generation += 1
        self._writer = None
        if self.conflict:
            self.changed_on_disk.emit()  # ask again: reload or keep mine
            return False
        try:
            path = save_project(self.project)
        except ChangedOnDisk as exc:
            self._on_conflict(exc.path)
            return False
        except OSError as exc:
            self.save_failed.emit(f"Could not save {self.project.root}: {exc.strerror or exc}")
            return False
        except BadName as exc:  # a name that slipped past the gate: said, never a crash
            self.save_failed.emit(f"Could not save {self.project.root}: {exc}")
            return False
        if self.journal is not None:
            self.journal.saved_through(self.journal.seq)
        self._force_dirty = False
        self.work_pending = False
        self.history.mark_clean()
        self.history_changed.emit()
        self.saved.emit(str(path))
        return True

    def _autosave_now(self) -> None:
        """Autosave: snapshot here (cheap), serialise and write on a background thread."""
        if not self.is_dirty or self.conflict:
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
        result: Saved | OSError
        try:
            result = write_snapshot(snap)
        except OSError as exc:
            result = exc
        except BadName as exc:
            result = OSError(str(exc))
        self._background_done.emit(token, result)

    def _on_background_done(self, stamp: object, result: object) -> None:
        assert isinstance(stamp, tuple)
        generation, token, seq = stamp
        if generation != self._generation:
            return  # a save on this thread came after it and already counted
        self._writer = None
        if isinstance(result, ChangedOnDisk):
            self._on_conflict(result.path)
            return
        if isinstance(result, OSError):
            self.save_failed.emit(
                f"Could not save {self.project.root}: {result.strerror or result}"
            )
            return
        assert isinstance(result, Saved)
        saved_into(self.project, result)
        path = str(result.path)
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

    # --- the project file changed on disk ---------------------------------------------

    def _watch(self) -> None:
        file = project_file(self.project.root)
        wanted = [str(self.project.root)] + ([str(file)] if file.exists() else [])
        missing = [
            w for w in wanted if w not in (*self._watcher.files(), *self._watcher.directories())
        ]
        if missing:
            self._watcher.addPaths(missing)  # a replaced file drops out of the watch

    def check_disk(self) -> bool:
        """Compare annotator.json with the version last read or written; True if it changed.

        Runs when the file watcher fires (and before every save, in the store).
        """
        self._watch()
        if self.read_only or self.conflict:
            return self.conflict
        if self._writer is not None:  # our own autosave is writing: look again after it
            self._recheck.start()
            return False
        file = project_file(self.project.root)
        now = file_stamp(file)
        if now is None or now == self.project.disk_stamp:
            return False
        self._on_conflict(file)
        return True

    def _on_conflict(self, path: Path | None = None) -> None:
        self._autosave.stop()
        if not self.conflict:
            self.conflict = True
            self.conflict_file = path or project_file(self.project.root)
            self.changed_on_disk.emit()

    def keep_mine(self) -> list[Path]:
        """Resolve a conflict by saving this version: every file this save writes that
        changed on disk (the shared file, your layer) is first kept beside itself as
        ``NAME.theirs-DATE.json``; returns those copies. Ends saved, or with the save's
        own error reported (the edits stay in the journal)."""
        kept = []
        for path, accept in changed_files(self.project):
            theirs = _beside(path, "theirs")
            stamp = file_stamp(path)  # before reading: a change after it is caught by the save
            with contextlib.suppress(FileNotFoundError):  # deleted: nothing of theirs to keep
                atomic_write_bytes(theirs, path.read_bytes())
                kept.append(theirs)
            accept(stamp)
        self.conflict = False
        self.conflict_file = None
        self._force_dirty = True  # write ours even if nothing changed here
        self.save()
        return kept

    def set_aside_mine(self) -> Path | None:
        """Before reloading: write this version beside the project file (if it has changes)."""
        self._autosave.stop()
        self.wait_for_background_save()
        if not self.is_dirty:
            return None
        mine = _beside(project_file(self.project.root), "mine")
        write_snapshot(snapshot(self.project), target=mine)
        return mine

    def discard_changes(self) -> None:
        """The window closes without saving (after a reload): nothing to save or restore."""
        self._force_dirty = False
        self.history.mark_clean()
        if self.journal is not None:
            self.journal.discard()
            self.journal = None

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


def _beside(file: Path, who: str) -> Path:
    """``annotator.theirs-20261121-093000.json``: another version, kept next to the file."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    candidate, n = file.with_name(f"{file.stem}.{who}-{stamp}{file.suffix}"), 2
    while candidate.exists():
        candidate, n = file.with_name(f"{file.stem}.{who}-{stamp}-{n}{file.suffix}"), n + 1
    return candidate
