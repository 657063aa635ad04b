"""The queue of work in the window: Ctrl+Enter marks the current document done and
brings the next one not done into its pane, Ctrl+PgDown and Ctrl+PgUp step through the
annotator's queue (their assigned documents first), the status bar says "37 of 500
done", and Analysis ▸ Progress… shows every annotator's.

It also keeps the work book (:mod:`annotator.core.work`) up to date as a person
works: the first edit in a document starts it (in progress), active time is counted
per document (a key, click or scroll at most two minutes after the last one; longer is
idle), and so are the seconds each review decision took. The operations are
:mod:`annotator.ops.progress`'s, the same as the command line's.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QHideEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from annotator.core.changes import Changes, document_changes, status_changes
from annotator.core.work import IDLE_AFTER
from annotator.ops import progress
from annotator.ui.plain import tooltip

if TYPE_CHECKING:
    from annotator.ui.window.parts import WindowParts

WORTH_SAVING = 5.0  # active seconds after which the time alone is worth a save
_ACTIVITY = (QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.Wheel)


class WorkQueue(QObject):
    """Document status, the next document and the clock, for one window."""

    def __init__(self, window: WindowParts, gold: Callable[[], bool]) -> None:
        """``gold()``: whether the person works on the gold layer now (adjudicating)."""
        super().__init__(window)
        self.w = window
        self.gold = gold
        self.label = QLabel()
        self.label.setObjectName("progressState")
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setMinimumWidth(8)  # a narrow window cuts it rather than growing
        window.statusBar().addPermanentWidget(self.label)
        self._last = time.monotonic()
        self._clock_on: str | None = None  # the document the time since _last goes to
        self._counted = 0.0  # active seconds counted in this window
        self.dialog: ProgressDialog | None = None
        app = QApplication.instance()
        if app is not None and not window.session.read_only:
            app.installEventFilter(self)
        window.closed.connect(self.stop)
        self.update_label()

    def who(self) -> str:
        """Whose statuses the window says: the gold layer's while adjudicating."""
        return progress.who(self.w.session.project, gold=self.gold())

    def follow(self) -> None:
        self.w.session.changed.connect(self._on_changed)
        self.w.review.decided.connect(self._on_decided)

    def stop(self) -> None:
        """The window closes: the last stretch of time counted, no more events."""
        self.tick()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    # --- the keys ------------------------------------------------------------------------

    def current(self) -> str | None:
        pane = self.w.panes.current_pane()
        return pane.document.id if pane is not None else None

    def mark_done_and_next(self) -> None:
        """Ctrl+Enter: the current document is done (one undo step); the next one not
        done takes its pane."""
        session = self.w.session
        doc = self.current()
        if doc is None:
            self._say("Show a document first (check it in the Documents list).")
            return
        me = self.who()
        batch = progress.mark_done(session.project, [doc], me)
        if batch is not None and not session.run(batch):
            return
        following = progress.step(
            session.project, me, doc, not_done=True, skip=self.w.documents.shown()
        )
        done = progress.summary_line(session.project, me)
        if following is None:  # only documents in the other panes are left: go there
            left = [
                d for d in self.w.documents.shown() if session.project.work.status(me, d) != "done"
            ]
            if not left:
                self._say(f"{self._title(doc)} is done ({done}); no document is left to do.")
                return
            self.w.panes.focus_pane(left[0])
            following = left[0]
        else:
            self._bring(doc, following)
        self._say(f"{self._title(doc)} is done ({done}). Next: {self._title(following)}")

    def step(self, forward: bool) -> None:
        """Ctrl+PgDown / Ctrl+PgUp: the next or previous document of the queue in the
        current pane (documents shown in other panes are passed over)."""
        doc = self.current()
        following = progress.step(
            self.w.session.project, self.who(), doc, forward, skip=self.w.documents.shown()
        )
        if following is None:
            self._say("No other document to show.")
            return
        if doc is None:
            self.w.documents.set_shown(following, True)
            self.w.panes.focus_pane(following)
        else:
            self._bring(doc, following)

    def reopen(self) -> None:
        """The current document back to in progress (its work stays)."""
        doc = self.current()
        if doc is None:
            return
        batch = progress.reopen(self.w.session.project, [doc], self.who())
        if batch is None:
            self._say(f"{self._title(doc)} is not marked done.")
        else:
            self.w.session.run(batch)

    def _bring(self, old: str, new: str) -> None:
        """``new`` shown in place of ``old``, with the caret in it."""
        shown = [new if d == old else d for d in self.w.documents.shown()]
        self.w.documents.set_shown_only(shown)
        self.w.panes.focus_pane(new)

    def _title(self, doc: str) -> str:
        return self.w.session.project.document(doc).display_title

    def _say(self, text: str) -> None:
        self.w.statusBar().showMessage(text, 8000)

    # --- following the work ----------------------------------------------------------------

    def update_label(self) -> None:
        project = self.w.session.project
        me = self.who()
        self.label.setText(progress.summary_line(project, me))
        self.label.setToolTip(
            tooltip(
                f"Documents {me or 'you'} marked done (Ctrl+Enter: this one is done, on to the "
                "next). Analysis ▸ Progress… shows everyone's."
            )
        )
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.fill(progress.progress(project))

    def _on_changed(self, changes: Changes) -> None:
        project = self.w.session.project
        me = self.who()
        # the first edit a person makes in a document they have open (not an undo, not
        # an import into documents nobody looks at) starts it
        shown = set(self.w.panes.panes)
        begun = [
            d
            for d in ([] if self.w.session.replaying else progress.begun_in(changes))
            if d in shown and project.work.started(me, d)
        ]
        if begun:
            self.w.session.work_pending = True
            self.w.documents.refresh_counts(set(begun))
        if begun or status_changes(changes) or document_changes(changes):
            self.update_label()

    def _on_decided(self, doc: str, seconds: float, accepted: bool) -> None:
        self.w.session.project.work.add_decision(self.who(), doc, seconds, accepted)
        self.w.session.work_pending = True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _ACTIVITY and self.w.isActiveWindow():
            self.tick()
        return False

    def tick(self) -> None:
        """A key, click or scroll: the time since the last one goes to the document the
        person was in, unless it was long enough to be a pause."""
        now = time.monotonic()
        gap, self._last = now - self._last, now
        session = self.w.session
        doc = self._clock_on
        if doc is not None and gap <= IDLE_AFTER and session.project.has_document(doc):
            session.project.work.add_time(self.who(), doc, gap)
            self._counted += gap
            # a glance (open, close) writes nothing; a few seconds of work are kept
            session.work_pending = session.work_pending or self._counted >= WORTH_SAVING
        self._clock_on = self.current()

    def show_progress(self) -> None:
        """Analysis ▸ Progress…: every annotator's, kept up to date while open."""
        if self.dialog is None:
            self.dialog = ProgressDialog(self.w)
        self.dialog.fill(progress.progress(self.w.session.project))
        self.dialog.show()
        self.dialog.raise_()


class ProgressDialog(QDialog):
    """A table of every annotator's progress, as ``annotator progress`` prints it."""

    def __init__(self, parent: WindowParts) -> None:
        super().__init__(parent)
        self.setObjectName("progressDialog")
        self.setWindowTitle("Progress")
        self.table = QTableWidget(0, len(progress.COLUMNS))
        self.table.setObjectName("progressTable")
        self.table.setHorizontalHeaderLabels(list(progress.COLUMNS))
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        note = QLabel(
            "Time is active time (idle after two minutes stops the clock). Decisions are "
            "accepts and rejects of suggestions; many under a second with nearly all "
            "accepted may mean suggestions are waved through."
        )
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.resize(860, 320)

    def hideEvent(self, event: QHideEvent) -> None:
        """Closed: the keys go back to the window (where no window manager gives them)."""
        super().hideEvent(event)
        parent = self.parentWidget()
        if parent is not None:
            parent.activateWindow()

    def fill(self, report: list[progress.AnnotatorProgress]) -> None:
        rows = progress.rows(report)
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                item = QTableWidgetItem(text)
                if c:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
