"""Dialogs: message boxes that show user strings as plain text, the keyboard shortcuts
(from the action table) and About."""

from __future__ import annotations

import sys

import PySide6
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QMessageBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator import APP_DISPLAY_NAME, __version__
from annotator import settings as paths


def message_box(
    parent: QWidget | None,
    icon: QMessageBox.Icon,
    text: str,
    name: str = "",
    *,
    title: str = APP_DISPLAY_NAME,
) -> QMessageBox:
    """A message box whose text (and informative text) is plain, never guessed as HTML:
    file names, labels and span texts in it are shown literally."""
    box = QMessageBox(icon, title, text, parent=parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    if name:
        box.setObjectName(name)
    return box


class ShortcutsDialog(QDialog):
    def __init__(self, rows: list[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle("Keyboard shortcuts")
        self.model = QStandardItemModel(0, 2, self)
        self.model.setHorizontalHeaderLabels(["Keys", "Action"])
        for keys, what in rows:
            self.model.appendRow([QStandardItem(keys), QStandardItem(what)])
        table = QTableView()
        table.setModel(self.model)
        table.verticalHeader().hide()
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(table)
        layout.addWidget(buttons)
        self.resize(560, 480)


def show_about(parent: QWidget, project_root: str) -> QMessageBox:
    text = (
        f"{APP_DISPLAY_NAME} {__version__}\n\nProject: {project_root}\n"
        f"Settings: {paths.config_dir()}\nData: {paths.data_dir()}\n\n"
        f"Built with Qt {qVersion()} and PySide6 {PySide6.__version__}, both under the\n"
        "GNU Lesser General Public License v3 (https://www.qt.io/licensing/).\n"
        "pydantic and platformdirs: MIT licence. "
        f"Python {sys.version.split()[0]}: PSF licence."
    )
    box = message_box(
        parent, QMessageBox.Icon.Information, text, "aboutDialog", title=f"About {APP_DISPLAY_NAME}"
    )
    box.open()
    return box
