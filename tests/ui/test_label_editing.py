"""Labels ▸ Edit Labels…: add, rename, recolour and remove labels as one undo step."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QMessageBox
from pytestqt.qtbot import QtBot

from annotator.core.commands import EditError, edit_labels
from annotator.core.models import Label
from annotator.io.journal import journal_path
from annotator.io.load import load_project
from annotator.io.recovery import read_journal, recovery_changes
from annotator.ui.label_dialog import LabelDialog
from tests.ui.conftest import OpenWindow
from tests.ui.test_window import tag


def fill(monkeypatch: pytest.MonkeyPatch, edit: object) -> list[str]:
    """Answer the label dialog by editing its table like a person, then OK."""
    said: list[str] = []

    def exec_(dialog: QDialog) -> int:
        if isinstance(dialog, LabelDialog):
            if edit(dialog) is False:  # type: ignore[operator]
                return int(QDialog.DialogCode.Rejected)  # the person cancels
            return int(QDialog.DialogCode.Accepted)
        if isinstance(dialog, QMessageBox):
            said.append(dialog.text())
            return 0
        return int(QDialog.DialogCode.Rejected)

    monkeypatch.setattr(QDialog, "exec", exec_)
    monkeypatch.setattr(QMessageBox, "exec", exec_)
    return said


def test_rename_recolour_and_add_are_one_undo_step(
    qtbot: QtBot, open_main_window: OpenWindow, sample_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_main_window(sample_copy)
    session = window.session
    first = window.shown_documents()[0]
    tag(session, first, "Saltmarsh", "entity")

    def edit(dialog: LabelDialog) -> None:
        table = dialog.table
        table.item(0, 0).setText("place")  # entity -> place: its spans follow
        table.item(1, 2).setText("#112233")  # claim gets another colour
        row = dialog.add_row(None, None)
        table.item(row, 0).setText("<b>speaker</b>")
        table.item(row, 1).setText("4")

    fill(monkeypatch, edit)
    window.actions_by_name["edit_labels"].trigger()
    project = session.project
    assert [lb.name for lb in project.labels] == ["place", "claim", "quote", "<b>speaker</b>"]
    assert project.label("claim").color == "#112233"  # type: ignore[union-attr]
    assert {s.label for s in project.document(first).spans()} == {"place"}
    assert "<b>speaker</b>" in window.label_bar.buttons and "place" in window.label_actions
    review_labels = window.review_panel.label_filter
    assert "place" in [review_labels.itemData(i) for i in range(review_labels.count())]
    assert session.history.undo_text == "Edit labels"
    session.undo()
    assert [lb.name for lb in project.labels] == ["entity", "claim", "quote"]
    assert {s.label for s in project.document(first).spans()} == {"entity"}
    session.redo()
    assert project.label("place") is not None
    # journalled: a crash now gives it all back
    saved, _ = load_project(sample_copy)
    contents = read_journal(sample_copy)
    assert contents is not None and journal_path(sample_copy).exists()
    changes, problems = recovery_changes(saved, contents.edits)
    assert problems == []
    from annotator.core.commands import Batch

    Batch("Restore", changes).do(saved)
    assert [lb.name for lb in saved.labels] == ["place", "claim", "quote", "<b>speaker</b>"]
    assert {s.label for s in saved.document(first).spans()} == {"place"}


def test_a_label_in_use_is_not_removed_and_bad_rows_are_named(
    qtbot: QtBot, open_main_window: OpenWindow, sample_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_main_window(sample_copy)
    session = window.session
    tag(session, window.shown_documents()[0], "Saltmarsh", "quote")
    attempts = iter(["remove quote", "bad colour", "cancel"])

    def edit(dialog: LabelDialog) -> bool:
        what = next(attempts)
        if what == "remove quote":
            dialog.table.removeRow(2)
        elif what == "bad colour":
            dialog.table.item(0, 2).setText("red")
        return what != "cancel"

    said = fill(monkeypatch, edit)
    window.actions_by_name["edit_labels"].trigger()
    assert "the label 'quote' is on 1 span; relabel or remove it first" in said[0]
    assert said[1].startswith("Row 1: color:")
    assert [lb.name for lb in session.project.labels] == ["entity", "claim", "quote"]
    assert not session.history.undo_text.startswith("Edit labels")


def test_edit_labels_refuses_two_labels_with_one_key(sample_copy: Path) -> None:
    project, _ = load_project(sample_copy)
    rows = [(lb.name, lb) for lb in project.labels]
    rows.append((None, Label(name="place", key="1")))
    with pytest.raises(EditError, match="same key"):
        edit_labels(project, rows)
