"""``annotator --self-test``: prove that a build works, through the real window.

Copies the sample corpus into a temporary folder (with the user folders redirected
there too, so nothing of the user's is touched), selects a word in the second pane
through the view, presses the label key, saves with Ctrl+S, closes, reopens in a
new window and checks the span. Exit status 0 only if every step worked.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

WORD = "Kovalchik"


def run_self_test() -> int:
    with tempfile.TemporaryDirectory(prefix="annotator-self-test-") as tmp:
        root = Path(tmp)
        os.environ["XDG_CONFIG_HOME"] = str(root / "config")
        os.environ["XDG_DATA_HOME"] = str(root / "data")
        try:
            _check(root)
        except Exception as exc:  # report any failure as a failed self-test
            print(f"self-test FAILED: {type(exc).__name__}: {exc}", file=sys.stderr)
            return 1
    print(
        "self-test passed: opened the sample, tagged a span, saved, reopened, found it; "
        "Chinese and Japanese words found"
    )
    return 0


def _check(root: Path) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from annotator.resources import resource_path
    from annotator.settings import load_settings
    from annotator.ui.app import ensure_application, open_window

    app = ensure_application()
    project = root / "sample"
    shutil.copytree(resource_path("sample"), project)

    window, _ = open_window(project, load_settings())
    window.show()
    window.activateWindow()
    _expect(QTest.qWaitForWindowActive(window), "the window did not become active")
    doc_id = window.shown_documents()[1]
    pane = window.panes.panes[doc_id]
    start = pane.document.text.index(WORD)
    pane.view.setFocus()
    pane.view.select_range(start, start + len(WORD))
    window.panes.focus_pane(doc_id)
    QTest.keyClick(pane.view, Qt.Key.Key_2)  # the "claim" key, as a person presses it
    QTest.keyClick(pane.view, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    _expect(not window.isWindowModified(), "Ctrl+S did not save")
    spans = [(s.text, s.label) for s in pane.document.spans()]
    _expect(spans == [(WORD, "claim")], f"tagging gave {spans}")
    _expect(window.close(), "the window refused to close")
    app.processEvents()

    again, report = open_window(project, load_settings())
    reopened = [(s.text, s.label) for s in again.session.project.document(doc_id).spans()]
    _expect(reopened == [(WORD, "claim")], f"after reopening: {reopened}")
    _expect(not report.problems, f"reopening reported {report.problems}")
    again.close()
    app.processEvents()
    _words()


def _words() -> None:
    """The word segmenters are in the build: a Chinese name, a Japanese family name."""
    from annotator.core.words import word_at

    chinese, japanese = "市长表示洪水已经退去", "小池氏は述べた"
    _expect(word_at(chinese, 4) == (4, 6), f"Chinese words: {word_at(chinese, 4)}")
    _expect(word_at(japanese, 0) == (0, 2), f"Japanese words: {word_at(japanese, 0)}")


def _expect(ok: bool, message: str) -> None:
    if not ok:
        raise AssertionError(message)
