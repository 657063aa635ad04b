"""Working as a team in the window: who is annotating (the account's name until File ▸
Annotator Name… sets another), claiming work made before, and Analysis ▸ Agreement.

Nothing is asked before the work can start: the name is the account's (shown in the
status bar) until the person chooses one, which lives in the user settings. It is
asked once, where it matters: on opening a project that holds another person's work.
The project's ``annotator`` follows it, so that tags, links and review decisions
record who made them; a name given later offers to sign the project's unsigned work
(one undo step). Agreement is the same operation as ``annotator agree``
(:mod:`annotator.ops.agreeing`), run on a thread."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QActionGroup
from PySide6.QtWidgets import QInputDialog, QLabel, QMenu, QMessageBox, QWidget

from annotator.core.adjudication import layers_of
from annotator.core.annotators import claim, clean_name
from annotator.core.models import GOLD
from annotator.core.progress import IsCancelled, Progress
from annotator.ops import agreeing, opening
from annotator.settings import Settings, save_settings
from annotator.ui.agreement_dialog import AgreementDialog
from annotator.ui.dialogs import message_box
from annotator.ui.plain import mnemonic_safe
from annotator.ui.session import Session
from annotator.ui.tasks import TaskThread, run_task

NAME_QUESTION = (
    "Your name, recorded on every span, link and review decision you make\n"
    "(each annotator's work is told apart by it):"
)


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
        name = opening.person(self.session.project, self.settings)  # as the CLI's
        self.session.set_annotator(name)
        self.name_label.setText(f"Annotator: {name}" if name else "No annotator name")
        where = (
            "your account's name: File ▸ Annotator Name… sets another"
            if self.settings.author is None
            else "File ▸ Annotator Name… changes it"
        )
        self.name_label.setToolTip(f"Recorded on your spans, links and review decisions ({where})")

    def ask_if_team(self) -> QInputDialog | None:
        """Once, on opening a project that holds another person's work while the name
        is still the account's: is that the name to record here? Asked without
        blocking (the window works meanwhile); returns the dialog, or None."""
        settings = self.settings
        if settings.author is not None or settings.name_asked or self.session.read_only:
            return None
        me = self.session.project.annotator
        others = sorted(n for n in layers_of(self.session.project) if n not in (me, GOLD))
        if not others:
            return None
        settings.name_asked = True
        save_settings(settings)
        shown = ", ".join(others[:3]) + (" and others" if len(others) > 3 else "")
        dialog = self._name_dialog(
            f"This project holds work by {shown}. Your work is recorded as "
            f"{me or 'nobody'} (your account's name); change it if your team knows "
            "you by another."
        )

        def answered() -> None:
            try:
                name = clean_name(dialog.textValue())
            except ValueError as exc:
                dialog.setLabelText(f"That name cannot be used: {exc}.\n\n{NAME_QUESTION}")
                dialog.open()
                return
            dialog.deleteLater()
            self._use_name(name)

        dialog.accepted.connect(answered)
        dialog.rejected.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def _name_dialog(self, why: str = "") -> QInputDialog:
        dialog = QInputDialog(self.parent)  # an object, not the static helper: tests answer exec()
        dialog.setObjectName("annotatorNameDialog")
        dialog.setWindowTitle("Annotator name")
        dialog.setLabelText(f"{why}\n\n{NAME_QUESTION}" if why else NAME_QUESTION)
        dialog.setTextValue(self.settings.name or "")
        return dialog

    def ask_name(self, why: str = "") -> str | None:
        """File ▸ Annotator Name…: the name, kept in the settings; then the offer to
        sign the project's unsigned work with it."""
        dialog = self._name_dialog(why)
        while True:
            ok = dialog.exec() == QInputDialog.DialogCode.Accepted
            if not ok:
                dialog.deleteLater()
                return None
            try:
                name = clean_name(dialog.textValue())
            except ValueError as exc:
                dialog.setLabelText(f"That name cannot be used: {exc}.\n\n{NAME_QUESTION}")
                continue
            dialog.deleteLater()
            break
        return self._use_name(name)

    def _use_name(self, name: str) -> str | None:
        """``name`` chosen: kept, shown, recorded from now on; then the offer to sign."""
        before = self.session.project.annotator
        by_default = before if self.settings.author is None else None
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
        if recorded is not None:
            self.offer_claim(recorded, by_default if by_default != recorded else None)
        return recorded

    def offer_claim(self, name: str, previous: str | None) -> bool:
        """Work made before the name was given (unsigned, or under the account's name
        ``previous``): sign it ``name``? One undo step. True: it was signed."""
        batch = claim(self.session.project, name, previous)
        if batch is None or self.session.read_only:
            return False
        what = batch.description.removeprefix("Sign ").rsplit(" as ", 1)[0]
        made = "nobody signed" + (
            f" or signed {previous} (your account's name)" if previous else ""
        )
        box = message_box(
            self.parent,
            QMessageBox.Icon.Question,
            f"This project has {what} that {made}. "
            f"Sign {'it' if len(batch.changes) == 1 else 'them'} as {name}?",
            "claimDialog",
        )
        box.setInformativeText(
            "They were made here before you gave your name. Signing them makes them "
            "yours in agreement, adjudication and exports by annotator; Edit ▸ Undo takes "
            "it back."
        )
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        box.setDefaultButton(QMessageBox.StandardButton.Yes)
        if box.exec() != QMessageBox.StandardButton.Yes:
            return False
        return self.session.run(batch)

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
