"""What the window says: counts that agree with their number, a save that does not
hide the last message, quotations that show where they were shortened."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from tests.ui.conftest import OpenWindow
from tests.ui.helpers import click_at, drag_select, launch


def test_a_save_does_not_overwrite_what_the_last_command_said(
    qtbot: QtBot, open_main_window: OpenWindow, sample_copy: Path
) -> None:
    window = open_main_window(sample_copy)
    with qtbot.waitSignal(window.suggestion_tools.finished, timeout=10000):
        window.suggestion_tools.run_extractor("quotes")
    said = window.statusBar().currentMessage()
    assert "new suggestion" in said
    with qtbot.waitSignal(window.session.saved, timeout=10000):
        window.session.autosave_now()
    assert window.statusBar().currentMessage() == said
    assert window.save_state.text().startswith("Saved ")


def test_a_long_selected_span_is_shown_shortened_without_a_closing_mark(
    qtbot: QtBot, open_main_window: OpenWindow, sample_copy: Path
) -> None:
    window = open_main_window(sample_copy)
    pane = window.panes.current_pane()
    assert pane is not None
    text = pane.document.text
    end = text.index(".", 120) if "." in text[120:] else 150
    drag_select(qtbot, pane.view, 0, end)
    qtbot.keyClick(pane.view, Qt.Key.Key_2)
    click_at(qtbot, pane.view, 3)
    message = window.statusBar().currentMessage()
    quote = message.split(": ", 1)[1].split(" — a label key")[0]
    assert quote.startswith("“") and quote.endswith("…") and "”" not in quote


def test_one_change_in_the_journal_is_one_change(qtbot: QtBot, sample_copy: Path) -> None:
    first = launch(qtbot, sample_copy).window
    assert first is not None
    first.session.autosave_enabled = False
    with qtbot.waitActive(first):
        first.activateWindow()
    pane = first.panes.current_pane()
    assert pane is not None
    start = pane.document.text.index("Saltmarsh")
    drag_select(qtbot, pane.view, start, start + 9)
    qtbot.keyClick(pane.view, Qt.Key.Key_1)
    first.session.journal.close()  # type: ignore[union-attr]  # the process dies here
    first.session.journal = None
    first.session.lock.release()  # type: ignore[union-attr]
    first.session.lock = None
    first.hide()
    window = launch(qtbot, sample_copy).window
    assert window is not None
    box = window.findChild(QMessageBox, "recoveryDialog")
    assert box is not None
    assert "1 annotation change made after the last autosave is in the edit journal." in box.text()
    assert box.text().endswith("Restore it?")
    restore = box.findChild(type(box.buttons()[0]), "restoreButton")
    qtbot.mouseClick(restore, Qt.MouseButton.LeftButton)
    assert window.statusBar().currentMessage() == "Restored 1 change."
