"""Labels ▸ Edit Labels…: the project's labels in a table (name, key, colour,
description), to add, rename, recolour or remove; OK hands the rows to
:func:`annotator.core.commands.edit_labels`, which makes one undoable step of them."""

from __future__ import annotations

from pydantic import ValidationError
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.core.models import Label

COLUMNS = ("Name", "Key", "Colour", "Description")
NEW_COLOUR = "#9e9e9e"


class LabelDialog(QDialog):
    def __init__(self, labels: list[Label], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("labelDialog")
        self.setWindowTitle("Labels")
        self.setMinimumWidth(560)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("labelTable")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        for label in labels:
            self.add_row(label, label.name)
        add = QPushButton("Add Label")
        add.setObjectName("addLabel")
        add.clicked.connect(lambda: self.add_row(None, None))
        remove = QPushButton("Remove Label")
        remove.setObjectName("removeLabel")
        remove.clicked.connect(self._remove_current)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(add)
        row.addWidget(remove)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(row)
        layout.addWidget(buttons)

    def add_row(self, label: Label | None, old_name: str | None) -> int:
        """A row for ``label`` (a blank one for a new label); returns its index."""
        index = self.table.rowCount()
        self.table.insertRow(index)
        values = (
            (label.name, label.key or "", label.color, label.description)
            if label is not None
            else ("", "", NEW_COLOUR, "")
        )
        for column, value in enumerate(values):
            item = QTableWidgetItem(value)  # a table item shows its text as plain text
            if column == 0:
                item.setData(Qt.ItemDataRole.UserRole, old_name)
            self.table.setItem(index, column, item)
        return index

    def _remove_current(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)

    def rows(self) -> list[tuple[str | None, Label]]:
        """(old name or None, label) for every row, in order; ValueError with a message
        naming the row when one is not a valid label (empty name, two-letter key, a colour
        that is not #rrggbb)."""
        out = []
        for index in range(self.table.rowCount()):
            cells = [self._text(index, c) for c in range(len(COLUMNS))]
            first = self.table.item(index, 0)
            old = first.data(Qt.ItemDataRole.UserRole) if first is not None else None
            try:
                label = Label(
                    name=cells[0].strip(),
                    key=cells[1].strip() or None,
                    color=cells[2].strip(),
                    description=cells[3],
                )
            except ValidationError as exc:
                problem = exc.errors()[0]
                field = ".".join(str(p) for p in problem["loc"]) or "label"
                message = str(problem["msg"]).removeprefix("Value error, ")
                raise ValueError(f"Row {index + 1}: {field}: {message}") from None
            out.append((old if isinstance(old, str) else None, label))
        return out

    def _text(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text() if item is not None else ""
