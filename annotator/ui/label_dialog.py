"""Labels ▸ Edit Labels…: the project's labels in a table (name, key, colour,
description), to add, rename, recolour or remove; OK hands the rows to
:func:`annotator.core.commands.edit_labels`, which makes one undoable step of them."""

from __future__ import annotations

from pydantic import ValidationError
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableWidgetItem, QWidget

from annotator.core.models import Label
from annotator.ui.table_dialog import TableDialog

COLUMNS = ("Name", "Key", "Colour", "Description")
NEW_COLOUR = "#9e9e9e"


class LabelDialog(TableDialog):
    def __init__(self, labels: list[Label], parent: QWidget | None = None) -> None:
        super().__init__(
            COLUMNS,
            title="Labels",
            name="label",
            thing="Label",
            add_row=lambda: self.add_row(None, None),
            width=560,
            parent=parent,
        )
        for label in labels:
            self.add_row(label, label.name)

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
