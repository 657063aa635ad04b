"""The span list: the shown documents' spans, filtered, in order, and updated per change."""

from __future__ import annotations

from bisect import bisect_left

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QColor

from annotator.core.annotators import in_layer
from annotator.core.commands import Changes, span_changes
from annotator.core.models import Span
from annotator.core.project import Project
from annotator.ui.plain import tooltip
from annotator.ui.table_model import FlatTableModel, Index

SpanRole = Qt.ItemDataRole.UserRole
DocumentRole = Qt.ItemDataRole.UserRole + 1
LabelRole = Qt.ItemDataRole.UserRole + 2

RowKey = tuple[int, int, int, str]


class SpanTableModel(FlatTableModel):
    """The spans of the shown documents in reading order, filtered by label and text.

    The filter lives here rather than in a QSortFilterProxyModel: a proxy asks Python
    about every row one call at a time (0.3 s for 50,000 spans), while a list
    comprehension decides them all in a few milliseconds.
    """

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
        self._label: str | None = None
        self._text = ""
        self._show_rejected = False
        self._layer: tuple[str | None, str | None] = (None, None)

    # --- filter ----------------------------------------------------------------------

    def set_label_filter(self, label: str | None) -> None:
        self._label = label
        self._rebuild()

    def set_text_filter(self, text: str) -> None:
        self._text = text.casefold().strip()
        self._rebuild()

    def set_show_rejected(self, on: bool) -> None:
        self._show_rejected = on
        self._rebuild()

    def set_layer(self, layer: str | None, me: str | None) -> None:
        self._layer = (layer, me)
        self._rebuild()

    def accepts(self, span: Span) -> bool:
        if self._label is not None and span.label != self._label:
            return False
        if not in_layer(span, *self._layer):
            return False
        if span.status == "rejected" and not self._show_rejected:
            return False
        return not self._text or self._text in span.text.casefold()

    # --- rows ------------------------------------------------------------------------

    def _key(self, doc_id: str, span: Span) -> RowKey:
        return (self._order[doc_id], span.start, -span.end, span.id)

    def set_documents(self, doc_ids: list[str]) -> None:
        self._order = {d: i for i, d in enumerate(doc_ids)}
        self._rebuild()

    def _rebuild(self) -> None:
        self.beginResetModel()
        accepts = self.accepts
        keyed = [
            ((i, s.start, -s.end, s.id), d, s)
            for d, i in self._order.items()
            for s in self._project.document(d).span_values()
            if accepts(s)
        ]
        keyed.sort(key=_first)  # keys are unique: span ids are unique in a document
        self._keys = [k for k, _d, _s in keyed]
        self._rows = [(d, s) for _k, d, s in keyed]
        self.endResetModel()

    def refresh_titles(self) -> None:
        """A document's title changed: the Document column is drawn again."""
        rows = self.rowCount()
        if rows:
            self.dataChanged.emit(self.index(0, 0), self.index(rows - 1, 0))

    def apply(self, changes: Changes) -> None:
        changes = span_changes(changes)
        if len(changes) > self.RESET_ABOVE:
            self._rebuild()
            return
        for change in changes:
            if change.document_id not in self._order:
                continue
            before = change.before
            after = change.after
            row = None if before is None else self._find(change.document_id, before)
            if after is not None and not self.accepts(after):
                after = None  # filtered out now: its row goes
            if (
                row is not None
                and after is not None
                and before is not None
                and (before.start, before.end) == (after.start, after.end)
            ):
                self._rows[row] = (change.document_id, after)
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.HEADERS) - 1))
                continue
            if row is not None:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._rows[row], self._keys[row]
                self.endRemoveRows()
            if after is not None:
                key = self._key(change.document_id, after)
                row = bisect_left(self._keys, key)
                self.beginInsertRows(QModelIndex(), row, row)
                self._keys.insert(row, key)
                self._rows.insert(row, (change.document_id, after))
                self.endInsertRows()

    def _find(self, doc_id: str, span: Span) -> int | None:
        """The row of ``span``, or None when the filter hides it."""
        row = bisect_left(self._keys, self._key(doc_id, span))
        if row >= len(self._rows) or self._rows[row][1].id != span.id:
            return None
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

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:  # noqa: C901
        """Long on purpose: Qt asks one method for every role and column; each branch is one of
        them.
        """
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


def _first(item: tuple[RowKey, str, Span]) -> RowKey:
    return item[0]
