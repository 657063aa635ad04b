"""Hover tooltips, the label bar and the missing-library message."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip
from pytestqt.qtbot import QtBot

from annotator.ui import syslibs
from tests.ui.conftest import OpenWindow
from tests.ui.helpers import drag_select, point_of


def test_hovering_a_span_shows_its_label_and_text(
    qtbot: QtBot, open_main_window: OpenWindow, write_articles
) -> None:
    text = "Mayor <i>Ilona</i> Varga spoke. Nothing else here."
    folder = write_articles({"a.txt": text, "b.txt": "b", "c.txt": "c"})
    window = open_main_window(folder)
    pane = window.panes.panes["a"]
    start = text.index("<i>Ilona</i> Varga")
    drag_select(qtbot, pane.view, start, start + len("<i>Ilona</i> Varga"))
    qtbot.keyClick(pane.view, Qt.Key.Key_1)

    viewport = pane.view.viewport()
    a = point_of(pane.view, pane.bridge.to_qt(start + 4))
    event = QHelpEvent(QEvent.Type.ToolTip, a, viewport.mapToGlobal(a))
    QApplication.sendEvent(viewport, event)
    qtbot.waitUntil(QToolTip.isVisible)
    assert "entity" in QToolTip.text()
    assert "&lt;i&gt;Ilona&lt;/i&gt; Varga" in QToolTip.text()  # escaped: shown literally
    QToolTip.hideText()

    away = point_of(pane.view, pane.bridge.to_qt(text.index("else")))
    leave = QHelpEvent(QEvent.Type.ToolTip, away, viewport.mapToGlobal(away))
    QApplication.sendEvent(viewport, leave)
    qtbot.waitUntil(lambda: not QToolTip.isVisible())


def test_label_bar_click_tags_the_selection(
    qtbot: QtBot, open_main_window: OpenWindow, sample_copy: Path
) -> None:
    window = open_main_window(sample_copy)
    pane = window.panes.panes[window.shown_documents()[2]]
    text = pane.document.text
    start = text.index("Kowalczyk")
    drag_select(qtbot, pane.view, start, start + len("Kowalczyk"))
    button = window.label_bar.buttons["quote"]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    assert [(s.text, s.label) for s in pane.document.spans()] == [("Kowalczyk", "quote")]
    assert "3" in button.text()


def test_missing_x11_libraries_are_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(syslibs.sys, "platform", "linux")
    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    monkeypatch.setattr(
        syslibs.ctypes.util, "find_library", lambda name: None if name == "xcb-cursor" else "x"
    )
    missing = syslibs.missing_packages()
    assert missing == ["libxcb-cursor0"]
    assert "sudo apt-get install libxcb-cursor0" in syslibs.message(missing)
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    assert syslibs.missing_packages() == []
