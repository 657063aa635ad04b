"""A large project's spans are read when a pane first shows their document: what is
wrong in them is said then, in a box that does not take the keyboard."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from annotator.io import lazy
from tests.core.test_lazy_spans import break_an_id, make_corpus
from tests.ui.conftest import OpenWindow


def test_a_problem_in_spans_read_later_is_said_when_the_document_is_shown(
    qtbot: QtBot, open_main_window: OpenWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lazy, "LAZY_FROM_BYTES", 0)
    folder = make_corpus(tmp_path / "p")
    break_an_id(folder, "d06")
    window = open_main_window(folder)
    project = window.session.project
    assert "d06" not in window.shown_documents()
    assert not project.document("d06").is_read
    view = window.document_view
    row = next(
        r
        for r in range(window.documents.rowCount())
        if window.documents.data(window.documents.index(r, 0), Qt.ItemDataRole.UserRole) == "d06"
    )
    view.setFocus()
    view.setCurrentIndex(window.documents.index(row, 0))
    qtbot.keyClick(view, Qt.Key.Key_Space)  # tick it: the pane shows the document
    qtbot.waitUntil(lambda: "d06" in window.shown_documents())

    def box() -> QMessageBox | None:
        found = [w for w in QApplication.topLevelWidgets() if w.objectName() == "lateProblems"]
        return found[0] if found and found[0].isVisible() else None  # type: ignore[return-value]

    qtbot.waitUntil(lambda: box() is not None)
    shown = box()
    assert shown is not None
    assert "Nothing was lost" in shown.text()
    assert "appears twice" in shown.detailedText()
    assert shown.textFormat() == Qt.TextFormat.PlainText
    assert project.document("d06").span_count == len(project.document("d06").spans())
