"""The project file changed on disk by someone else: detected, and neither side is lost."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from annotator.core.commands import AddSpan, make_span
from annotator.io.journal import JOURNAL_NAME
from annotator.io.load import load_project
from annotator.ui.app import Launcher
from annotator.ui.main_window import MainWindow
from tests.ui.helpers import launch


def open_app(qtbot: QtBot, root: Path) -> Launcher:
    launcher = launch(qtbot, root)
    window = launcher.window
    assert window is not None
    window.session.autosave_enabled = False
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return launcher


def tag(window: MainWindow, word: str) -> str:
    doc = window.session.project.documents[0]
    start = doc.text.index(word)
    span = make_span(doc, start, start + len(word), "entity")
    assert window.session.run(AddSpan(doc.id, span))
    return span.text


def someone_else_edits(root: Path, word: str) -> bytes:
    """Another tool rewrites annotator.json in place (as git does): adds a span of ``word``."""
    file = root / "annotator.json"
    raw = json.loads(file.read_text(encoding="utf-8"))
    doc = raw["documents"][0]
    text = (root / doc["path"]).read_text(encoding="utf-8")
    start = text.index(word)
    doc["spans"].append(
        {
            "id": "s-theirs000001",
            "start": start,
            "end": start + len(word),
            "label": "claim",
            "text": word,
        }
    )
    data = (json.dumps(raw, indent=2) + "\n").encode()
    with open(file, "wb") as handle:
        handle.write(data)
    return data


def texts_on_disk(file: Path) -> set[str]:
    raw = json.loads(file.read_text(encoding="utf-8"))
    return {s["text"] for d in raw["documents"] for s in d["spans"]}


def conflict_box(qtbot: QtBot, window: MainWindow) -> QMessageBox:
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "conflictDialog") is not None)
    box = window.findChild(QMessageBox, "conflictDialog")
    assert box is not None and box.isVisible()
    return box


def test_a_change_on_disk_is_noticed_and_keep_mine_keeps_theirs_beside(
    qtbot: QtBot, sample_copy: Path
) -> None:
    launcher = open_app(qtbot, sample_copy)
    window = launcher.window
    assert window is not None
    mine = tag(window, "Saltmarsh")
    theirs = someone_else_edits(sample_copy, "Tuesday")
    box = conflict_box(qtbot, window)  # the file watcher noticed, nothing was saved yet
    assert "changed by another program" in box.text()
    assert (sample_copy / "annotator.json").read_bytes() == theirs

    qtbot.mouseClick(box.findChild(QPushButton, "keepMineButton"), Qt.MouseButton.LeftButton)
    kept = list(sample_copy.glob("annotator.theirs-*.json"))
    assert len(kept) == 1 and kept[0].read_bytes() == theirs
    assert texts_on_disk(sample_copy / "annotator.json") == {mine}
    assert not window.session.is_dirty and not window.session.conflict


def test_reload_shows_their_version_and_keeps_mine_beside(qtbot: QtBot, sample_copy: Path) -> None:
    launcher = open_app(qtbot, sample_copy)
    window = launcher.window
    assert window is not None
    mine = tag(window, "Saltmarsh")
    someone_else_edits(sample_copy, "Tuesday")
    box = conflict_box(qtbot, window)
    qtbot.mouseClick(box.findChild(QPushButton, "reloadButton"), Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: launcher.window is not window)
    reloaded = launcher.window
    assert reloaded is not None
    qtbot.addWidget(reloaded)
    shown = {s.text for d in reloaded.session.project.documents for s in d.spans()}
    assert shown == {"Tuesday"}
    kept = list(sample_copy.glob("annotator.mine-*.json"))
    assert len(kept) == 1 and texts_on_disk(kept[0]) == {mine}
    assert not (sample_copy / JOURNAL_NAME).exists()  # no stale offer to restore mine over theirs
    assert not reloaded.session.is_dirty


@pytest.mark.parametrize("how", ["ctrl+s", "autosave"])
def test_every_save_checks_the_file_first(qtbot: QtBot, sample_copy: Path, how: str) -> None:
    launcher = open_app(qtbot, sample_copy)
    window = launcher.window
    assert window is not None
    window.session._watcher.blockSignals(True)  # the check before saving acts alone here
    tag(window, "Saltmarsh")
    theirs = someone_else_edits(sample_copy, "Tuesday")
    if how == "ctrl+s":
        qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    else:
        window.session.autosave_now()
        qtbot.waitUntil(lambda: not window.session.saving_in_background)
    conflict_box(qtbot, window)
    assert (sample_copy / "annotator.json").read_bytes() == theirs
    assert window.session.is_dirty and window.session.conflict
    assert not window.close()  # closing asks first, instead of losing either side
    window.session._watcher.blockSignals(False)


def test_our_own_autosaves_are_not_mistaken_for_someone_else(
    qtbot: QtBot, sample_copy: Path
) -> None:
    launcher = open_app(qtbot, sample_copy)
    window = launcher.window
    assert window is not None
    window.session.autosave_enabled = True
    window.session.set_autosave_delay(50)
    for word in ("Saltmarsh", "Tuesday", "harbour"):
        tag(window, word)
        qtbot.waitUntil(lambda: not window.session.is_dirty)
    qtbot.wait(800)  # longer than the watcher's settle time
    assert window.findChild(QMessageBox, "conflictDialog") is None
    assert not window.session.conflict
    project, _ = load_project(sample_copy)
    assert project.span_count == 3


def test_a_layer_changed_by_a_pull_is_named_and_keep_mine_saves_once(
    qtbot: QtBot, sample_copy: Path
) -> None:
    """Bob's window is open; a git pull rewrites annotations/bob.json. The prompt names
    that file; Keep Mine keeps theirs beside it and saves his, once: no second prompt,
    and reopening shows Bob's edit."""
    import shutil

    from annotator.io.layers import layer_path
    from annotator.resources import resource_path
    from annotator.settings import load_settings, save_settings

    shutil.copytree(resource_path("team-example") / "annotations", sample_copy / "annotations")
    settings = load_settings()
    settings.author = "bob"
    save_settings(settings)
    launcher = open_app(qtbot, sample_copy)
    window = launcher.window
    assert window is not None and window.session.project.annotator == "bob"
    bob = layer_path(sample_copy, "bob")
    pulled = bob.read_text(encoding="utf-8").replace('"bob"', '"bob" ', 1).encode()
    bob.write_bytes(pulled)  # the pulled version (a change git would bring)
    mine = tag_as(window, "Saltmarsh", "bob")
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    box = conflict_box(qtbot, window)
    assert "annotations/bob.json" in box.text()
    qtbot.mouseClick(box.findChild(QPushButton, "keepMineButton"), Qt.MouseButton.LeftButton)
    qtbot.wait(300)
    assert window.findChild(QMessageBox, "conflictDialog") is None  # asked once
    kept = list(bob.parent.glob("bob.theirs-*.json"))
    assert [k.read_bytes() for k in kept] == [pulled]
    assert not list(sample_copy.glob("annotator.theirs-*.json"))  # nobody changed that one
    assert not window.session.is_dirty and not window.session.conflict
    reopened, report = load_project(sample_copy)
    assert not [p for p in report.problems if "theirs" in p.where]
    assert mine in {s.text for d in reopened.documents for s in d.spans() if s.author == "bob"}


def tag_as(window: MainWindow, word: str, author: str) -> str:
    doc = window.session.project.documents[0]
    start = doc.text.index(word)
    span = make_span(doc, start, start + len(word), "entity", author=author)
    assert window.session.run(AddSpan(doc.id, span))
    return span.text
