"""The document list: every document of the project, with a check box for "shown"."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal

from annotator.core import provenance
from annotator.core.project import Document, Project
from annotator.core.wording import span_counts
from annotator.core.work import STATUS_NAMES
from annotator.ops import progress
from annotator.ui.plain import tooltip
from annotator.ui.table_model import FlatTableModel, Index

# a narrow column beside the titles (its tooltip says it in words)
STATUS_TEXT = {"new": "", "in_progress": "◐", "done": "✓"}
STATUS_COLUMN = 3


class DocumentListModel(FlatTableModel):
    """Rows are documents in project order; column 0 is checkable (shown), 1 counts spans,
    3 says the document's status for the person working (``whose``)."""

    shown_changed = Signal(list)  # ids of shown documents, in project order
    HEADERS = ("Document", "Spans", "Source", "Done")

    def __init__(self, project: Project, shown: list[str]) -> None:
        super().__init__()
        self._project = project
        self._shown = {d for d in shown if project.has_document(d)}
        self._rows: dict[str, int] = {}  # row of each document id (see row_of)
        # whose statuses the list shows (the window's annotator, or gold): set by the window
        self.whose: Callable[[], str] = lambda: progress.who(project)

    def status(self, doc_id: str) -> str:
        return self._project.work.status(self.whose(), doc_id)

    def row_total(self) -> int:
        return len(self._project.documents)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        doc = self._project.documents[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 1:  # counted as the pane counts them
                return span_counts(doc.count("accepted"), doc.count("pending"), short=True)
            if col == STATUS_COLUMN:
                return STATUS_TEXT[self.status(doc.id)]
            return (doc.display_title, "", doc.source)[col]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(doc, col)
        if role == Qt.ItemDataRole.CheckStateRole and col == 0:
            return Qt.CheckState.Checked if doc.id in self._shown else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.TextAlignmentRole and col == 1:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.TextAlignmentRole and col == STATUS_COLUMN:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.UserRole:
            return doc.id
        return None

    def _tooltip(self, doc: Document, col: int) -> str:
        if col == 1:
            return tooltip(
                span_counts(doc.count("accepted"), doc.count("pending"))
                + ". Spans are what people tagged and accepted suggestions; "
                "rejected suggestions are not counted."
            )
        if col == STATUS_COLUMN:
            given = ", ".join(doc.assigned) or "nobody in particular"
            return tooltip(
                f"{STATUS_NAMES[self.status(doc.id)]} for {self.whose() or 'you'}; "
                f"assigned to {given}. Ctrl+Enter marks the current document done."
            )
        about = provenance.details(doc)
        about = f"\n{about}" if about else ""
        return tooltip(f"{doc.display_title}{about}\n{doc.path} (F2 edits title and outlet)")

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid() and index.column() == 0:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base

    def setData(self, index: Index, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.CheckStateRole or index.column() != 0:
            return False
        doc_id = self._project.documents[index.row()].id
        checked = Qt.CheckState(value) == Qt.CheckState.Checked  # type: ignore[call-overload]
        self.set_shown(doc_id, checked)
        return True

    # --- shown documents -------------------------------------------------------------

    def shown(self) -> list[str]:
        return [d.id for d in self._project.documents if d.id in self._shown]

    def set_shown(self, doc_id: str, shown: bool) -> None:
        if (doc_id in self._shown) == shown:
            return
        (self._shown.add if shown else self._shown.discard)(doc_id)
        row = self.row_of(doc_id)
        self.dataChanged.emit(self.index(row, 0), self.index(row, 0))
        self.shown_changed.emit(self.shown())

    def set_shown_only(self, doc_ids: list[str]) -> None:
        """Show exactly these documents (all, none, a selection, one outlet's) at once:
        one announcement, so the panes are laid out once."""
        wanted = {d for d in doc_ids if self._project.has_document(d)}
        if wanted == self._shown:
            return
        self._shown = wanted
        rows = self.row_total()
        if rows:
            self.dataChanged.emit(self.index(0, 0), self.index(rows - 1, 0))
        self.shown_changed.emit(self.shown())

    def row_of(self, doc_id: str) -> int:
        """The document's row (remembered, and checked: documents come and go)."""
        docs = self._project.documents
        row = self._rows.get(doc_id)
        if row is None or row >= len(docs) or docs[row].id != doc_id:
            self._rows = {d.id: i for i, d in enumerate(docs)}
            row = self._rows[doc_id]
        return row

    def reset(self) -> None:
        """Documents were added to the project."""
        self.beginResetModel()
        self.endResetModel()

    def refresh_counts(self, doc_ids: set[str]) -> None:
        """Spans, title or outlet of these documents changed: their rows are drawn again."""
        last = len(self.HEADERS) - 1
        for doc_id in doc_ids:
            row = self.row_of(doc_id)
            self.dataChanged.emit(self.index(row, 0), self.index(row, last))
