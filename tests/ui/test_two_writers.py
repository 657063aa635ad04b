"""Two writers: a project open in another process opens read-only or is taken over."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from annotator.io.journal import JOURNAL_NAME
from annotator.io.lock import LOCK_NAME, LockOwner, _process_start, read_owner
from annotator.ui.main_window import MainWindow
from tests.ui.helpers import drag_select, launch


@pytest.fixture
def held_elsewhere(sample_copy: Path) -> Iterator[int]:
    """The sample project, locked by another live process; yields its pid."""
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    owner = LockOwner(child.pid, socket.gethostname(), "ann", "09:00", _process_start(child.pid))
    (sample_copy / LOCK_NAME).write_text(json.dumps(owner.__dict__), encoding="utf-8")
    yield child.pid
    child.kill()
    child.wait()


def answer_lock_dialog(button: str, seen: list[str]) -> None:
    def click() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox) or box.objectName() != "lockDialog":
            QTimer.singleShot(20, click)
            return
        seen.append(box.text())
        target = box.findChild(QPushButton, button)
        assert target is not None
        target.click()

    QTimer.singleShot(0, click)


def open_with_answer(qtbot: QtBot, root: Path, button: str) -> tuple[MainWindow, str]:
    seen: list[str] = []
    answer_lock_dialog(button, seen)
    window = launch(qtbot, root).window
    assert window is not None
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window, seen[0]


def test_a_project_open_elsewhere_opens_read_only(
    qtbot: QtBot, sample_copy: Path, held_elsewhere: int
) -> None:
    before = (sample_copy / "annotator.json").read_bytes()
    # the other session is editing: its journal holds an edit not yet autosaved
    raw = json.loads(before)
    doc = raw["documents"][0]
    text = (sample_copy / doc["path"]).read_text(encoding="utf-8")
    start = text.index("Saltmarsh")
    span = {
        "id": "s-0000000000aa",
        "start": start,
        "end": start + 9,
        "label": "entity",
        "text": "Saltmarsh",
    }
    lines = [
        {"journal": 1, "started": "2026-11-21T10:00:00+00:00", "pid": held_elsewhere},
        {
            "seq": 1,
            "time": "2026-11-21T10:00:01+00:00",
            "what": "Tag",
            "changes": [{"document": doc["id"], "span": span["id"], "value": span}],
        },
    ]
    journal = ("\n".join(json.dumps(x) for x in lines) + "\n").encode()
    (sample_copy / JOURNAL_NAME).write_bytes(journal)
    window, question = open_with_answer(qtbot, sample_copy, "readOnlyButton")
    assert f"process {held_elsewhere}" in question and socket.gethostname() in question
    assert "(read-only)" in window.windowTitle()
    assert not window.actions_by_name["save"].isEnabled()

    pane = window.panes.panes[window.shown_documents()[0]]
    word = pane.document.text.index("Saltmarsh")
    drag_select(qtbot, pane.view, word, word + len("Saltmarsh"))
    qtbot.keyClick(pane.view, Qt.Key.Key_1)
    assert pane.document.span_count == 0
    assert "Read-only" in window.statusBar().currentMessage()

    assert window.findChild(QMessageBox, "recoveryDialog") is None  # their journal is theirs
    window.close()
    assert (sample_copy / "annotator.json").read_bytes() == before
    assert (sample_copy / JOURNAL_NAME).read_bytes() == journal
    owner = read_owner(sample_copy)
    assert owner is not None and owner.pid == held_elsewhere  # their lock is untouched


def test_open_anyway_takes_the_lock_over(
    qtbot: QtBot, sample_copy: Path, held_elsewhere: int
) -> None:
    window, _question = open_with_answer(qtbot, sample_copy, "takeOverButton")
    assert "(read-only)" not in window.windowTitle()
    owner = read_owner(sample_copy)
    assert owner is not None and owner.pid != held_elsewhere
    window.close()
    assert not (sample_copy / LOCK_NAME).exists()
