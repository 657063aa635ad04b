"""The Documents list: every document of the project, a check box for "shown".

It owns its table view and model, follows the session's change records itself
(documents added or removed, counts and titles changed) and says which documents
are shown through the model's ``shown_changed``.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.core.changes import status_changes
from annotator.core.commands import Changes, document_changes
from annotator.ui.document_model import STATUS_COLUMN, DocumentListModel
from annotator.ui.plain import tooltip
from annotator.ui.session import Session

FILTERS = {
    "all": "All documents",
    "not_done": "Not done",
    "done": "Done",
    "mine": "Assigned to me",
}


class DocumentList(QTableView):
    """The table of the Documents dock; ``documents`` is its :class:`DocumentListModel`."""

    def __init__(self, session: Session, shown: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.documents = DocumentListModel(session.project, shown)
        # owned by the view: its connections (to the window) go when the window goes
        self.documents.setParent(self)
        self.setObjectName("documentList")
        self.setModel(self.documents)
        self.verticalHeader().hide()
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # The Spans column is sized by hand (fit_count_column), not ResizeToContents:
        # that re-measured every document's row on each edit (1,000 documents: 80 ms),
        # and on every row whenever the Documents dock was closed (90 ms a decision)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        self.resizeColumnToContents(1)
        self.setColumnHidden(2, True)
        # sized once for its header (not ResizeToContents: see the Spans column)
        header.setSectionResizeMode(STATUS_COLUMN, QHeaderView.ResizeMode.Interactive)
        self.resizeColumnToContents(STATUS_COLUMN)
        # which documents the list shows: all, those not done, done, or assigned to me
        self.filter_box = QComboBox()
        self.filter_box.setObjectName("documentFilter")
        self.filter_box.addItems(list(FILTERS.values()))
        # a narrow dock shortens its text rather than widening the window
        self.filter_box.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.filter_box.setMinimumContentsLength(3)
        self.filter_box.setToolTip(tooltip("Which documents the list shows (by your status)"))
        self.filter_box.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        # the context menu; from the keys: Ctrl+A then Space shows (or hides) them all
        for name, text, show in (
            ("show_all", "Show All", self.show_all),
            ("show_none", "Show None", lambda: self.documents.set_shown_only([])),
            ("show_selected", "Show Only the Selected", self.show_selected),
            ("show_outlet", "Show This Outlet's", self.show_outlet),
        ):
            action = QAction(text, self)
            action.setObjectName(f"action_{name}")
            action.triggered.connect(show)
            self.addAction(action)
        self._announced = self.documents.shown()  # the panes show these
        self.documents.shown_changed.connect(self._remember)

    def follow(self) -> None:
        """Take every change record the session announces."""
        self.session.changed.connect(self._on_changed)

    def panel(self) -> QWidget:
        """The list under its filter, as the Documents dock holds them."""
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.filter_box)
        layout.addWidget(self)
        return box

    def apply_filter(self) -> None:
        """Rows the filter does not let through are hidden (shown documents too: the
        panes are not changed by it)."""
        which = list(FILTERS)[self.filter_box.currentIndex()]
        model = self.documents
        me = model.whose()
        for row, doc in enumerate(self.session.project.documents):
            status = model.status(doc.id)
            keep = (
                which == "all"
                or (which == "not_done" and status != "done")
                or (which == "done" and status == "done")
                or (which == "mine" and me in doc.assigned)
            )
            self.setRowHidden(row, not keep)

    def _remember(self, shown: list[str]) -> None:
        self._announced = list(shown)

    def show_all(self) -> None:
        self.documents.set_shown_only([d.id for d in self.session.project.documents])

    def selected(self) -> list[str]:
        rows = self.selectionModel().selectedRows()
        return [str(self.documents.data(r, Qt.ItemDataRole.UserRole)) for r in rows]

    def show_selected(self) -> None:
        """The selected rows shown, the others not (Shift- or Ctrl-click, then this)."""
        chosen = self.selected()
        if chosen:
            self.documents.set_shown_only(chosen)

    def show_outlet(self) -> None:
        """Every document of the chosen document's outlet, and only those."""
        chosen = self.chosen()
        if chosen is None:
            return
        project = self.session.project
        outlet = project.document(chosen).source
        self.documents.set_shown_only(
            [d.id for d in project.documents if (d.source == outlet if outlet else d.id == chosen)]
        )

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Space shows every selected row at once, or hides them all when all are shown."""
        selected = self.selected()
        if event.key() == Qt.Key.Key_Space and len(selected) > 1:
            shown = set(self.documents.shown())
            show = not shown.issuperset(selected)
            now = (shown | set(selected)) if show else (shown - set(selected))
            self.documents.set_shown_only(sorted(now))
            return
        super().keyPressEvent(event)

    def chosen(self) -> str | None:
        """The document whose row is selected (not necessarily shown)."""
        rows = self.selectionModel().selectedRows()
        return str(self.documents.data(rows[0], Qt.ItemDataRole.UserRole)) if rows else None

    def _on_changed(self, changes: Changes) -> None:
        project = self.session.project
        if any(c.before is None or c.after is None for c in document_changes(changes)):
            self.documents.reset()  # documents added or removed
            self.resizeColumnToContents(1)
            shown = self.documents.shown()  # a removed document is no longer among them
            if shown != self._announced:
                self.documents.shown_changed.emit(shown)
        touched = {c.document_id for c in changes if project.has_document(c.document_id)}
        self.documents.refresh_counts(touched)
        self.fit_count_column(touched)
        if self.filter_box.currentIndex() and (
            status_changes(changes) or document_changes(changes)
        ):
            self.apply_filter()

    def fit_count_column(self, doc_ids: set[str]) -> None:
        """The Spans column grows to fit the counts of the documents that changed;
        only those rows are measured."""
        model = self.documents
        metrics = self.fontMetrics()
        widest = self.columnWidth(1)
        for doc_id in doc_ids:
            text = model.data(model.index(model.row_of(doc_id), 1))
            if isinstance(text, str):
                widest = max(widest, metrics.horizontalAdvance(text) + 16)
        if widest > self.columnWidth(1):
            self.setColumnWidth(1, widest)
