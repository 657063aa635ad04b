"""Getting suggestions into the window: run an extractor, import predictions.

Both run off the GUI thread (:func:`annotator.ui.tasks.run_task`) and end in one
undoable batch run through the session. Problems with imported records are listed,
and nothing is added unless the person chooses to keep the good records.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox

from annotator import extract
from annotator.core.commands import Batch
from annotator.core.wording import count
from annotator.formats.records import ImportOptions, ImportPlan
from annotator.ops import importing, suggesting
from annotator.ui import prompts
from annotator.ui.context import Workbench
from annotator.ui.dialogs import message_box
from annotator.ui.tasks import TaskThread, run_task

# Menu entries: (text, extractor name, options)
EXTRACTOR_MENU: tuple[tuple[str, str, dict[str, Any]], ...] = (
    ("Quotes", "quotes", {}),
    ("Entities Tagged Elsewhere (exact)", "propagate", {}),
    ("Entities Tagged Elsewhere (with variant spellings)", "propagate", {"fuzzy": 0.85}),
    ("Claims", "claims", {}),
    ("spaCy Named Entities", "spacy", {}),
    # aligners: links between the documents (after a separator in the menu)
    ("Links: Same Entities Across Articles", "align-entities", {}),
    ("Links: Same Quotes Across Articles", "align-quotes", {}),
    ("Links: Same and Contradicting Claims", "align-claims", {}),
)


class SuggestionTools(QObject):
    finished = Signal()  # a run or an import ended (done, failed or cancelled)

    def __init__(self, bench: Workbench) -> None:
        super().__init__(bench.parent)
        self.bench = bench
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
        session = self.bench.session
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
            suggested = suggesting.suggestions(found, extractor, self.bench.session.project)
            message = suggesting.summary(extractor, suggested, len(documents))
            self._apply(suggested.batch, message, suggested.problems)

        return self._started(
            run_task(
                self.bench.parent,
                f"Running {name}…",
                work,
                done,
                self._warn,
                lambda: self.bench.say(f"{name}: cancelled; nothing added", 5000),
            )
        )

    # --- importing -------------------------------------------------------------------

    def ask_import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self.bench.parent,
            "Import suggestions",
            "",
            "JSON Lines (*.jsonl *.json);;All files (*)",
        )
        if path:
            self.import_suggestions(Path(path))

    def import_suggestions(self, path: Path, fmt: str = "jsonl") -> TaskThread | None:
        if self.busy:
            return None
        project = self.bench.session.project
        options = ImportOptions(as_suggestions=True, origin=path.name)

        def work(progress: Any, cancelled: Any) -> ImportPlan:
            return importing.plan_file(project, fmt, path, options)

        def done(plan: ImportPlan) -> None:
            if plan.problems and not prompts.confirm_partial(self.bench.parent, plan):
                self.bench.say("Import cancelled; nothing added", 5000)
                return
            if plan.span_count:
                self.bench.session.run(importing.ImportCommand(plan))
            self.bench.suggestions_added()
            message = f"Imported {count(plan.span_count, 'suggestion')} from {path.name}"
            self.bench.say(message, 8000)

        return self._started(
            run_task(self.bench.parent, f"Importing {path.name}…", work, done, self._warn)
        )

    # --- common ----------------------------------------------------------------------

    def _apply(self, batch: Batch, message: str, problems: list[str]) -> None:
        if batch.changes:
            self.bench.session.run(batch)
        self.bench.suggestions_added()
        note = f"; {len(problems)} left out" if problems else ""
        self.bench.say(message + note, 8000)

    def _warn(self, message: str) -> None:
        message_box(
            self.bench.parent, QMessageBox.Icon.Warning, message, "suggestionWarning"
        ).open()
