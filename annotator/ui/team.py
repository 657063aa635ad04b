"""Working as a team in the window: who is annotating (File ▸ Annotator Name…, asked
on first use) and Analysis ▸ Agreement.

The name lives in the user settings; the project's ``annotator`` follows it, so that
tags, links and review decisions record who made them. Agreement is the same
operation as ``annotator agree`` (:mod:`annotator.ops.agreeing`), run on a thread."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QActionGroup
from PySide6.QtWidgets import QInputDialog, QLabel, QMenu, QWidget

from annotator.core.adjudication import layers_of
from annotator.core.annotators import clean_name, known_names, spelled_as_known
from annotator.core.models import GOLD
from annotator.core.progress import IsCancelled, Progress
from annotator.ops import agreeing
from annotator.settings import Settings, save_settings
from annotator.ui.agreement_dialog import AgreementDialog
from annotator.ui.plain import mnemonic_safe
from annotator.ui.session import Session
from annotator.ui.tasks import TaskThread, run_task


class TeamTools:
    def __init__(
        self,
        session: Session,
        settings: Settings,
        *,
        parent: QWidget,
        shown: Callable[[], list[str]],
        say: Callable[[str, int], None],
        set_layer: Callable[[str | None, str | None], None],
    ) -> None:
        self.session = session
        self.set_layer = set_layer
        self.layer: str | None = None
        self.settings = settings
        self.parent = parent
        self.shown = shown
        self.say = say
        self.task: TaskThread | None = None
        self.dialog: AgreementDialog | None = None
        self.name_label = QLabel()
        self.name_label.setObjectName("annotatorName")
        self.name_label.setTextFormat(Qt.TextFormat.PlainText)
        self._show_name()

    def _show_name(self) -> None:
        # in this project, a name that differs from one of its annotators' only in case
        # is theirs (one file on Windows and macOS disks)
        project = self.session.project
        author = self.settings.author
        name = spelled_as_known(author, known_names(project)) if author else None
        project.annotator = name
        self.name_label.setText(f"Annotator: {name}" if name else "No annotator name")
        self.name_label.setToolTip(
            "Recorded on your spans, links and review decisions (File ▸ Annotator Name…)"
        )

    def ask_name(self) -> str | None:
        """File ▸ Annotator Name… (and the first use): the name, kept in the settings."""
        dialog = QInputDialog(self.parent)  # an object, not the static helper: tests answer exec()
        dialog.setObjectName("annotatorNameDialog")
        dialog.setWindowTitle("Annotator name")
        ask = (
            "Your name, recorded on every span, link and review decision you make\n"
            "(each annotator's work is told apart by it):"
        )
        dialog.setLabelText(ask)
        dialog.setTextValue(self.settings.author or "")
        while True:
            ok = dialog.exec() == QInputDialog.DialogCode.Accepted
            if not ok:
                dialog.deleteLater()
                return None
            try:
                name = clean_name(dialog.textValue())
            except ValueError as exc:
                dialog.setLabelText(f"That name cannot be used: {exc}.\n\n{ask}")
                continue
            dialog.deleteLater()
            break
        self.settings.author = name
        save_settings(self.settings)
        self._show_name()
        recorded = self.session.project.annotator
        if recorded != name:
            self.say(
                f"Your work is now recorded as {recorded}, as this project already spells "
                f"{name} (names that differ only in case would share one file)",
                8000,
            )
        else:
            self.say(f"Your work is now recorded as {name}", 5000)
        return recorded

    # --- View ▸ Show Layer -------------------------------------------------------------

    def fill_layer_menu(self, menu: QMenu) -> None:
        """Every layer, mine, each other annotator's, or gold (made when it opens)."""
        menu.clear()
        group = QActionGroup(menu)
        me = self.session.project.annotator
        names = [n for n in layers_of(self.session.project) if n != me]
        entries: list[tuple[str, str | None]] = [("&All Layers", None)]
        entries.append((f"&Mine ({mnemonic_safe(me)})" if me else "&Mine (unsigned)", me or ""))
        entries += [(mnemonic_safe(n), n) for n in names]
        entries.append(("&Gold (adjudicated)", GOLD))
        for text, layer in entries:
            action = menu.addAction(text)
            action.setCheckable(True)
            action.setChecked(layer == self.layer)
            action.setObjectName(f"action_layer_{'all' if layer is None else layer or 'mine'}")
            group.addAction(action)
            action.triggered.connect(lambda _=False, n=layer: self.show_layer(n))

    def show_layer(self, layer: str | None) -> None:
        """Only ``layer``'s spans in the panes and the table (None: every layer's).
        Other annotators' work stays read-only whatever is shown."""
        self.layer = layer
        self.set_layer(layer, self.session.project.annotator)
        shown = "every layer" if layer is None else ("gold" if layer == GOLD else layer or "mine")
        self.say(f"Showing {shown}", 4000)

    # --- Analysis ▸ Agreement --------------------------------------------------------

    def show_agreement(self) -> None:
        if self.dialog is None:
            self.dialog = AgreementDialog(self.parent, recompute=self.compute)
        self.dialog.show()
        self.dialog.raise_()
        self.compute()

    def compute(self) -> None:
        dialog = self.dialog
        if dialog is None or self.task is not None:
            return
        project = self.session.project
        documents = self.shown() if dialog.shown_only() else None
        annotators = dialog.chosen_annotators()

        def work(progress: Progress, cancelled: IsCancelled) -> object:
            return agreeing.agreement(project, annotators or None, None, documents)

        def done(result: object) -> None:
            self.task = None
            report: dict[str, Any] = result  # type: ignore[assignment]
            dialog.show_report(report, everyone=_everyone(project))

        def failed(text: str) -> None:
            self.task = None
            dialog.show_problem(text, everyone=_everyone(project))

        def cancelled() -> None:
            self.task = None

        self.task = run_task(self.parent, "Computing agreement…", work, done, failed, cancelled)


def _everyone(project: Any) -> list[str]:
    from annotator.agreement.layers import from_project

    return from_project(project).names
