"""The window's life around the work: the layout it restores and remembers, closing
(save, or ask before losing anything), ending at once (SIGTERM), the project file
changed on disk (reload theirs or keep mine), and the edits a crash left behind.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QMessageBox

from annotator import APP_DISPLAY_NAME
from annotator.core.commands import Batch
from annotator.core.wording import count
from annotator.io.paths import project_file
from annotator.io.recovery import set_aside
from annotator.settings import ProjectView
from annotator.ui import prompts

if TYPE_CHECKING:
    from annotator.ui.window.parts import WindowParts


class Lifecycle:
    def __init__(self, window: WindowParts) -> None:
        self.w = window
        window.session.changed_on_disk.connect(self.on_changed_on_disk)

    # --- layout -------------------------------------------------------------------------

    def restore_layout(self, view: ProjectView) -> None:
        w = self.w
        if view.geometry:
            w.restoreGeometry(QByteArray.fromBase64(view.geometry.encode()))
        if view.window_state:
            w.restoreState(QByteArray.fromBase64(view.window_state.encode()))
        else:  # first time: the articles get most of the room
            w.resizeDocks([w.spansDock], [190], Qt.Orientation.Vertical)
            w.resizeDocks([w.documentsDock], [230], Qt.Orientation.Horizontal)
        if view.splitter:
            w.panes.restore_state(QByteArray.fromBase64(view.splitter.encode()))

    def remember_layout(self) -> None:
        w = self.w
        view = w.settings.view(w.session.project.root)
        view.shown = w.shown_documents()
        view.geometry = bytes(w.saveGeometry().toBase64().data()).decode()
        view.window_state = bytes(w.saveState().toBase64().data()).decode()
        view.splitter = bytes(w.panes.save_state().toBase64().data()).decode()

    # --- ending ---------------------------------------------------------------------------

    def shutdown(self) -> None:
        """End now, asking nothing (SIGTERM, logout): save what can be saved, keep the
        journal if it could not be saved (the next open offers it back), release the lock,
        remember the layout."""
        session = self.w.session
        if session.is_dirty and not session.conflict and not session.read_only:
            session.save()
        self._end()
        self.w.hide()

    def close_event(self, event: QCloseEvent) -> None:
        """Closing saves; what cannot be saved is lost only when the person says so."""
        session = self.w.session
        if session.is_dirty and session.conflict:
            self.w.statusBar().showMessage("Choose Reload or Keep Mine first.", 5000)
            self.on_changed_on_disk()
            event.ignore()
            return
        # not saved: on a conflict (the file changed on disk) the conflict dialog asks;
        # time and decisions counted since the last save are written too
        self.w.queue.tick()
        pending = session.work_pending and not session.read_only and not session.conflict
        unsaved = (session.is_dirty or pending) and not session.save()
        if unsaved and (session.conflict or not self._lose_unsaved()):
            event.ignore()
            return
        self._end()
        event.accept()

    def _lose_unsaved(self) -> bool:
        answer = QMessageBox.question(
            self.w,
            APP_DISPLAY_NAME,
            "Your changes could not be saved. Quit anyway and lose them?",
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Discard

    def _end(self) -> None:
        self.w.session.close()
        self.remember_layout()
        self.w.closed.emit()

    # --- the project file changed on disk -------------------------------------------------

    def on_changed_on_disk(self) -> None:
        """Someone else changed annotator.json: reload theirs or keep mine, losing neither."""
        w = self.w
        if w.findChild(QMessageBox, "conflictDialog") is not None:
            return  # already asking
        session = w.session
        changed = session.conflict_file or project_file(session.project.root)
        where = changed.relative_to(session.project.root).as_posix()
        prompts.ask_conflict(w, session.is_dirty, self._conflict_answered, where)

    def _conflict_answered(self, keep_mine: bool) -> None:
        w = self.w
        if keep_mine:
            kept = w.session.keep_mine()
            names = ", ".join(p.name for p in kept) or "nothing (it was deleted)"
            if not w.session.is_dirty:
                w.statusBar().showMessage(f"Saved your version; the other is kept as {names}")
            return
        w.reload_requested.emit()

    # --- recovery ---------------------------------------------------------------------------

    def offer_recovery(self) -> None:
        """Offer the edits a crashed session left in the journal (see ``app._check_journal``)."""
        if self.w.recovery is None:
            return
        contents, changes = self.w.recovery
        prompts.ask_recovery(self.w, contents, len(changes), self._recovery_answered)

    def _recovery_answered(self, restore: bool) -> None:
        w = self.w
        if w.recovery is None:
            return
        contents, changes = w.recovery
        w.recovery = None
        w.session.start_journal()
        say = w.statusBar().showMessage
        if restore:
            restored = count(len(changes), "change")
            w.session.run(Batch(f"Restore {restored} from the journal", changes))
            say(f"Restored {restored}.", 5000)
            return
        try:
            kept = set_aside(contents)
        except OSError as exc:
            say(f"Could not set the journal aside: {exc}", 8000)
            return
        say(f"The journal was kept as {kept.name}.", 8000)
