"""Work must never be lost, and the window must never say so when it might have been."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from annotator.io.journal import journal_path
from annotator.settings import load_settings
from tests.ui.conftest import OpenWindow
from tests.ui.helpers import drag_select, launch


def tag_with_keys(qtbot: QtBot, window: object, word: str) -> None:
    pane = window.panes.current_pane()  # type: ignore[attr-defined]
    start = pane.document.text.index(word)
    drag_select(qtbot, pane.view, start, start + len(word))
    qtbot.keyClick(pane.view, Qt.Key.Key_1)


def test_a_journal_that_cannot_be_written_is_reported_once_and_retried(
    qtbot: QtBot, open_main_window: OpenWindow, sample_copy: Path
) -> None:
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full here")
    window = open_main_window(sample_copy)
    before = window.session.project.span_count
    journal_path(sample_copy).symlink_to("/dev/full")  # the disk is full from now on
    tag_with_keys(qtbot, window, "Saltmarsh")
    tag_with_keys(qtbot, window, "Tuesday")  # the message does not take the keyboard
    assert window.session.project.span_count == before + 2
    boxes = [b for b in window.findChildren(QMessageBox) if b.objectName() == "journalProblem"]
    assert len(boxes) == 1  # said once, not on every edit
    assert "No space left on device" in boxes[0].text()
    assert window.journal_state.isVisible()
    boxes[0].accept()
    journal_path(sample_copy).unlink()  # space again
    tag_with_keys(qtbot, window, "harbour")
    assert window.journal_state.text() == "Edit journal written again"
    lines = journal_path(sample_copy).read_text("utf-8").strip().split("\n")
    assert [json.loads(line).get("seq") for line in lines[1:]] == [1, 2, 3]


def test_closing_on_a_read_only_folder_saves_the_layout(
    qtbot: QtBot, open_main_window: OpenWindow, sample_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_main_window(sample_copy)
    real_unlink = Path.unlink

    def read_only(path: Path, missing_ok: bool = False) -> None:
        if str(path).startswith(str(sample_copy)):
            raise OSError(errno.EROFS, "Read-only file system", str(path))
        real_unlink(path, missing_ok=missing_ok)

    monkeypatch.setattr(Path, "unlink", read_only)
    window.session.discard_changes()  # what Reload does: must not raise either
    window.resize(900, 700)
    window.close()
    view = load_settings().view(sample_copy.resolve())
    assert view.geometry  # the layout was remembered


def test_a_journal_line_that_cannot_be_read_is_never_reported_as_nothing_lost(
    qtbot: QtBot, sample_copy: Path
) -> None:
    first = launch(qtbot, sample_copy).window
    assert first is not None
    first.session.autosave_enabled = False
    with qtbot.waitActive(first):
        first.activateWindow()
    tag_with_keys(qtbot, first, "Saltmarsh")
    tag_with_keys(qtbot, first, "Tuesday")
    assert first.session.history.can_undo
    # the process dies; a line of the journal is damaged (a bad sector, an editor)
    first.session.journal.close()  # type: ignore[union-attr]
    path = journal_path(sample_copy)
    lines = path.read_bytes().split(b"\n")
    lines[1] = b'{"seq": 1, #garbage#' + lines[1][20:]
    path.write_bytes(b"\n".join(lines))
    first.session.lock.release()  # type: ignore[union-attr]
    first.session.journal = None
    first.session.lock = None
    first.hide()

    window = launch(qtbot, sample_copy).window
    assert window is not None and window is not first
    report = window.findChild(QMessageBox, "loadReport")
    assert report is not None
    assert "Nothing was lost" not in report.text()
    assert "1 line of the edit journal could not be read" in report.text()
    assert "may be lost" in report.text()
    copies = list(sample_copy.glob(".annotator.journal.unreadable-*"))
    assert len(copies) == 1 and copies[0].name in report.text()
