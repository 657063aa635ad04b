"""File ▸ Open from a window loads the project on a thread behind a progress dialog.

The window stays usable until the new project is ready; Cancel leaves everything as
it was (the current window, and no lock on the project that was being opened); a
project that cannot be opened says why and the current window stays.
"""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog, QPushButton
from pytestqt.qtbot import QtBot

from annotator.core.models import PROJECT_FILE_NAME
from annotator.core.progress import Cancelled
from annotator.io.lock import lock_path
from annotator.ui import app as app_module
from tests.ui.helpers import launch


@pytest.fixture
def other(sample_copy: Path) -> Path:
    target = sample_copy.parent / "other"
    shutil.copytree(sample_copy, target)
    return target


def test_cancel_keeps_the_current_window_and_leaves_no_lock(
    qtbot: QtBot, sample_copy: Path, other: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    launcher = launch(qtbot, sample_copy)
    first = launcher.window
    assert first is not None
    started = threading.Event()
    real_open = app_module.open_project

    def slow_open(path, progress, cancelled):  # type: ignore[no-untyped-def]
        started.set()
        for step in range(2000):  # a project that takes long to read
            progress(step, 2000)
            if cancelled():
                raise Cancelled
            threading.Event().wait(0.005)
        return real_open(path, progress, cancelled)

    monkeypatch.setattr(app_module, "open_project", slow_open)
    assert launcher.open(other)
    assert started.wait(5)
    qtbot.waitUntil(lambda: _progress(first) is not None and _progress(first).isVisible())
    assert lock_path(other).exists()  # taken while loading
    assert first.isVisible() and launcher.window is first

    dialog = _progress(first)
    assert dialog is not None
    assert dialog.maximum() == 2000 and dialog.value() > 0  # progress is reported
    cancel = dialog.findChild(QPushButton)
    assert cancel is not None and cancel.text() == "Cancel"
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: launcher.opening is None, timeout=5000)

    assert launcher.window is first and first.isVisible()
    assert first.session.project.root == sample_copy
    assert not lock_path(other).exists()
    assert "cancelled" in first.statusBar().currentMessage()


def test_a_project_that_cannot_be_opened_says_why_and_the_window_stays(
    qtbot: QtBot, sample_copy: Path, other: Path
) -> None:
    (other / PROJECT_FILE_NAME).write_text('{"documents": [', encoding="utf-8")
    launcher = launch(qtbot, sample_copy)
    first = launcher.window
    assert first is not None
    seen: list[str] = []

    def answer_error_box() -> None:  # it is modal: read it and close it, as a person would
        box = _error_box()
        if box is None:
            QTimer.singleShot(20, answer_error_box)
            return
        seen.append(box.text())
        box.accept()

    QTimer.singleShot(0, answer_error_box)
    assert launcher.open(other)
    qtbot.waitUntil(lambda: launcher.opening is None and bool(seen), timeout=10_000)
    assert "Cannot open" in seen[0] and "cut short" in seen[0]
    assert launcher.window is first and first.session.project.root == sample_copy
    assert not lock_path(other).exists()


def test_the_new_project_replaces_the_window_when_loaded(
    qtbot: QtBot, sample_copy: Path, other: Path
) -> None:
    launcher = launch(qtbot, sample_copy)
    first = launcher.window
    assert launcher.open(other)
    qtbot.waitUntil(lambda: launcher.opening is None, timeout=10_000)
    second = launcher.window
    assert second is not None and second is not first
    qtbot.addWidget(second)
    assert second.session.project.root == other
    assert second.isVisible()
    assert not lock_path(sample_copy).exists()  # the first project was let go
    assert lock_path(other).exists()


def _progress(window: object) -> QProgressDialog | None:
    return window.findChild(QProgressDialog, "taskProgress")  # type: ignore[attr-defined]


def _error_box() -> QMessageBox | None:
    for widget in QApplication.topLevelWidgets():
        box = widget if isinstance(widget, QMessageBox) else None
        if box is None:
            box = widget.findChild(QMessageBox, "errorBox")
        if box is not None and box.objectName() == "errorBox" and box.isVisible():
            return box
    return None
