"""The dialogs that edit the project's vocabulary (Labels ▸ Edit Labels…, Edit
Relation Types…) and the Help dialogs that list it (Keyboard Shortcuts, About).

An edit is one undo step; a problem is said in a message and the dialog stays open.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtWidgets import QDialog, QMessageBox

from annotator.core.commands import Batch, EditError, edit_labels
from annotator.core.project import Project
from annotator.core.relating import edit_relation_types
from annotator.ui.actions import shortcut_rows
from annotator.ui.dialogs import ShortcutsDialog, message_box, show_about
from annotator.ui.label_dialog import LabelDialog
from annotator.ui.relation_type_dialog import RelationTypeDialog

if TYPE_CHECKING:
    from annotator.ui.window.parts import WindowParts

Row = TypeVar("Row")  # one row of an edit dialog: (old name or None, the new entry)


def ask_labels(window: WindowParts) -> None:
    """Labels ▸ Edit Labels…: one undo step, renamed labels take their spans along."""
    dialog = LabelDialog(window.session.project.labels, window)
    _edit(window, dialog, dialog.rows, edit_labels, "Labels changed (undo: Ctrl+Z).")


def ask_relation_types(window: WindowParts) -> None:
    """Labels ▸ Edit Relation Types…: one undo step; renamed types take their
    relations along."""
    dialog = RelationTypeDialog(window.session.project.relation_types, window)
    done = "Relation types changed (undo: Ctrl+Z)."
    _edit(window, dialog, dialog.rows, edit_relation_types, done)


def _edit(
    window: WindowParts,
    dialog: QDialog,
    rows: Callable[[], list[Row]],
    edit: Callable[[Project, list[Row]], Batch],
    done: str,
) -> None:
    session = window.session
    while dialog.exec() == QDialog.DialogCode.Accepted:
        try:
            batch = edit(session.project, rows())
        except (ValueError, EditError) as exc:  # say what is wrong, keep the dialog
            message_box(window, QMessageBox.Icon.Warning, str(exc), "labelProblem").exec()
            continue
        if batch.changes and session.run(batch):
            window.statusBar().showMessage(done, 5000)
        return


def show_shortcuts(window: WindowParts) -> None:
    project = window.session.project
    keys = [(lb.name, lb.key) for lb in project.labels if lb.key]
    kinds = [(t.name, t.key) for t in project.relation_types if t.key]
    ShortcutsDialog(shortcut_rows(keys, kinds), window).open()


def about(window: WindowParts) -> None:
    show_about(window, str(window.session.project.root))
