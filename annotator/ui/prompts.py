"""The window's questions and warnings about the project as a whole: the file changed
on disk (Reload or Keep Mine), edits a crashed session left (Restore or Set Aside), a
save or the edit journal that failed. Each shows user strings as plain text and hands
the answer to a callback; what the answer does stays with the window."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from annotator.core.models import PROJECT_FILE_NAME
from annotator.core.wording import count, plural
from annotator.formats.records import ImportPlan
from annotator.io.recovery import JournalContents
from annotator.io.report import Problem
from annotator.ui.dialogs import message_box


def journal_problem(parent: QWidget, message: str) -> QMessageBox:
    """The edit journal cannot be written: said once, without taking the keyboard (an
    annotator in mid-flow keeps tagging)."""
    box = message_box(parent, QMessageBox.Icon.Warning, message, "journalProblem")
    box.setInformativeText(
        "Until it can be written, a crash could lose the edits made since the last "
        "autosave. Freeing disk space is enough: Annotator keeps trying."
    )
    box.setWindowModality(Qt.WindowModality.NonModal)
    box.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
    box.show()
    return box


def late_problems(parent: QWidget, problems: list[Problem]) -> QMessageBox:
    """Spans read from the project file after it opened had problems (a large
    project's spans are read when first used): said as at opening, without taking the
    keyboard."""
    text = (
        f"Reading more of {PROJECT_FILE_NAME} found {count(len(problems), 'note')}. "
        "Nothing was lost; the details say what was done with each."
    )
    box = message_box(parent, QMessageBox.Icon.Warning, text, "lateProblems")
    box.setDetailedText("\n".join(str(p) for p in problems))
    box.setWindowModality(Qt.WindowModality.NonModal)
    box.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
    box.show()
    return box


def save_failed(parent: QWidget, message: str) -> QMessageBox:
    box = message_box(parent, QMessageBox.Icon.Warning, message)
    box.setInformativeText("Your work is still open; try saving again (Ctrl+S).")
    box.open()
    return box


def ask_conflict(
    parent: QWidget,
    dirty: bool,
    answered: Callable[[bool], None],
    changed: str = "annotator.json",
) -> QMessageBox:
    """A file of the project (``changed``: the shared ``annotator.json`` or a layer in
    ``annotations/``) was changed by another program: Reload, or Keep Mine (True)."""
    box = message_box(
        parent,
        QMessageBox.Icon.Warning,
        f"{changed} was changed by another program (a git pull, another tool).",
        "conflictDialog",
    )
    unsaved = (
        "your unsaved changes are kept beside it as annotator.mine-….json"
        if dirty
        else "you have no unsaved changes"
    )
    box.setInformativeText(
        f"Reload shows the other version ({unsaved}).\n"
        "Keep Mine saves your version and keeps the other beside it as "
        f"{Path(changed).stem}.theirs-….json.\nAutosave waits until you choose."
    )
    reload = box.addButton("Reload", QMessageBox.ButtonRole.AcceptRole)
    reload.setObjectName("reloadButton")
    keep = box.addButton("Keep Mine", QMessageBox.ButtonRole.RejectRole)
    keep.setObjectName("keepMineButton")
    box.setDefaultButton(reload)

    def finished(_result: int) -> None:
        box.deleteLater()
        box.setObjectName("")  # no longer asking
        answered(box.clickedButton() is keep)

    box.finished.connect(finished)
    box.open()
    return box


def ask_recovery(
    parent: QWidget, contents: JournalContents, changes: int, answered: Callable[[bool], None]
) -> QMessageBox:
    """Edits a crashed session left in the journal: Restore (True) or Set Aside."""
    edits = contents.unsaved or contents.edits
    last = edits[-1] if edits else None
    box = message_box(
        parent,
        QMessageBox.Icon.Question,
        f"Annotator did not close normally last time. "
        f"{count(changes, 'annotation change')} made after the last autosave "
        f"{plural(changes, 'is')} in the edit journal. Restore "
        f"{plural(changes, 'it', 'them')}?",
        "recoveryDialog",
    )
    if last is not None:
        box.setInformativeText(f"The last one, at {local_time(last.time)}: {last.what}")
    restore = box.addButton("Restore", QMessageBox.ButtonRole.AcceptRole)
    restore.setObjectName("restoreButton")
    aside = box.addButton("Set Aside", QMessageBox.ButtonRole.RejectRole)
    aside.setObjectName("setAsideButton")
    box.setDefaultButton(restore)
    box.finished.connect(lambda _r: answered(box.clickedButton() is restore))
    box.open()
    return box


def local_time(iso: str) -> str:
    """A journal time (ISO 8601, UTC) as local time: "14:03:27", or with the date if not today."""
    try:
        when = datetime.fromisoformat(iso).astimezone()
    except ValueError:
        return iso
    same_day = when.date() == datetime.now().astimezone().date()
    return when.strftime("%H:%M:%S" if same_day else "%Y-%m-%d %H:%M:%S")


def confirm_partial(parent: QWidget, plan: ImportPlan) -> bool:
    """Some records of an import could not be placed: import the good ones anyway?
    For articles, the files that could not be read are named with why (the first
    three in the message, all in the details); with none good, it only says so."""
    articles = not plan.batch.changes
    good = len(plan.new_documents) if articles else plan.span_count
    if articles:
        first = "\n".join(f"• {p}" for p in plan.problems[:3])
        more = f"\n… and {len(plan.problems) - 3} more" if len(plan.problems) > 3 else ""
        text = (
            f"{count(len(plan.problems), 'file')} could not be read as "
            f"{plural(len(plan.problems), 'an article', 'articles')}:\n{first}{more}"
        )
        ask = f"\n\nAdd the {count(good, 'article')} that could?" if good else ""
    else:
        text = (
            f"{count(len(plan.problems), 'record or span', 'records or spans')} could not be "
            "placed."
        )
        ask = f" Import the {count(good, 'good one')} anyway?" if good else ""
    box = message_box(parent, QMessageBox.Icon.Warning, text + ask, "importProblems")
    box.setDetailedText("\n".join(str(p) for p in plan.problems))
    if not good:
        box.exec()
        return False
    keep = box.addButton(
        "Add Them" if articles else "Import the Good Ones", QMessageBox.ButtonRole.AcceptRole
    )
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    return box.clickedButton() is keep
