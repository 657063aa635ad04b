"""Edit ▸ Document Title and Outlet… (F2): a document's title and outlet (``source``),
and its date, author and address (``meta``: what an import of a page found)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from annotator.core.project import Document
from annotator.core.provenance import DETAILS
from annotator.core.text import first_line_title
from annotator.ui.plain import tooltip
from annotator.ui.widgets import named

EDITABLE = tuple((key, name) for key, name in DETAILS if key in ("date", "author", "url"))


class DocumentInfoDialog(QDialog):
    """Two fields, prefilled; "Use First Line" puts the article's first line in the title
    (for folders of files named by ids). Line edits show their text as plain text."""

    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("documentInfoDialog")
        self.setWindowTitle("Document title and outlet")
        self.title = named(QLineEdit(document.title), "documentTitle")
        self.title.setPlaceholderText(document.id)
        self.source = named(QLineEdit(document.source), "documentSource")
        self.source.setPlaceholderText("the outlet, e.g. Harbour Gazette")
        self._first_line = first_line_title(document.text)
        use_first = named(QPushButton("Use First Line"), "useFirstLine")
        use_first.setEnabled(bool(self._first_line))
        use_first.setToolTip(tooltip(self._first_line))
        use_first.clicked.connect(lambda: self.title.setText(self._first_line))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        ident = QLabel(f"Document {document.id} ({document.path})")
        ident.setTextFormat(Qt.TextFormat.PlainText)
        form.addRow(ident)
        form.addRow("Title", self.title)
        form.addRow("", use_first)
        form.addRow("Outlet", self.source)
        # what an import of a page or PDF found (pages' author fields are often wrong)
        self.details = {
            key: named(QLineEdit(document.meta.get(key, "")), f"document_{key}")
            for key, _name in EDITABLE
        }
        for key, name in EDITABLE:
            form.addRow(name, self.details[key])
        form.addRow(buttons)
        self.setMinimumWidth(520)
        self.title.selectAll()
        self.title.setFocus()

    def values(self) -> tuple[str, str, dict[str, str]]:
        """Title, outlet, and the details (date, author, address) as edited."""
        edited = {key: field.text() for key, field in self.details.items()}
        return self.title.text(), self.source.text(), edited
