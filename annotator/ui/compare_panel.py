"""The Compare panel (View ▸ Compare, Ctrl+Shift+C): the comparison matrix of the
shown documents, and File ▸ Export Comparison….

One row per thing the outlets mention (:mod:`annotator.core.comparison`), one column
per shown document; a cell shows that document's mention, "—" where it has none, and
a red (contradicts) or orange (differs) cell with ⚠ and the differing values (first)
where it disagrees with another outlet. Filters: every row, in every outlet, only in one,
contradictions and differences; one label. Clicking a cell scrolls that pane to the
mention and flashes it; the chosen row is highlighted in every pane.

The matrix is a view, not a copy: it is computed again a moment after each change
(undo included), and only while the panel is shown. The export writes what the panel
shows (documents, filter, label) through :mod:`annotator.ops.comparing`, the same
code as ``annotator compare``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.core.changes import Changes, label_changes
from annotator.core.comparison import FILTER_NAMES, FILTERS, Comparison, Row, first_notes
from annotator.core.models import Span
from annotator.core.review import row_decision, split_off
from annotator.core.wording import count
from annotator.ops import comparing
from annotator.ui.panes_area import PanesArea
from annotator.ui.plain import tooltip
from annotator.ui.session import Session

Index = QModelIndex | QPersistentModelIndex
FIXED = ("Label", "In")  # the columns before the documents'
TOOLTIP_MARKS = 20  # a cell's tooltip lists this many of its marks, then how many more
COLOURS = {"contradicts": QColor(253, 215, 215), "differs": QColor(255, 232, 200)}
ALL_LABELS = "(all labels)"


def _short(text: str, limit: int = 32) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class CompareModel(QAbstractTableModel):
    """Rows of a :class:`Comparison` (filtered), columns Label, In, then the documents."""

    def __init__(self) -> None:
        super().__init__()
        self.comparison = Comparison((), {})
        self.rows: list[Row] = []

    def set_rows(self, comparison: Comparison, rows: list[Row]) -> None:
        self.beginResetModel()
        self.comparison = comparison
        self.rows = rows
        self.endResetModel()

    def document_at(self, column: int) -> str | None:
        i = column - len(FIXED)
        docs = self.comparison.documents
        return docs[i] if 0 <= i < len(docs) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(FIXED) + len(self.comparison.documents)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation != Qt.Orientation.Horizontal:
            return None
        doc = self.document_at(section)
        if role == Qt.ItemDataRole.DisplayRole:
            return FIXED[section] if doc is None else _short(self.comparison.name(doc), 28)
        if role == Qt.ItemDataRole.ToolTipRole and doc is not None:
            comp = self.comparison
            return tooltip(f"{comp.name(doc)}\n{comp.titles[doc]}\n({doc})")
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:  # noqa: C901
        """Long on purpose: Qt asks one method for every role and column; each branch is one of
        them.
        """
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        doc = self.document_at(index.column())
        if doc is None:
            if role == Qt.ItemDataRole.DisplayRole:
                if index.column() == 0:
                    return row.label
                return f"{row.coverage}/{len(self.comparison.documents)}"
            if role == Qt.ItemDataRole.ToolTipRole:
                return tooltip(row.name)
            return None
        cell = row.cells.get(doc)
        if role == Qt.ItemDataRole.DisplayRole:
            if cell is None:
                return "—"
            text = _short(cell.text, 60)
            if cell.marks:  # what differs first: the sentence is long, the values short
                notes = "; ".join(first_notes(cell.marks))
                return f"⚠ {_short(notes, 48)} · {text}"
            return text
        if role == Qt.ItemDataRole.ForegroundRole and cell is None:
            return QBrush(QColor("#9e9e9e"))
        if role == Qt.ItemDataRole.BackgroundRole and cell is not None and cell.marks:
            kind = "contradicts" if any(m.type == "contradicts" for m in cell.marks) else "differs"
            return QBrush(COLOURS.get(kind, COLOURS["differs"]))
        if role == Qt.ItemDataRole.TextAlignmentRole and cell is None:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ToolTipRole and cell is not None:
            lines = list(dict.fromkeys(" ".join(t.split()) for t in cell.texts))
            marks = cell.marks[:TOOLTIP_MARKS]
            lines += [f"{m.type} {self.comparison.name(m.other)}: {m.note}" for m in marks]
            if len(cell.marks) > len(marks):
                lines.append(f"… and {len(cell.marks) - len(marks):,} more")
            return tooltip("\n".join(lines))
        return None


class ComparePanel(QWidget):
    """Filter bar, counts and the matrix."""

    cell_chosen = Signal(str, str)  # document id, span id
    row_chosen = Signal(object)  # the Row, or None
    row_decided = Signal(object, str)  # the Row, "accepted" or "rejected" (A or R)
    cell_split = Signal(object, str)  # the Row, the document whose mention leaves it (X)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("comparePanel")
        self.model = CompareModel()
        self.table = QTableView()
        self.table.setObjectName("compareTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(22)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setDefaultSectionSize(220)
        header.setStretchLastSection(True)
        self.filter = QComboBox()
        self.filter.setObjectName("compareFilter")
        for key in FILTERS:
            self.filter.addItem(FILTER_NAMES[key], key)
        self.label = QComboBox()
        self.label.setObjectName("compareLabel")
        self.label.addItem(ALL_LABELS, None)
        self.pending = QCheckBox("Include suggestions")
        self.pending.setObjectName("comparePending")
        self.pending.setToolTip(
            "Count suggested spans and links not yet reviewed; then, in the matrix, A accepts "
            "a row, R rejects its links, X splits a cell's mention off the row"
        )
        self.counts = QLabel("")
        self.counts.setObjectName("compareCounts")
        self.counts.setTextFormat(Qt.TextFormat.PlainText)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Show"))
        bar.addWidget(self.filter)
        bar.addWidget(self.label)
        bar.addWidget(self.pending)
        bar.addStretch(1)
        bar.addWidget(self.counts)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(bar)
        layout.addWidget(self.table)
        self.table.installEventFilter(self)  # A and R decide the row, before any shortcut
        self.table.clicked.connect(self._clicked)
        self.table.activated.connect(self._clicked)
        self.table.selectionModel().currentChanged.connect(lambda cur, _prev: self._current(cur))

    def set_labels(self, labels: list[str]) -> None:
        chosen = self.label.currentData()
        self.label.blockSignals(True)
        self.label.clear()
        self.label.addItem(ALL_LABELS, None)
        for name in labels:
            self.label.addItem(name, name)
        at = self.label.findData(chosen)
        self.label.setCurrentIndex(max(at, 0))
        self.label.blockSignals(False)

    def show_comparison(self, comparison: Comparison) -> None:
        chosen = self.chosen_row()
        column = self.table.currentIndex().column()
        rows = comparison.filtered(self.filter.currentData(), self.label.currentData())
        columns_before = self.model.columnCount()
        self.model.set_rows(comparison, rows)
        if self.model.columnCount() != columns_before:
            self.table.setColumnWidth(0, 70)
            self.table.setColumnWidth(1, 44)
        conflicts = comparison.conflicts()
        contradictions = sum(m.type == "contradicts" for _r, m in conflicts)
        self.counts.setText(
            f"{len(rows)} of {count(len(comparison.rows), 'row')} · "
            f"{len(comparison.filtered('everywhere'))} in all · "
            f"{len(comparison.filtered('one'))} in one · {contradictions} contradicting · "
            f"{len(conflicts) - contradictions} differing"
        )
        if chosen is not None:
            at = next((i for i, r in enumerate(rows) if r.id == chosen.id), None)
            if at is not None:
                self.table.setCurrentIndex(self.model.index(at, max(column, 0)))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """``A`` accepts the chosen row, ``R`` rejects it (the matrix has the keys)."""
        kind = event.type()
        if watched is not self.table or kind not in (
            QEvent.Type.ShortcutOverride,
            QEvent.Type.KeyPress,
        ):
            return False
        assert isinstance(event, QKeyEvent)
        status = {Qt.Key.Key_A: "accepted", Qt.Key.Key_R: "rejected", Qt.Key.Key_X: "split"}.get(
            Qt.Key(event.key())
        )
        if status is None or event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return False
        event.accept()
        row = self.chosen_row()
        if kind == QEvent.Type.KeyPress and row is not None:
            if status == "split":  # X: the chosen cell's mention leaves the row
                doc = self.model.document_at(self.table.currentIndex().column())
                if doc is not None and doc in row.cells:
                    self.cell_split.emit(row, doc)
            else:
                self.row_decided.emit(row, status)
        return True

    def chosen_row(self) -> Row | None:
        index = self.table.currentIndex()
        return self.model.rows[index.row()] if index.isValid() else None

    def _current(self, index: QModelIndex) -> None:
        self.row_chosen.emit(self.model.rows[index.row()] if index.isValid() else None)

    def _clicked(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        doc = self.model.document_at(index.column())
        row = self.model.rows[index.row()]
        if doc is not None and doc in row.cells:
            self.cell_chosen.emit(doc, row.cells[doc].members[0][1])


class Comparing:
    """The Compare panel kept in step with the project and the shown documents."""

    def __init__(
        self,
        session: Session,
        panes: PanesArea,
        *,
        parent: QWidget,
        reveal: Callable[[str, Span], None],
        say: Callable[[str, int], None],
    ) -> None:
        self.session = session
        self.panes = panes
        self.parent = parent
        self.reveal = reveal
        self.say = say
        self.documents: list[str] = []
        self.panel = ComparePanel(parent)
        self.comparison = Comparison((), {})
        self._dirty = True
        self._timer = QTimer(self.panel)
        self._timer.setSingleShot(True)
        self._timer.setInterval(30)  # one rebuild after a burst of changes
        self._timer.timeout.connect(self.refresh)
        self.panel.filter.currentIndexChanged.connect(lambda _i: self._show())
        self.panel.label.currentIndexChanged.connect(lambda _i: self._show())
        self.panel.pending.toggled.connect(self._pending_toggled)
        self.panel.cell_chosen.connect(self._cell_chosen)
        self.panel.row_chosen.connect(self._row_chosen)
        self.panel.row_decided.connect(self._row_decided)
        self.panel.cell_split.connect(self._cell_split)
        session.changed.connect(self._on_changed)
        self.panel.set_labels([label.name for label in session.project.labels])

    @property
    def visible(self) -> bool:
        return self.panel.isVisible()

    def set_documents(self, doc_ids: list[str]) -> None:
        self.documents = list(doc_ids)
        self._changed()

    def _on_changed(self, changes: Changes) -> None:
        if label_changes(changes):  # only then: this runs after every edit
            self.panel.set_labels([label.name for label in self.session.project.labels])
        self._changed()

    def _changed(self) -> None:
        self._dirty = True
        if self.visible:
            self._timer.start()

    def shown(self) -> None:
        """The panel came into view: bring it up to date."""
        if self._dirty:
            self.refresh()

    def build(self) -> Comparison:
        project = self.session.project
        docs = [d for d in self.documents if project.has_document(d)]
        return comparing.comparison(project, docs, pending=self.panel.pending.isChecked())

    def refresh(self) -> None:
        self._timer.stop()
        self.comparison = self.build()
        self._dirty = False
        self._show()

    def _show(self) -> None:
        self.panel.show_comparison(self.comparison)

    def _cell_chosen(self, doc_id: str, span_id: str) -> None:
        span = self.session.project.span_of((doc_id, span_id))
        if span is not None:
            self.reveal(doc_id, span)
            self._row_chosen(self.panel.chosen_row())

    def _row_chosen(self, row: Row | None) -> None:
        """Highlight the row's mentions in every pane, and its links."""
        if row is None:
            return
        project = self.session.project
        linked: dict[str, list[Span]] = {}
        relation_ids: set[str] = set()
        for key in row.members():
            span = project.span_of(key)
            if span is not None:
                linked.setdefault(key[0], []).append(span)
            relation_ids.update(r.id for r in project.relations_of(*key))
        self.panes.set_linked(linked, relation_ids)

    def _pending_toggled(self, on: bool) -> None:
        self.refresh()
        if on:
            self.say(
                "Suggestions included: in the matrix, A accepts the chosen row, R rejects its "
                "links, X splits the chosen cell's mention off the row.",
                10000,
            )

    def _row_decided(self, row: Row, status: str) -> None:
        """A or R on a row: its suggestions decided in one undoable step."""
        if self.session.read_only:
            return
        command = row_decision(self.session.project, row.members(), status, row.name)  # type: ignore[arg-type]
        if not command.changes:
            self.say("Nothing in this row is waiting for review.", 4000)
            return
        if self.session.run(command):
            self.say(
                f"{command.description}: {count(len(command.changes), 'change')} (undo: Ctrl+Z).",
                6000,
            )

    def _cell_split(self, row: Row, doc: str) -> None:
        """X on a cell: that outlet's mention is split off the row, one undo step."""
        if self.session.read_only:
            return
        cell = row.cells[doc]
        command = split_off(self.session.project, cell.members, row.members(), cell.text)
        if not command.changes:
            self.say("That mention is joined to the row by no link (only by its words).", 5000)
            return
        if self.session.run(command):
            self.say(f"{command.description} (undo: Ctrl+Z).", 6000)

    # --- File ▸ Export Comparison… ------------------------------------------------------

    def ask_export(self) -> None:
        filters = {
            "Markdown report (*.md)": "md",
            "HTML report (*.html)": "html",
            "CSV table (*.csv)": "csv",
            "JSON (*.json)": "json",
        }
        start = str(self.session.project.root / "comparison.md")  # beside the articles
        path, chosen = QFileDialog.getSaveFileName(
            self.parent, "Export comparison", start, ";;".join(filters)
        )
        if path:
            self.export(Path(path), filters.get(chosen))

    def export(self, path: Path, fmt: str | None = None) -> Path | None:
        """Write what the panel shows. The file name's extension says the format when it
        is one we write (a person types ``report.html`` and leaves the type list as it
        was); else ``fmt``, the type chosen in the dialog, and its extension is added."""
        known = path.suffix.lower() in comparing.EXTENSIONS.values()
        try:
            fmt = comparing.format_for(path, None if known else fmt)
        except ValueError as exc:
            self.say(str(exc), 8000)
            return None
        if not known:
            path = path.with_name(path.name + comparing.EXTENSIONS[fmt])
        project = self.session.project
        label = self.panel.label.currentData()
        try:  # what `annotator compare` writes for the same choices, byte for byte
            comparison = comparing.export(
                project,
                path,
                fmt,
                documents=[d for d in self.documents if project.has_document(d)],
                labels=None if label is None else [label],
                which=self.panel.filter.currentData(),
                pending=self.panel.pending.isChecked(),
            )
        except OSError as exc:
            self.say(f"Could not write {path.name}: {exc.strerror or exc}", 10000)
            return None
        self.say(f"Wrote {path.name}: {comparing.summary(comparison)}", 8000)
        return path
