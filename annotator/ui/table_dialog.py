"""The frame of the dialogs that edit a list of named things in a table (Labels ▸ Edit
Labels…, Edit Relation Types…): the table, Add and Remove, OK and Cancel. Each dialog
fills the rows and reads them back."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)


class TableDialog(QDialog):
    def __init__(
        self,
        columns: tuple[str, ...],
        *,
        title: str,
        name: str,
        thing: str,
        add_row: Callable[[], object],
        width: int,
        parent: QWidget | None = None,
    ) -> None:
        """``name`` names the parts: ``labelDialog``, ``labelTable``, ``addLabel`` and
        ``removeLabel`` for ``label``; ``thing`` is what the buttons say they add."""
        super().__init__(parent)
        self.setObjectName(f"{name}Dialog")
        self.setWindowTitle(title)
        self.setMinimumWidth(width)
        self.table = QTableWidget(0, len(columns))
        self.table.setObjectName(f"{name}Table")
        self.table.setHorizontalHeaderLabels(columns)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(len(columns) - 1, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        add = QPushButton(f"Add {thing}")
        capital = name[0].upper() + name[1:]
        add.setObjectName(f"add{capital}")
        add.clicked.connect(add_row)
        remove = QPushButton(f"Remove {thing}")
        remove.setObjectName(f"remove{capital}")
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

    def _remove_current(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)

    def _text(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text() if item is not None else ""
