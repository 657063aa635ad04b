"""A window that is replaced (File ▸ Open, Reload) lets its project go.

Without this, every project opened in one session stayed in memory: the session's
signal connections hold lambdas that refer to the window, a cycle through Qt that
Python's collector cannot see.
"""

from __future__ import annotations

import shutil
import weakref
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent
from pytestqt.qtbot import QtBot

from annotator.core.commands import AddSpan, make_span
from tests.ui.helpers import launch


def _flush_deletes(qtbot: QtBot) -> None:
    qtbot.wait(20)  # the event loop deletes the old window and collects
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def test_opening_another_project_frees_the_first(qtbot: QtBot, sample_copy: Path) -> None:
    other = sample_copy.parent / "other"
    shutil.copytree(sample_copy, other)
    launcher = launch(qtbot, sample_copy)
    first = launcher.window
    assert first is not None
    project = weakref.ref(first.session.project)
    session = weakref.ref(first.session)
    del first

    assert launcher.open(other)  # loads on a thread: the first window stays meanwhile
    qtbot.waitUntil(lambda: launcher.opening is None, timeout=10_000)
    assert launcher.window is not None
    qtbot.addWidget(launcher.window)
    _flush_deletes(qtbot)

    assert project() is None, "the first project is still in memory"
    assert session() is None
    assert launcher.window.session.project.root == other


def test_reload_frees_the_replaced_window(qtbot: QtBot, sample_copy: Path) -> None:
    launcher = launch(qtbot, sample_copy)
    window = launcher.window
    assert window is not None
    doc = window.session.project.documents[0]
    window.session.run(AddSpan(doc.id, make_span(doc, 0, 4, "entity")))
    old = weakref.ref(window.session.project)
    del window, doc

    assert launcher.reload()
    assert launcher.window is not None
    qtbot.addWidget(launcher.window)
    _flush_deletes(qtbot)

    assert old() is None, "the reloaded-over project is still in memory"
    # nothing was lost on the way: the unsaved edit was set aside beside the project
    assert list(sample_copy.glob("annotator.mine-*.json"))
