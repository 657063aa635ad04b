"""A real Annotator session for the crash tests, run in a child process and killed.

``python -m tests.crash_child PROJECT`` opens the window headless, tags words with
the mouse and the label keys, lets one autosave tick happen, makes more edits that
only the journal holds, prints the spans it expects on one JSON line, and waits to
be killed with SIGKILL. ``tests/test_crash.py`` drives it.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

os.environ["QT_QPA_PLATFORM"] = "offscreen"

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from annotator.settings import load_settings
from annotator.ui.app import ensure_application, open_window
from annotator.ui.article_pane import ArticleView
from annotator.ui.main_window import MainWindow


def _point(view: ArticleView, cp: int) -> QPoint:
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.bridge.to_qt(cp))
    rect = view.cursorRect(cursor)
    return QPoint(rect.left() + 1, rect.center().y())


def tag_word(window: MainWindow, doc_id: str, word: str, key: str) -> None:
    """Drag over ``word`` in its pane with the mouse, then press the label key."""
    pane = window.panes.panes[doc_id]
    view = pane.view
    start = pane.document.text.index(word)
    cursor = view.textCursor()
    cursor.setPosition(view.bridge.to_qt(start))
    view.setTextCursor(cursor)
    view.ensureCursorVisible()
    a, b = _point(view, start), _point(view, start + len(word))
    QTest.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=a)
    QTest.mouseMove(view.viewport(), b)
    QTest.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=b)
    QTest.keyClick(view, key)


def state(window: MainWindow) -> dict[str, list[list[object]]]:
    project = window.session.project
    return {
        doc.id: [[s.id, s.start, s.end, s.label] for s in doc.spans()] for doc in project.documents
    }


def wait_until(condition: object, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise SystemExit("timed out")
        QApplication.processEvents()
        time.sleep(0.01)


def open_headless(project: Path) -> MainWindow:
    """The window on ``project``, shown and active, as ``annotator PROJECT`` opens it."""
    ensure_application()
    window, _report = open_window(project, load_settings())
    window.show()
    window.activateWindow()
    QApplication.processEvents()
    return window


def main(project: Path) -> None:
    app = ensure_application()
    window = open_headless(project)
    session = window.session
    session.set_autosave_delay(100)
    first, second = window.shown_documents()[:2]

    tag_word(window, first, "Varga", "1")
    tag_word(window, second, "Warga", "1")
    wait_until(lambda: not session.is_dirty and not session.saving_in_background)
    saved = state(window)

    session.set_autosave_delay(3_600_000)  # no more autosave ticks: only the journal
    tag_word(window, first, "Kowalczyk", "1")
    tag_word(window, second, "Saltmarsh", "3")
    window.session.select(None)
    # relabel the first span with a click and a key, and undo/redo one edit
    doc = session.project.document(first)
    varga = next(s for s in doc.spans() if s.text == "Varga")
    pane = window.panes.panes[first]
    middle = _point(pane.view, varga.start + 2)
    QTest.mouseClick(pane.view.viewport(), Qt.MouseButton.LeftButton, pos=middle)
    QTest.keyClick(pane.view, "2")
    QTest.keyClick(pane.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(pane.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(
        pane.view,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    QTest.mouseClick(pane.view.viewport(), Qt.MouseButton.LeftButton, pos=middle)
    QTest.keyClick(pane.view, "2")  # relabel again, and keep it
    other = window.panes.panes[second]
    warga = next(s for s in session.project.document(second).spans() if s.text == "Warga")
    QTest.mouseClick(
        other.view.viewport(), Qt.MouseButton.LeftButton, pos=_point(other.view, warga.start + 2)
    )
    QTest.keyClick(other.view, Qt.Key.Key_Delete)
    QApplication.processEvents()
    assert session.is_dirty
    print(json.dumps({"saved": saved, "final": state(window)}), flush=True)
    while True:  # waiting for SIGKILL, as a busy window would
        app.processEvents()
        time.sleep(0.02)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
