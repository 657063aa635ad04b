"""Driving the article views like a person: drag with the mouse, type keys."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent, QTextCursor
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from annotator.settings import load_settings
from annotator.ui.app import Launcher, ensure_application
from annotator.ui.article_pane import ArticleView


def point_of(view: ArticleView, qt_pos: int) -> QPoint:
    """A viewport point just right of the caret position ``qt_pos`` (a click lands there)."""
    cursor = QTextCursor(view.document())
    cursor.setPosition(qt_pos)
    rect = view.cursorRect(cursor)
    return QPoint(rect.left() + 1, rect.center().y())


def drag_select(qtbot: QtBot, view: ArticleView, start_cp: int, end_cp: int) -> None:
    """Press the left button at code point ``start_cp``, drag to ``end_cp``, release."""
    cursor = view.textCursor()
    cursor.setPosition(view.bridge.to_qt(start_cp))
    view.setTextCursor(cursor)
    view.ensureCursorVisible()  # scroll like a person would before dragging
    a = point_of(view, view.bridge.to_qt(start_cp))
    b = point_of(view, view.bridge.to_qt(end_cp))
    viewport = view.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=a)
    for frac in (0.3, 0.7, 1.0):
        p = QPointF(a.x() + (b.x() - a.x()) * frac, a.y() + (b.y() - a.y()) * frac)
        move = QMouseEvent(
            QMouseEvent.Type.MouseMove,
            p,
            viewport.mapToGlobal(p),
            Qt.MouseButton.NoButton,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
        )
        QApplication.sendEvent(viewport, move)
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=b)


def click_at(qtbot: QtBot, view: ArticleView, cp: int) -> None:
    """Click in the middle of the character at code point ``cp``."""
    qt = view.bridge.to_qt(cp)
    a, b = point_of(view, qt), point_of(view, qt + 1)
    p = QPoint((a.x() + b.x()) // 2, a.y()) if b.y() == a.y() else QPoint(a.x() + 2, a.y())
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=p)


def launch(qtbot: QtBot, path: Path) -> Launcher:
    """Open ``path`` the way ``annotator PATH`` does (dialogs and all); the window is shown."""
    ensure_application()
    launcher = Launcher(load_settings())
    assert launcher.open(path)
    assert launcher.window is not None
    qtbot.addWidget(launcher.window)
    return launcher
