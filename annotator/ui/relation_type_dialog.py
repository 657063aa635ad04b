"""Labels ▸ Edit Relation Types…: the project's relation types in a table (name, key,
colour, line style, directed, clusters, across documents, the labels each end may
carry, description); OK hands the rows to
:func:`annotator.core.relating.edit_relation_types`, one undoable step."""

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

from annotator.core.models import RelationType

COLUMNS = (
    "Name",
    "Key",
    "Colour",
    "Style",
    "Directed",
    "Clusters",
    "Within a document",
    "Across documents",
    "From labels",
    "To labels",
    "Description",
)
CHECKS = {4: "directed", 5: "transitive", 6: "within_document", 7: "across_documents"}


class RelationTypeDialog(QDialog):
    def __init__(self, kinds: list[RelationType], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("relationTypeDialog")
        self.setWindowTitle("Relation Types")
        self.setMinimumWidth(900)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("relationTypeTable")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        for kind in kinds:
            self.add_row(kind, kind.name)
        add = QPushButton("Add Type")
        add.setObjectName("addRelationType")
        add.clicked.connect(lambda: self.add_row(None, None))
        remove = QPushButton("Remove Type")
        remove.setObjectName("removeRelationType")
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

    def add_row(self, kind: RelationType | None, old_name: str | None) -> int:
        """A row for ``kind`` (a blank one for a new type); returns its index."""
        kind = kind or RelationType(name="new", color="#607d8b", across_documents=True)
        index = self.table.rowCount()
        self.table.insertRow(index)
        texts = {
            0: kind.name if old_name is not None else "",
            1: kind.key or "",
            2: kind.color,
            3: kind.style,
            8: ", ".join(kind.source_labels),
            9: ", ".join(kind.target_labels),
            10: kind.description,
        }
        for column in range(len(COLUMNS)):
            if column in CHECKS:
                item = QTableWidgetItem()
                item.setFlags(
                    Qt.ItemFlag.ItemIsEnabled
                    | Qt.ItemFlag.ItemIsSelectable
                    | Qt.ItemFlag.ItemIsUserCheckable
                )
                on = bool(getattr(kind, CHECKS[column]))
                item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
            else:
                item = QTableWidgetItem(texts[column])  # shown as plain text
            if column == 0:
                item.setData(Qt.ItemDataRole.UserRole, old_name)
            self.table.setItem(index, column, item)
        return index

    def _remove_current(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)

    def rows(self) -> list[tuple[str | None, RelationType]]:
        """(old name or None, type) for every row; ValueError naming the row when one
        is not a valid relation type."""
        out = []
        for index in range(self.table.rowCount()):
            text = [self._text(index, c) for c in range(len(COLUMNS))]
            checks = {name: self._checked(index, column) for column, name in CHECKS.items()}
            first = self.table.item(index, 0)
            old = first.data(Qt.ItemDataRole.UserRole) if first is not None else None
            try:
                kind = RelationType(
                    name=text[0].strip(),
                    key=text[1].strip() or None,
                    color=text[2].strip(),
                    style=text[3].strip() or "solid",  # type: ignore[arg-type]
                    source_labels=_names(text[8]),
                    target_labels=_names(text[9]),
                    description=text[10],
                    **checks,
                )
            except ValidationError as exc:
                problem = exc.errors()[0]
                field = ".".join(str(p) for p in problem["loc"]) or "type"
                message = str(problem["msg"]).removeprefix("Value error, ")
                raise ValueError(f"Row {index + 1}: {field}: {message}") from None
            out.append((old if isinstance(old, str) else None, kind))
        return out

    def _text(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text() if item is not None else ""

    def _checked(self, row: int, column: int) -> bool:
        item = self.table.item(row, column)
        return item is not None and item.checkState() == Qt.CheckState.Checked


def _names(text: str) -> list[str]:
    return [name.strip() for name in text.split(",") if name.strip()]
