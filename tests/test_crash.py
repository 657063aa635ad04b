"""Crashes: a session killed with SIGKILL, and a save killed between write and replace.

The session runs in a child process (``tests/crash_child.py``) that edits with the
mouse and keys, lets one autosave tick pass, edits more, and is killed with
``kill -9``; the project is then opened again the way the app opens it.
"""

from __future__ import annotations

import json
import os
import selectors
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from annotator.io.journal import JOURNAL_NAME
from annotator.io.load import load_project
from annotator.io.lock import LOCK_NAME
from annotator.ui.app import Launcher
from tests.ui.helpers import launch

REPO = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")

State = dict[str, list[list[object]]]


def spans_on_disk(root: Path) -> State:
    project, _report = load_project(root)
    return {
        doc.id: [[s.id, s.start, s.end, s.label] for s in doc.spans()] for doc in project.documents
    }


def run_and_kill(project: Path) -> tuple[State, State]:
    """Start the child session, wait for its report line, kill -9 it; (saved, final)."""
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.crash_child", str(project)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    selector = selectors.DefaultSelector()
    selector.register(child.stdout, selectors.EVENT_READ)
    try:
        if not selector.select(timeout=60):
            pytest.fail("the child session did not report in 60 s")
        line = child.stdout.readline()
        if not line:
            error = child.stderr.read() if child.stderr else ""
            pytest.fail(f"the child session ended: {error}")
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
        selector.close()
        child.stdout.close()
        if child.stderr is not None:
            child.stderr.close()
    assert child.returncode == -signal.SIGKILL
    report = json.loads(line)
    return report["saved"], report["final"]


def reopen(qtbot: QtBot, project: Path) -> tuple[Launcher, QMessageBox]:
    launcher = launch(qtbot, project)
    window = launcher.window
    assert window is not None
    box = window.findChild(QMessageBox, "recoveryDialog")
    assert box is not None and box.isVisible()
    return launcher, box


def test_sigkill_loses_nothing_autosaved_and_offers_the_journal(
    qtbot: QtBot, sample_copy: Path
) -> None:
    saved, final = run_and_kill(sample_copy)
    assert saved != final  # the child made edits after the last autosave tick
    assert spans_on_disk(sample_copy) == saved  # the file holds the last autosave, intact
    assert (sample_copy / JOURNAL_NAME).exists()

    assert (sample_copy / LOCK_NAME).exists()  # the killed session could not unlock
    launcher, box = reopen(qtbot, sample_copy)
    assert "Restore" in box.text()
    window = launcher.window
    assert window is not None
    report = window.findChild(QMessageBox, "loadReport")
    assert report is not None and "which is no longer running" in report.detailedText()
    restore = box.findChild(QPushButton, "restoreButton")
    qtbot.mouseClick(restore, Qt.MouseButton.LeftButton)
    window = launcher.window
    assert window is not None
    qtbot.waitUntil(lambda: window.recovery is None)
    shown = {
        doc.id: [[s.id, s.start, s.end, s.label] for s in doc.spans()]
        for doc in window.session.project.documents
    }
    assert shown == final
    assert window.session.is_dirty  # restored edits are saved by the next autosave or Ctrl+S
    assert window.session.history.undo_text.startswith("Restore")
    assert window.close()
    assert spans_on_disk(sample_copy) == final
    assert not (sample_copy / JOURNAL_NAME).exists()  # everything is in the file now


def test_a_journal_set_aside_is_kept_and_the_project_stays_as_saved(
    qtbot: QtBot, sample_copy: Path
) -> None:
    saved, _final = run_and_kill(sample_copy)
    launcher, box = reopen(qtbot, sample_copy)
    qtbot.mouseClick(box.findChild(QPushButton, "setAsideButton"), Qt.MouseButton.LeftButton)
    window = launcher.window
    assert window is not None
    qtbot.waitUntil(lambda: window.recovery is None)
    assert not window.session.is_dirty
    kept = list(sample_copy.glob(f"{JOURNAL_NAME}.declined-*"))
    assert len(kept) == 1 and '"seq"' in kept[0].read_text(encoding="utf-8")
    assert window.close()
    assert spans_on_disk(sample_copy) == saved


def test_an_import_killed_before_autosave_comes_back_whole(
    qtbot: QtBot, sample_copy: Path, tmp_path: Path
) -> None:
    """A document imported with an id that is no file name (``news 1``), tagged, and the
    session killed before any autosave: Restore brings the document back under its id,
    with the imported label, the imported spans and the tag made on it."""
    records = tmp_path / "news.jsonl"
    text = "The night ferry to Gull Island was cancelled after a storm warning.\n"
    start = text.index("Gull Island")
    span = {"start": start, "end": start + 11, "label": "place"}
    records.write_text(
        json.dumps({"id": "news 1", "text": text, "spans": [span]}) + "\n", encoding="utf-8"
    )
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.import_crash_child", str(sample_copy), str(records)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    try:
        line = child.stdout.readline()
        if not line:
            pytest.fail(f"the child session ended: {child.stderr.read() if child.stderr else ''}")
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
        child.stdout.close()
        if child.stderr is not None:
            child.stderr.close()
    report = json.loads(line)
    final, new = report["final"], report["new"]
    assert new == "news 1"
    assert "news 1" not in spans_on_disk(sample_copy)  # the file never heard of it
    launcher, box = reopen(qtbot, sample_copy)
    qtbot.mouseClick(box.findChild(QPushButton, "restoreButton"), Qt.MouseButton.LeftButton)
    window = launcher.window
    assert window is not None
    qtbot.waitUntil(lambda: window.recovery is None)
    project = window.session.project
    shown = {
        doc.id: [[s.id, s.start, s.end, s.label] for s in doc.spans()] for doc in project.documents
    }
    assert shown == final  # "news 1" with both spans; no stand-in "news_1"
    assert project.label("place") is not None
    assert window.close()
    assert spans_on_disk(sample_copy) == final
