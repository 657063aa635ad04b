"""Analysis ▸ Agreement: the agreement report in tables, one tab per section, with the
annotators to compare, the scope (shown documents or all) and Save As (table, JSON,
CSV). The figures come from :mod:`annotator.ops.agreeing`; every cell is plain text."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from annotator.agreement.render import heading, render, sections
from annotator.io.atomic import atomic_write_text
from annotator.ui.dialogs import message_box


class AgreementDialog(QDialog):
    def __init__(self, parent: QWidget, *, recompute: Callable[[], None]) -> None:
        super().__init__(parent)
        self.setObjectName("agreementDialog")
        self.setWindowTitle("Agreement")
        self.resize(1180, 640)
        self.report: dict[str, Any] | None = None
        self.heading = QLabel("Computing…")
        self.heading.setObjectName("agreementHeading")
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setWordWrap(True)
        self.people = QListWidget()
        self.people.setObjectName("agreementAnnotators")
        self.people.setMaximumWidth(200)
        self.people.setToolTip("The annotators compared (the first checked is the reference)")
        self.scope = QCheckBox("Only the shown documents")
        self.scope.setObjectName("agreementShownOnly")
        again = QPushButton("&Recompute")
        again.setObjectName("agreementRecompute")
        again.clicked.connect(recompute)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("agreementTabs")
        self.warnings = QPlainTextEdit()
        self.warnings.setObjectName("agreementWarnings")
        self.warnings.setReadOnly(True)
        self.warnings.setMaximumHeight(90)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        save = buttons.addButton("&Save As…", QDialogButtonBox.ButtonRole.ActionRole)
        save.setObjectName("agreementSave")
        save.clicked.connect(self.ask_save)
        buttons.rejected.connect(self.reject)
        side = QVBoxLayout()
        side.addWidget(QLabel("Annotators:"))
        side.addWidget(self.people, 1)
        side.addWidget(self.scope)
        side.addWidget(again)
        body = QHBoxLayout()
        body.addLayout(side)
        body.addWidget(self.tabs, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(body, 1)
        layout.addWidget(self.warnings)
        layout.addWidget(buttons)

    def shown_only(self) -> bool:
        return self.scope.isChecked()

    def chosen_annotators(self) -> list[str]:
        return [
            self.people.item(i).text()
            for i in range(self.people.count())
            if self.people.item(i).checkState() == Qt.CheckState.Checked
        ]

    def _fill_people(self, everyone: list[str]) -> None:
        chosen = set(self.chosen_annotators()) if self.people.count() else set(everyone)
        self.people.clear()
        for name in everyone:
            item = QListWidgetItem(name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if name in chosen else Qt.CheckState.Unchecked)
            self.people.addItem(item)

    def show_report(self, report: dict[str, Any], *, everyone: list[str]) -> None:
        self.report = report
        self._fill_people(everyone)
        self.heading.setText(heading(report))
        current = self.tabs.currentIndex()
        self.tabs.clear()
        for section in sections(report):
            self.tabs.addTab(_table(section.header, section.rows), section.title)
        self.tabs.setCurrentIndex(max(0, min(current, self.tabs.count() - 1)))
        notes = [*report["warnings"], *report["problems"]]
        self.warnings.setPlainText("\n".join(notes) if notes else "No warnings.")

    def show_problem(self, text: str, *, everyone: list[str]) -> None:
        self.report = None
        self._fill_people(everyone)
        self.tabs.clear()
        self.heading.setText(text)
        self.warnings.setPlainText("")

    def ask_save(self) -> None:
        if self.report is None:
            return
        path, _filter = QFileDialog.getSaveFileName(
            self, "Save the agreement", "agreement.csv", "CSV (*.csv);;JSON (*.json);;Text (*.txt)"
        )
        if path:
            self.save(Path(path))

    def save(self, path: Path) -> None:
        assert self.report is not None
        fmt = {".csv": "csv", ".json": "json"}.get(path.suffix.lower(), "table")
        try:
            atomic_write_text(path, render(self.report, fmt))
        except OSError as exc:
            text = f"Cannot write {path}: {exc.strerror or exc}"
            message_box(self, QMessageBox.Icon.Warning, text, "errorBox").exec()


def _table(header: list[str], rows: list[list[str]]) -> QTableWidget:
    table = QTableWidget(len(rows), len(header))
    table.setObjectName("agreementTable")
    table.setHorizontalHeaderLabels([h or "" for h in header])
    table.verticalHeader().hide()
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            item = QTableWidgetItem(cell)  # item text is plain, never rich text
            if c:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(r, c, item)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    return table
