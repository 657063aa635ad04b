"""Analysis ▸ Adjudicate: the queue of disagreements between two annotators' layers,
least agreed first, and the keys that decide each item into the gold layer.

A thin view over :mod:`annotator.core.adjudication`: the panel shows the queue in a
table (Qt model/view); A takes A's version, B takes B's, T both, N neither, and
"Accept All Agreed" puts everything the two agree on into gold. Every decision is
one undoable command through the session. The current item is shown in its article
pane. Every user string is plain text.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.core import adjudication
from annotator.core.adjudication import Choice, Item
from annotator.core.commands import EditError
from annotator.core.models import Span
from annotator.core.wording import count, quoted
from annotator.ui.session import Session

COLUMNS = ("Document", "Where", "Kind", "A says", "B says", "Agreement")
KEYS_HINT = (
    "A take A's · B take B's · T both · N neither · ↑/↓ move · Ctrl+Z undo · "
    "or select text in the article and press a label key: your own version goes into gold"
)
Index = QModelIndex | QPersistentModelIndex


def said(item: Item, layer: str) -> str:
    spans = item.spans.get(layer, ())
    relations = item.relations.get(layer, ())
    if relations:
        return ", ".join(r.type for r in relations)
    if not spans and not item.is_relation:
        return "—"
    return ", ".join(f"{s.label} {quoted(s.text)}" for s in spans) or "—"


class QueueModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self.items: list[Item] = []
        self.layers: tuple[str, str] = ("", "")

    def reset(self, items: list[Item], layers: tuple[str, str]) -> None:
        self.beginResetModel()
        self.items = items
        self.layers = layers
        self.endResetModel()

    def drop(self, row: int) -> None:
        self.beginRemoveRows(QModelIndex(), row, row)
        del self.items[row]
        self.endRemoveRows()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            names = {3: f"{self.layers[0]} (A)", 4: f"{self.layers[1]} (B)"}
            return names.get(section, COLUMNS[section])
        return None

    def data(self, index: Index, role: int = 0) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or not index.isValid():
            return None
        item = self.items[index.row()]
        column = index.column()
        if column == 0:
            return item.document
        if column == 1:
            return f"{item.start}-{item.end}" + (" (relation)" if item.is_relation else "")
        if column == 2:
            return item.kind
        if column in (3, 4):
            return said(item, self.layers[column - 3])
        return f"{item.agreement:.2f}"


class AdjudicatePanel(QWidget):
    """The dock's content; ``reveal(doc_id, span)`` shows an item in its pane."""

    def __init__(
        self,
        session: Session,
        *,
        reveal: Callable[[str, Span], None],
        shown: Callable[[], list[str]],
        say: Callable[[str, int], None],
    ) -> None:
        super().__init__()
        self.setObjectName("adjudicatePanel")
        self.session = session
        self.reveal = reveal
        self.shown = shown
        self.say = say
        self._deciding = False
        self.first = QComboBox()
        self.first.setObjectName("adjudicateA")
        self.second = QComboBox()
        self.second.setObjectName("adjudicateB")
        for box in (self.first, self.second):
            box.activated.connect(lambda _i: self.refresh())
        agreed = QPushButton("Accept All A&greed")
        agreed.setObjectName("acceptAgreed")
        agreed.setToolTip("Put everything A and B agree on into the gold layer (one undo step)")
        agreed.clicked.connect(self.accept_agreed)
        self.counts = QLabel("")
        self.counts.setObjectName("adjudicateCounts")
        self.counts.setTextFormat(Qt.TextFormat.PlainText)
        hint = QLabel(KEYS_HINT)
        hint.setTextFormat(Qt.TextFormat.PlainText)
        hint.setWordWrap(True)
        self.model = QueueModel()
        self.table = QTableView()
        self.table.setObjectName("adjudicateQueue")
        self.table.setMinimumHeight(150)  # a few items in sight, not one
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        # Widths fitted once per refresh (to the first 200 items), not ResizeToContents:
        # that measured every item again at each decision
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setResizeContentsPrecision(200)
        header.setStretchLastSection(True)
        self.table.selectionModel().currentRowChanged.connect(
            lambda cur, _old: self._show(cur.row())
        )
        top = QHBoxLayout()
        top.addWidget(QLabel("A:"))
        top.addWidget(self.first, 1)
        top.addWidget(QLabel("B:"))
        top.addWidget(self.second, 1)
        top.addWidget(agreed)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.counts)
        layout.addWidget(self.table, 1)
        layout.addWidget(hint)
        for key, choice in (("A", "a"), ("B", "b"), ("T", "both"), ("N", "neither")):
            shortcut = QShortcut(QKeySequence(key), self.table)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda c=choice: self.decide(c))  # type: ignore[misc]
        session.changed.connect(self._on_changed)

    # --- state ---------------------------------------------------------------------

    def layers(self) -> tuple[str, str] | None:
        a, b = self.first.currentText(), self.second.currentText()
        return (a, b) if a and b and a != b else None

    def fill_layers(self) -> None:
        known = adjudication.layers_of(self.session.project)
        for box, default in ((self.first, 0), (self.second, 1)):
            current = box.currentText()
            box.clear()
            box.addItems(known)
            if current in known:
                box.setCurrentText(current)
            elif len(known) > default:
                box.setCurrentIndex(default)

    def refresh(self, keep_row: int = 0) -> None:
        """The queue again, from the project (after an undo, or other layers chosen)."""
        layers = self.layers()
        if layers is None:
            self.model.reset([], ("", ""))
            known = adjudication.layers_of(self.session.project)
            self.counts.setText(
                "Choose two different annotators."
                if len(known) >= 2
                else f"Adjudication needs two annotators' work; found {', '.join(known) or 'none'}."
            )
            return
        items = adjudication.queue(self.session.project, layers, self.shown())
        self.model.reset(items, layers)
        self.table.resizeColumnsToContents()
        self._count()
        if items:
            self.table.selectRow(min(keep_row, len(items) - 1))

    def _count(self) -> None:
        n = len(self.model.items)
        self.counts.setText(
            f"{count(n, 'disagreement')} to decide in the shown documents, least agreed first"
            if n
            else "Nothing left to decide in the shown documents."
        )

    def current(self) -> tuple[int, Item] | None:
        row = self.table.currentIndex().row()
        if 0 <= row < len(self.model.items):
            return row, self.model.items[row]
        return None

    def _show(self, row: int) -> None:
        if not 0 <= row < len(self.model.items):
            return
        item = self.model.items[row]
        span = next((s for spans in item.spans.values() for s in spans), None)
        if span is None and item.relations:
            relation = next(r for rs in item.relations.values() for r in rs)
            span = self.session.project.span_of(relation.source.key)
        if span is not None:
            self.reveal(item.document, span)
            self.table.setFocus()

    # --- decisions -----------------------------------------------------------------

    def decide(self, choice: Choice) -> bool:
        here = self.current()
        layers = self.layers()
        if here is None or layers is None:
            return False
        row, item = here
        try:
            batch = adjudication.decide(
                self.session.project, item, choice, layers, by=self.session.project.annotator
            )
        except EditError as exc:
            self.say(str(exc), 5000)
            return False
        self._deciding = True
        try:
            done = self.session.run(batch)
        finally:
            self._deciding = False
        if done:
            self.model.drop(row)
            self._count()
            if self.model.items:
                self.table.selectRow(min(row, len(self.model.items) - 1))
            self.say(batch.description, 4000)
        return done

    def accept_agreed(self) -> None:
        layers = self.layers()
        if layers is None:
            return
        batch = adjudication.accept_agreed(
            self.session.project, layers, self.shown(), by=self.session.project.annotator
        )
        if not batch.changes:
            self.say("The gold layer has everything the two agree on already", 5000)
            return
        if self.session.run(batch):
            self.say(batch.description, 5000)

    def _on_changed(self, _changes: object) -> None:
        if not self._deciding and self.isVisible():
            here = self.current()
            self.refresh(here[0] if here else 0)
