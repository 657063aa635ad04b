"""Getting suggestions into the window: run an extractor, import predictions.

Both run off the GUI thread (:func:`annotator.ui.tasks.run_task`) and end in one
undoable batch run through the session. Problems with imported records are listed,
and nothing is added unless the person chooses to keep the good records.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox

from annotator import extract
from annotator.core.commands import Batch
from annotator.core.wording import count
from annotator.formats.records import ImportOptions, ImportPlan
from annotator.ops import importing, suggesting
from annotator.ui.dialogs import message_box
from annotator.ui.tasks import TaskThread, run_task

if TYPE_CHECKING:
    from annotator.ui.main_window import MainWindow

# Menu entries: (text, extractor name, options)
EXTRACTOR_MENU: tuple[tuple[str, str, dict[str, Any]], ...] = (
    ("Quotes", "quotes", {}),
    ("Entities Tagged Elsewhere (exact)", "propagate", {}),
    ("Entities Tagged Elsewhere (with variant spellings)", "propagate", {"fuzzy": 0.85}),
    ("Claims", "claims", {}),
    ("spaCy Named Entities", "spacy", {}),
)


class SuggestionTools(QObject):
    finished = Signal()  # a run or an import ended (done, failed or cancelled)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.task: TaskThread | None = None

    @property
    def busy(self) -> bool:
        return self.task is not None

    def _started(self, task: TaskThread) -> TaskThread:
        self.task = task
        task.finished.connect(self._ended)
        return task

    def _ended(self) -> None:
        self.task = None
        self.finished.emit()

    # --- extractors ------------------------------------------------------------------

    def run_extractor(self, name: str, **options: Any) -> TaskThread | None:
        if self.busy:
            return None
        session = self.window.session
        try:
            extractor = extract.load(name, **options)
        except (extract.ExtractorUnavailable, ValueError) as exc:
            self._warn(str(exc))
            return None
        project = session.project
        documents = list(project.documents)

        def work(progress: Any, cancelled: Any) -> Any:
            return suggesting.find(project, extractor, documents, progress, cancelled)

        def done(found: Any) -> None:  # on the GUI thread: reads the spans as they are now
            suggested = suggesting.suggestions(found, extractor)
            message = suggesting.summary(extractor, suggested, len(documents))
            self._apply(suggested.batch, message, suggested.problems)

        return self._started(
            run_task(
                self.window,
                f"Running {name}…",
                work,
                done,
                self._warn,
                lambda: self.window.statusBar().showMessage(
                    f"{name}: cancelled; nothing added", 5000
                ),
            )
        )

    # --- importing -------------------------------------------------------------------

    def ask_import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self.window, "Import suggestions", "", "JSON Lines (*.jsonl *.json);;All files (*)"
        )
        if path:
            self.import_suggestions(Path(path))

    def import_suggestions(self, path: Path, fmt: str = "jsonl") -> TaskThread | None:
        if self.busy:
            return None
        project = self.window.session.project
        options = ImportOptions(as_suggestions=True, origin=path.name)

        def work(progress: Any, cancelled: Any) -> ImportPlan:
            return importing.plan_file(project, fmt, path, options)

        def done(plan: ImportPlan) -> None:
            if plan.problems and not self.confirm_partial(plan):
                self.window.statusBar().showMessage("Import cancelled; nothing added", 5000)
                return
            if plan.span_count:
                self.window.session.run(importing.ImportCommand(plan))
            self.window.suggestions_added()
            message = f"Imported {count(plan.span_count, 'suggestion')} from {path.name}"
            self.window.statusBar().showMessage(message, 8000)

        return self._started(
            run_task(self.window, f"Importing {path.name}…", work, done, self._warn)
        )

    def confirm_partial(self, plan: ImportPlan) -> bool:
        """Ask whether to import the good records when some have problems."""
        box = message_box(
            self.window,
            QMessageBox.Icon.Warning,
            f"{count(len(plan.problems), 'record or span', 'records or spans')} could not be "
            f"placed. Import the {count(plan.span_count, 'good suggestion')} anyway?",
            "importProblems",
        )
        box.setDetailedText("\n".join(str(p) for p in plan.problems))
        keep = box.addButton("Import the Good Ones", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return box.clickedButton() is keep

    # --- common ----------------------------------------------------------------------

    def _apply(self, batch: Batch, message: str, problems: list[str]) -> None:
        if batch.changes:
            self.window.session.run(batch)
        self.window.suggestions_added()
        note = f"; {len(problems)} left out" if problems else ""
        self.window.statusBar().showMessage(message + note, 8000)

    def _warn(self, message: str) -> None:
        message_box(self.window, QMessageBox.Icon.Warning, message, "suggestionWarning").open()
