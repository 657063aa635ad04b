"""File ▸ Export… and File ▸ Import…: the CLI's options in two dialogs, run off the GUI thread.

The dialogs only collect a request; :class:`Exchange` runs it with
:func:`annotator.ui.tasks.run_task` (progress, Cancel) and reports the result. An
import adds its spans as one undoable step; documents it adds are written to the
project folder (that part is not undone).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QWidget,
)

from annotator.core.adjudication import layers_of
from annotator.core.annotators import clean_name
from annotator.core.models import GOLD
from annotator.core.wording import count, plural
from annotator.formats import (
    EXPORT_STATUSES,
    FORMATS,
    ExportOptions,
    ExportResult,
    statuses_from,
)
from annotator.formats.records import ImportOptions, ImportPlan
from annotator.io.paths import pages_waiting
from annotator.ops import exporting, importing
from annotator.ui import prompts
from annotator.ui.context import Workbench
from annotator.ui.dialogs import message_box
from annotator.ui.tasks import TaskThread, run_task
from annotator.ui.widgets import named


@dataclass(frozen=True)
class ExportRequest:
    format: str
    output: Path
    options: ExportOptions
    split: str = ""
    seed: int = 0
    done_only: bool = False  # only documents marked done (annotator export --done-only)


@dataclass(frozen=True)
class ImportRequest:
    format: str
    path: Path
    options: ImportOptions


def _path_row(edit: QLineEdit, browse: QPushButton) -> QWidget:
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(edit, 1)
    layout.addWidget(browse)
    return row


def _buttons(dialog: QDialog, verb: str) -> QDialogButtonBox:
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    buttons.button(QDialogButtonBox.StandardButton.Ok).setText(verb)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


class ExportDialog(QDialog):
    def __init__(self, parent: QWidget, shown: list[str], layers: list[str] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.setWindowTitle("Export")
        self._shown = shown
        self.format = named(QComboBox(), "exportFormat")
        for fmt in FORMATS.values():
            if fmt.write is not None:
                self.format.addItem(f"{fmt.name} — {fmt.description}", fmt.name)
        self.output = named(QLineEdit(), "exportOutput")
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        self.status = named(QComboBox(), "exportStatus")
        for status in EXPORT_STATUSES:
            self.status.addItem(status, status)
        self.labels = named(QLineEdit(), "exportLabels")
        self.labels.setPlaceholderText("all labels (or e.g. entity,claim)")
        self.scope = named(QComboBox(), "exportScope")
        self.scope.addItem("All documents", "all")
        self.scope.addItem("Shown documents", "shown")
        self.scope.addItem("Documents marked done", "done")
        self.tokenizer = named(QComboBox(), "exportTokenizer")
        self.tokenizer.addItems(["simple", "spacy"])
        self.scheme = named(QComboBox(), "exportScheme")
        self.scheme.addItems(["iob2", "bilou"])
        self.split = named(QLineEdit(), "exportSplit")
        self.split.setPlaceholderText("no split (or e.g. 0.8,0.1,0.1 by document)")
        self.seed = named(QSpinBox(), "exportSeed")
        self.seed.setRange(0, 2**31 - 1)
        # a team project's layers: everyone's work, one annotator's, or gold
        self.layer = named(QComboBox(), "exportLayer")
        self.layer.addItem("Every layer", None)
        for name in layers or []:
            self.layer.addItem(name, name)
        if layers:
            self.layer.addItem("Gold (adjudicated)", GOLD)
        form = QFormLayout(self)
        form.addRow("Format", self.format)
        form.addRow("Write to", _path_row(self.output, browse))
        form.addRow("Review status", self.status)
        form.addRow("Labels", self.labels)
        form.addRow("Documents", self.scope)
        if layers:
            form.addRow("Layer", self.layer)
        form.addRow("Tokenizer (token formats)", self.tokenizer)
        form.addRow("Tag scheme (CoNLL)", self.scheme)
        form.addRow("Train/dev/test split", self.split)
        form.addRow("Split seed", self.seed)
        form.addRow(_buttons(self, "Export"))

    def _browse(self) -> None:
        fmt = FORMATS[self.format.currentData()]
        if fmt.folder:
            path = QFileDialog.getExistingDirectory(self, "Export to folder")
        else:
            path, _ = QFileDialog.getSaveFileName(self, "Export to file")
        if path:
            self.output.setText(path)

    def request(self) -> ExportRequest:
        """The export the dialog describes; ValueError with a message if it is incomplete."""
        if not self.output.text().strip():
            raise ValueError("Choose where to write the export.")
        labels = frozenset(x.strip() for x in self.labels.text().split(",") if x.strip()) or None
        documents = frozenset(self._shown) if self.scope.currentData() == "shown" else None
        options = ExportOptions(
            labels=labels,
            documents=documents,
            statuses=statuses_from(self.status.currentData()),
            tokenizer=self.tokenizer.currentText(),
            scheme=self.scheme.currentText(),
            layers=None
            if self.layer.currentData() is None
            else frozenset({self.layer.currentData()}),
        )
        return ExportRequest(
            self.format.currentData(),
            Path(self.output.text().strip()).expanduser(),
            options,
            self.split.text().strip(),
            self.seed.value(),
            done_only=self.scope.currentData() == "done",
        )


class ImportDialog(QDialog):
    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("importDialog")
        self.setWindowTitle("Import")
        self.format = named(QComboBox(), "importFormat")
        for fmt in FORMATS.values():
            if fmt.read is not None:
                self.format.addItem(f"{fmt.name} — {fmt.description}", fmt.name)
        self.path = named(QLineEdit(), "importPath")
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        self.as_suggestions = QCheckBox("Import as suggestions to review")
        self.as_suggestions.setObjectName("importAsSuggestions")
        self.add_documents = QCheckBox("Add documents the project does not have")
        self.add_documents.setObjectName("importAddDocuments")
        self.add_documents.setChecked(True)
        self.add_labels = QCheckBox("Add labels the project does not have")
        self.add_labels.setObjectName("importAddLabels")
        self.annotator = named(QLineEdit(), "importAnnotator")
        self.annotator.setPlaceholderText("as the file says (or a colleague's name: their layer)")
        form = QFormLayout(self)
        form.addRow("Format", self.format)
        form.addRow("File or folder", _path_row(self.path, browse))
        form.addRow("", self.as_suggestions)
        form.addRow("", self.add_documents)
        form.addRow("", self.add_labels)
        form.addRow("Whose work", self.annotator)
        form.addRow(_buttons(self, "Import"))

    def _browse(self) -> None:
        fmt = FORMATS[self.format.currentData()]
        if fmt.name == "brat":
            path = QFileDialog.getExistingDirectory(self, "Import a brat folder")
        else:
            path, _ = QFileDialog.getOpenFileName(self, "Import a file")
        if path:
            self.path.setText(path)

    def request(self) -> ImportRequest:
        path = Path(self.path.text().strip()).expanduser()
        if not self.path.text().strip() or not path.exists():
            raise ValueError(f"There is no file or folder at {path}.")
        author = None
        if self.annotator.text().strip():
            try:
                author = clean_name(self.annotator.text())
            except ValueError as exc:
                raise ValueError(f"That annotator name cannot be used: {exc}.") from None
        return ImportRequest(
            self.format.currentData(),
            path,
            ImportOptions(
                as_suggestions=self.as_suggestions.isChecked(),
                origin=path.name,
                add_documents=self.add_documents.isChecked(),
                add_labels=self.add_labels.isChecked(),
                author=author,
            ),
        )


class Exchange(QObject):
    finished = Signal()

    def __init__(self, bench: Workbench) -> None:
        super().__init__(bench.parent)
        self.bench = bench
        self.task: TaskThread | None = None

    def ask_export(self) -> None:
        project = self.bench.session.project
        names = layers_of(project)
        team = names if project.team or len(names) > 1 else []
        dialog = ExportDialog(self.bench.parent, self.bench.shown_documents(), team)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._start_export(dialog)

    def _start_export(self, dialog: ExportDialog) -> None:
        try:
            request = dialog.request()
        except ValueError as exc:
            self._warn(str(exc))
            return
        self.export(request)

    def export(self, request: ExportRequest) -> TaskThread | None:
        if self.task is not None:
            return None
        project = self.bench.session.project
        fmt = FORMATS[request.format]
        options = request.options
        if request.done_only:  # as annotator export --done-only
            options = exporting.done_only(project, options)
            if not options.documents:
                self._warn("No document is marked done yet (Ctrl+Enter marks one).")
                return None
        unfinished = exporting.not_done_note(project, fmt, options)
        try:
            targets = exporting.targets(
                project, fmt, request.output, options, request.split, request.seed
            )
        except ValueError as exc:
            self._warn(str(exc))
            return None

        def work(progress: Any, cancelled: Any) -> list[tuple[Path, ExportResult]]:
            return exporting.export(project, fmt, targets, progress)

        def done(results: list[tuple[Path, ExportResult]]) -> None:
            total = exporting.total(results)
            where = ", ".join(str(p) for p, _r in results)
            self.bench.say(
                f"Exported {count(total.spans, 'span')} to {where}{total.summary()}"
                + (f"; {unfinished}" if unfinished else ""),
                10000,
            )

        return self._run(f"Exporting {request.format}…", work, done)

    def ask_import(self) -> None:
        dialog = ImportDialog(self.bench.parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            request = dialog.request()
        except ValueError as exc:
            self._warn(str(exc))
            return
        self.import_(request)

    def import_(self, request: ImportRequest) -> TaskThread | None:
        if self.task is not None:
            return None
        project = self.bench.session.project

        def work(progress: Any, cancelled: Any) -> ImportPlan:
            return importing.plan_file(project, request.format, request.path, request.options)

        def done(plan: ImportPlan) -> None:
            if plan.problems and not prompts.confirm_partial(self.bench.parent, plan):
                self.bench.say("Import cancelled; nothing added", 5000)
                return
            self.bench.apply_import(plan)
            added = count(len(plan.new_documents), "document")
            relations = count(plan.relation_count, "relation")
            self.bench.say(
                f"Imported {count(plan.span_count, 'span')}"
                + (f", {relations}" if plan.relation_count else "")
                + (f" and {added}" if plan.new_documents else ""),
                10000,
            )

        return self._run(f"Importing {request.path.name}…", work, done)

    def ask_add_articles(self) -> None:
        """File ▸ Add Articles…: text files become new documents, one undo step."""
        names, _ = QFileDialog.getOpenFileNames(
            self.bench.parent,
            "Add articles",
            "",
            "Articles (*.txt *.md *.html *.htm *.mhtml *.mht *.pdf);;Text (*.txt *.md);;"
            "Saved web pages (*.html *.htm *.mhtml *.mht);;PDF (*.pdf);;All files (*)",
        )
        if names:
            self.add_articles([Path(n) for n in names])

    def offer_pages(self) -> QMessageBox | None:
        """Opening a folder that holds saved web pages or PDFs no document came from:
        say so and offer to import them (without blocking; they are never skipped in
        silence). Returns the question, or None when there is nothing to ask."""
        session = self.bench.session
        waiting = [] if session.read_only else pages_waiting(session.project)
        if not waiting:
            return None
        pdfs = sum(rel.lower().endswith(".pdf") for rel in waiting)
        pages = len(waiting) - pdfs
        what = " and ".join(
            part for part in (count(pages, "saved web page"), count(pdfs, "PDF")) if part[0] != "0"
        )
        box = message_box(
            self.bench.parent,
            QMessageBox.Icon.Question,
            f"This folder holds {what} that "
            f"{plural(len(waiting), 'is not an article', 'are not articles')} yet. Import the "
            "article text of each? (The files stay where they are.)",
            "pagesFound",
        )
        box.setDetailedText("\n".join(waiting))
        take = box.addButton("Import Them", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("Not Now", QMessageBox.ButtonRole.RejectRole)
        root = session.project.root

        def answered() -> None:
            if box.clickedButton() is take:
                self.add_articles([root / rel for rel in waiting])

        box.finished.connect(lambda _code: answered())
        box.open()
        return box

    def add_articles(self, paths: list[Path]) -> TaskThread | None:
        if self.task is not None:
            return None
        project = self.bench.session.project

        def work(progress: Any, cancelled: Any) -> ImportPlan:
            return importing.plan_articles(project, paths, progress, cancelled)

        def done(plan: ImportPlan) -> None:
            if plan.problems and not prompts.confirm_partial(self.bench.parent, plan):
                self.bench.say("Nothing added", 5000)
                return
            empty = not self.bench.shown_documents()
            if plan.new_documents:
                self.bench.apply_import(plan)
            there = plan.documents_matched + len(plan.already)
            known = f"; {count(there, 'was', 'were')} there already" if there else ""
            added = len(plan.new_documents)
            found = f" from {importing.articles_found(plan)}" if added else ""
            where = f" (not shown yet: check {plural(added, 'it', 'them')} in the Documents list)"
            if empty and added:  # nothing was shown: the first three side by side
                for doc in plan.new_documents[:3]:
                    self.bench.show(doc.id)
                where = ""
            self.bench.say(f"Added {count(added, 'article')}{found}{where}{known}", 10000)

        return self._run(f"Adding {count(len(paths), 'article')}…", work, done)

    def _run(self, title: str, work: Any, done: Any) -> TaskThread:
        self.task = run_task(self.bench.parent, title, work, done, self._warn)
        self.task.finished.connect(self._ended)
        return self.task

    def _ended(self) -> None:
        self.task = None
        self.finished.emit()

    def _warn(self, message: str) -> None:
        message_box(self.bench.parent, QMessageBox.Icon.Warning, message, "exchangeWarning").open()
