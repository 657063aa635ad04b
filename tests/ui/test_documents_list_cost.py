"""An edit redraws the Documents list's rows that changed, not all of them: Qt's
ResizeToContents measured every row on each edit (80 ms an edit at 1,000 documents),
and on every row whenever the Documents dock was closed (90 ms a decision)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from annotator.ui import document_model
from tests.ui.conftest import OpenWindow
from tests.ui.helpers import drag_select

ARTICLES = 300


@pytest.mark.parametrize("dock", ["shown", "closed"])
def test_an_edit_reads_few_rows_of_the_documents_list(
    qtbot: QtBot,
    open_main_window: OpenWindow,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    dock: str,
) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(ARTICLES):
        (folder / f"a{i:03}.txt").write_text(f"Article {i} names Ana Lee in Oslo.\n", "utf-8")
    window = open_main_window(folder)
    if dock == "closed":
        window.documentsDock.close()
    QApplication.processEvents()
    reads: list[int] = []  # each time a row's count is read (the column's measure)
    original = document_model.span_counts

    def counted(accepted: int, pending: int, *, short: bool = False) -> str:
        reads.append(1)
        return original(accepted, pending, short=short)

    monkeypatch.setattr(document_model, "span_counts", counted)
    # tag in one article, then in the next: the edit, and the current article moving
    panes = list(window.panes.panes.values())[:2]
    for pane in panes:
        start = pane.document.text.index("Ana Lee")
        drag_select(qtbot, pane.view, start, start + len("Ana Lee"))
        qtbot.keyClick(pane.view, Qt.Key.Key_1)
        QApplication.processEvents()
        assert pane.document.span_count == 1
    assert len(reads) < 100, f"{len(reads)} counts read for two edits of {ARTICLES} documents"
    if dock == "shown":  # the two edited rows were read again (the counter is live)
        assert len(reads) >= 2
    # and the list says what was done: each edited document now counts its one span
    model = window.documents
    for pane in panes:
        row = model.row_of(pane.document.id)
        assert model.data(model.index(row, 1)) == document_model.span_counts(1, 0, short=True)
    # the count still fits its column
    width = window.document_view.columnWidth(1)
    text = window.documents.data(window.documents.index(0, 1))
    assert window.document_view.fontMetrics().horizontalAdvance(text) < width
