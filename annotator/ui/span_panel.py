"""The annotations panel: every span of the shown documents, filterable by label and text."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.core.changes import label_changes
from annotator.core.commands import Changes, document_changes
from annotator.core.models import Label, Span
from annotator.ui.span_model import DocumentRole, SpanRole, SpanTableModel

if TYPE_CHECKING:
    from annotator.ui.session import Session

ALL_LABELS = "All labels"


class SpanPanel(QWidget):
    span_activated = Signal(str, object)  # document id, Span

    def __init__(self, model: SpanTableModel, labels: list[Label], parent: QWidget | None = None):
        super().__init__(parent)
        self.model = model

        self.label_filter = QComboBox()
        self.label_filter.setObjectName("spanLabelFilter")
        self.text_filter = QLineEdit()
        self.text_filter.setObjectName("spanTextFilter")
        self.text_filter.setPlaceholderText("Filter by text")
        self.text_filter.setClearButtonEnabled(True)
        self.set_labels(labels)

        self.table = QTableView()
        self.table.setObjectName("spanTable")
        self.table.setModel(model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        # Fixed widths, not ResizeToContents: that re-measures ~1000 rows on every
        # change and made one accept cost 100 ms with 5,000 spans (benchmarks/run.py).
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        self.table.setColumnWidth(0, 160)
        self.table.setColumnWidth(1, 90)
        self.table.setColumnWidth(3, 120)

        filters = QHBoxLayout()
        filters.addWidget(self.label_filter)
        filters.addWidget(self.text_filter, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)

        self.label_filter.currentIndexChanged.connect(self._on_label_filter)
        self.text_filter.textChanged.connect(model.set_text_filter)
        self.table.clicked.connect(self._on_activated)
        self.table.activated.connect(self._on_activated)

    def follow(self, session: Session) -> None:
        """Take every change record: new labels for the filter, spans and titles for
        the table."""

        def on_changed(changes: Changes) -> None:
            if label_changes(changes):
                self.set_labels(session.project.labels)
            self.model.apply(changes)
            if document_changes(changes):  # a title: the table names documents by it
                self.model.refresh_titles()

        session.changed.connect(on_changed)

    def set_labels(self, labels: list[Label]) -> None:
        current = self.label_filter.currentData()
        self.label_filter.blockSignals(True)
        self.label_filter.clear()
        self.label_filter.addItem(ALL_LABELS, None)
        for label in labels:
            self.label_filter.addItem(label.name, label.name)
        index = self.label_filter.findData(current)
        self.label_filter.setCurrentIndex(max(index, 0))
        self.label_filter.blockSignals(False)

    def _on_label_filter(self, _index: int) -> None:
        self.model.set_label_filter(self.label_filter.currentData())

    def set_show_rejected(self, on: bool) -> None:
        self.model.set_show_rejected(on)

    def set_layer(self, layer: str | None, me: str | None) -> None:
        self.model.set_layer(layer, me)

    def _on_activated(self, index: QModelIndex) -> None:
        span = index.data(SpanRole)
        doc_id = index.data(DocumentRole)
        if isinstance(span, Span) and isinstance(doc_id, str):
            self.span_activated.emit(doc_id, span)

    def select_span(self, doc_id: str | None, span_id: str | None) -> None:
        """Highlight the row of a span selected elsewhere (no signal back)."""
        if doc_id is None or span_id is None:
            self.table.clearSelection()
            return
        row = self.model.row_of(doc_id, span_id)
        if row is None:
            return
        index = self.model.index(row, 0)
        if index.isValid():
            self.table.blockSignals(True)
            self.table.selectRow(index.row())
            self.table.scrollTo(index)
            self.table.blockSignals(False)
