"""What the window says about itself: the title (project, unsaved marker, read-only),
Undo/Redo with what they would undo, and the status bar's standing parts: when the
project was last saved, whether the edit journal is written, and the session's
notices, refusals and problems.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QLabel

from annotator import APP_DISPLAY_NAME
from annotator.ui import prompts
from annotator.ui.plain import title_safe, tooltip

if TYPE_CHECKING:
    from annotator.ui.window.parts import WindowParts


class WindowStatus:
    def __init__(self, window: WindowParts) -> None:
        self.w = window
        self.save_state = _label("saveState", "")
        self.journal_state = _label("journalState", "Edit journal not written")
        self.journal_state.hide()
        self._late_shown = 0
        bar = window.statusBar()
        bar.addPermanentWidget(self.journal_state)
        bar.addPermanentWidget(window.team.name_label)
        bar.addPermanentWidget(self.save_state)
        s = window.session
        s.history_changed.connect(self.update_title)
        s.save_failed.connect(self._on_save_failed)
        s.edit_refused.connect(lambda msg: bar.showMessage(msg, 5000))
        s.saved.connect(self._on_saved)
        s.journal_problem.connect(self._on_journal_problem)
        s.notice.connect(lambda text: bar.showMessage(text, 10000))
        s.late_problems.connect(self._on_late_problems)
        self.update_title()

    def update_title(self) -> None:
        w, session = self.w, self.w.session
        mode = " (read-only)" if session.read_only else ""
        # the modified star right after the name ("sample* — Annotator"); a zero-width
        # space keeps it apart from a name ending in "[*]" (escaped as "[*][*]"), and no
        # space is left doubled when the star is not shown
        name = title_safe(session.project.root.name)
        w.setWindowTitle(f"{name}\u200b[*]{mode} — {APP_DISPLAY_NAME}")
        w.setWindowModified(session.is_dirty)
        writable = not session.read_only
        history = session.history
        undo, redo = w.actions_by_name["undo"], w.actions_by_name["redo"]
        undo.setEnabled(writable and history.can_undo)
        redo.setEnabled(writable and history.can_redo)
        undo.setText(_with_hint("&Undo", history.undo_text))
        redo.setText(_with_hint("&Redo", history.redo_text))

    def _on_saved(self, path: str) -> None:
        """Shown beside the messages, never over them: an autosave must not hide the
        count of what the last command did."""
        self.save_state.setText(f"Saved {datetime.now().strftime('%H:%M:%S')}")
        self.save_state.setToolTip(tooltip(f"Saved {path}"))

    def _on_late_problems(self) -> None:
        """Spans read after the project opened (a large project's are read when first
        used) had problems: said as at opening, each said once."""
        problems = self.w.session.project.late_problems
        new, self._late_shown = problems[self._late_shown :], len(problems)
        if new:
            prompts.late_problems(self.w, new)

    def _on_journal_problem(self, message: str | None) -> None:
        """The edit journal cannot be written (once, with why), or works again."""
        state = self.journal_state
        if message is None:
            state.setText("Edit journal written again")
            state.setStyleSheet("")
            state.setToolTip(tooltip("Every edit is in the edit journal again."))
            QTimer.singleShot(10_000, state, self._hide_journal_state)
            return
        state.setText("Edit journal not written")
        state.setStyleSheet("color: #b00020; font-weight: bold;")
        state.setToolTip(tooltip(message))
        state.show()
        prompts.journal_problem(self.w, message)

    def _hide_journal_state(self) -> None:
        journal = self.w.session.journal
        if journal is None or journal.failed is None:
            self.journal_state.hide()

    def _on_save_failed(self, message: str) -> None:
        self.w.statusBar().showMessage(message)
        prompts.save_failed(self.w, message)


def _label(name: str, text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName(name)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def _with_hint(text: str, hint: str) -> str:
    return f"{text} {hint.replace('&', '&&')}" if hint else text
