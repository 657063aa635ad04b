"""After a long job's progress dialog closes, the keys go back where they were (found
when a slow aligner left the window without the keyboard: Ctrl+R did nothing)."""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from annotator.core.progress import Progress
from annotator.ui.tasks import run_task
from tests.ui.conftest import OpenWindow


def test_the_keyboard_comes_back_after_a_progress_dialog(
    qtbot: QtBot, open_main_window: OpenWindow, sample_copy: Path
) -> None:
    window = open_main_window(sample_copy)
    before = QApplication.focusWidget()
    assert before is not None
    done: list[object] = []

    def slow(progress: Progress, cancelled: object) -> object:
        for step in range(6):  # longer than the dialog's 250 ms minimum duration
            time.sleep(0.1)
            progress(step, 6)
        return 1

    run_task(window, "Working…", slow, done.append, lambda _text: None)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is not window, timeout=5000)
    qtbot.waitUntil(lambda: bool(done), timeout=5000)
    assert QApplication.focusWidget() is before
    qtbot.keyClick(before, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert window.review.active  # a window shortcut reaches the window again
