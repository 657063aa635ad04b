"""The span list: every span of the shown documents, kept in order and updated per change."""

from __future__ import annotations

from bisect import bisect_left

from PySide6.QtCore import (
    QModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor

from annotator.core.commands import Changes
from annotator.core.models import Span
from annotator.core.project import Project
from annotator.ui.plain import tooltip
from annotator.ui.table_model import FlatTableModel, Index

SpanRole = Qt.ItemDataRole.UserRole
DocumentRole = Qt.ItemDataRole.UserRole + 1
LabelRole = Qt.ItemDataRole.UserRole + 2

RowKey = tuple[int, int, int, str]


class SpanTableModel(FlatTableModel):
    HEADERS = ("Document", "Label", "Text", "Review")
    # Beyond this many changes at once (an extractor's batch), rebuild instead of
    # inserting row by row.
    RESET_ABOVE = 300

    def __init__(self, project: Project) -> None:
        super().__init__()
        self._project = project
        self._order: dict[str, int] = {}
        self._keys: list[RowKey] = []
        self._rows: list[tuple[str, Span]] = []

    def _key(self, doc_id: str, span: Span) -> RowKey:
        return (self._order[doc_id], span.start, -span.end, span.id)

    def set_documents(self, doc_ids: list[str]) -> None:
        self.beginResetModel()
        self._order = {d: i for i, d in enumerate(doc_ids)}
        rows = [(d, s) for d in doc_ids for s in self._project.document(d).spans()]
        self._rows = rows
        self._keys = [self._key(d, s) for d, s in rows]
        self.endResetModel()

    def apply(self, changes: Changes) -> None:
        if len(changes) > self.RESET_ABOVE:
            self.set_documents(list(self._order))
            return
        for change in changes:
            if change.document_id not in self._order:
                continue
            if (
                change.before is not None
                and change.after is not None
                and (
                    (change.before.start, change.before.end)
                    == (change.after.start, change.after.end)
                )
            ):
                row = self._find(change.document_id, change.before)
                self._rows[row] = (change.document_id, change.after)
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.HEADERS) - 1))
                continue
            if change.before is not None:
                row = self._find(change.document_id, change.before)
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._rows[row], self._keys[row]
                self.endRemoveRows()
            if change.after is not None:
                key = self._key(change.document_id, change.after)
                row = bisect_left(self._keys, key)
                self.beginInsertRows(QModelIndex(), row, row)
                self._keys.insert(row, key)
                self._rows.insert(row, (change.document_id, change.after))
                self.endInsertRows()

    def _find(self, doc_id: str, span: Span) -> int:
        row = bisect_left(self._keys, self._key(doc_id, span))
        if row >= len(self._rows) or self._rows[row][1].id != span.id:
            raise LookupError(f"span {span.id} is not in the list")
        return row

    def row_of(self, doc_id: str, span_id: str) -> int | None:
        if doc_id not in self._order:
            return None
        doc = self._project.document(doc_id)
        if not doc.has_span(span_id):
            return None
        return self._find(doc_id, doc.span(span_id))

    def row_total(self) -> int:
        return len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        doc_id, span = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return self._project.document(doc_id).display_title
            if col == 1:
                return span.label
            if col == 3:
                if not span.is_suggestion:
                    return ""
                score = "" if span.score is None else f" {span.score:.2f}"
                return f"{span.review}{score}"
            return " ".join(span.text.split())
        if role == Qt.ItemDataRole.ToolTipRole and col == 3 and span.is_suggestion:
            return tooltip(f"from {span.origin}")  # origins are file names: shown literally
        if role == Qt.ItemDataRole.DecorationRole and col == 1:
            label = self._project.label(span.label)
            return QColor(label.color if label else "#9e9e9e")
        if role == SpanRole:
            return span
        if role == DocumentRole:
            return doc_id
        if role == LabelRole:
            return span.label
        return None


class SpanFilterModel(QSortFilterProxyModel):
    """Filters the span list by label and by a case-insensitive piece of text."""

    def __init__(self) -> None:
        super().__init__()
        self._label: str | None = None
        self._text = ""
        self._show_rejected = False

    def set_show_rejected(self, on: bool) -> None:
        self._begin_change()
        self._show_rejected = on
        self._end_change()

    def set_label(self, label: str | None) -> None:
        self._begin_change()
        self._label = label
        self._end_change()

    def set_text(self, text: str) -> None:
        self._begin_change()
        self._text = text.casefold().strip()
        self._end_change()

    # Qt 6.10 deprecates invalidateFilter() for begin/endFilterChange(); keep both working.
    def _begin_change(self) -> None:
        if hasattr(self, "beginFilterChange"):
            self.beginFilterChange()

    def _end_change(self) -> None:
        if hasattr(self, "endFilterChange"):
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.invalidateFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        span = model.data(model.index(source_row, 0, source_parent), SpanRole)
        if not isinstance(span, Span):
            return False
        if self._label is not None and span.label != self._label:
            return False
        if span.status == "rejected" and not self._show_rejected:
            return False
        return not self._text or self._text in span.text.casefold()
