"""Labels ▸ Edit Relation Types…: the project's relation types in a table (name, key,
colour, line style, directed, clusters, across documents, the labels each end may
carry, description); OK hands the rows to
:func:`annotator.core.relating.edit_relation_types`, one undoable step."""

from __future__ import annotations

from pydantic import ValidationError
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableWidgetItem, QWidget

from annotator.core.models import RelationType
from annotator.ui.table_dialog import TableDialog

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


class RelationTypeDialog(TableDialog):
    def __init__(self, kinds: list[RelationType], parent: QWidget | None = None) -> None:
        super().__init__(
            COLUMNS,
            title="Relation Types",
            name="relationType",
            thing="Type",
            add_row=lambda: self.add_row(None, None),
            width=900,
            parent=parent,
        )
        for kind in kinds:
            self.add_row(kind, kind.name)

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

    def _checked(self, row: int, column: int) -> bool:
        item = self.table.item(row, column)
        return item is not None and item.checkState() == Qt.CheckState.Checked


def _names(text: str) -> list[str]:
    return [name.strip() for name in text.split(",") if name.strip()]
