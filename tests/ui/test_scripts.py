"""Chinese, Japanese, Arabic and Hebrew as right as English, through the mouse and the
keys: snapping keeps a selected name a name (not the clause around it), a double-click
selects one word, a word keeps its diacritics, right-to-left paragraphs are aligned to
the right, and the CoNLL export's tokens are words. The sentences are our own."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from pytestqt.qtbot import QtBot

from annotator.core import words
from annotator.ui.main_window import MainWindow
from tests.test_cli import run
from tests.ui.conftest import OpenWindow
from tests.ui.helpers import drag_select, point_of

ARTICLES = {
    "zh.txt": "市长瓦尔加表示，洪水已经退去。居民将于周五返回家园。\n",
    "ja.txt": "東京都知事の小池百合子氏は記者会見で述べた。\n",
    "ar.txt": "قال المتحدث إنه أُجليت العائلات من المدينة.\n",
    "he.txt": "הנשיא אמר שהמים ירדו בעיר.\n",
    "en.txt": "Mayor Varga said the water went down.\n",
}


@pytest.fixture
def window(open_main_window: OpenWindow, write_articles: Any) -> MainWindow:
    return open_main_window(write_articles(ARTICLES))


def pane_of(window: MainWindow, doc_id: str) -> Any:
    """The document alone in the window, as a person shows it from the Documents list."""
    window.panes.show_documents([doc_id])
    return window.panes.panes[doc_id]


def double_click(qtbot: QtBot, pane: Any, cp: int) -> str:
    view = pane.view
    where = point_of(view, view.bridge.to_qt(cp))
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=where)
    return view.textCursor().selectedText()


def tagged(pane: Any) -> list[str]:
    return sorted(s.text for s in pane.document.spans())


def test_chinese_a_selected_name_stays_the_name_and_a_double_click_is_a_word(
    qtbot: QtBot, window: MainWindow
) -> None:
    pane = pane_of(window, "zh")
    text = pane.document.text
    name = text.index("瓦尔加")
    drag_select(qtbot, pane.view, name, name + 3)
    qtbot.keyClick(pane.view, Qt.Key.Key_1)
    assert tagged(pane) == ["瓦尔加"]  # was 市长瓦尔加表示: the run between punctuation
    assert double_click(qtbot, pane, text.index("洪")) == "洪水"
    assert double_click(qtbot, pane, text.index("周")) in ("周五", "周")
    # keys: caret before 居, Shift+Right once, 2: snapped to the word, not the sentence
    cursor = pane.view.textCursor()
    cursor.setPosition(pane.view.bridge.to_qt(text.index("居民")))
    pane.view.setTextCursor(cursor)
    qtbot.keyClick(pane.view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(pane.view, Qt.Key.Key_2)
    assert "居民" in tagged(pane)


def test_japanese_a_double_click_selects_the_family_name(qtbot: QtBot, window: MainWindow) -> None:
    pane = pane_of(window, "ja")
    text = pane.document.text
    assert double_click(qtbot, pane, text.index("小池")) == "小池"
    assert double_click(qtbot, pane, text.index("記者") + 1) == "記者"


def test_arabic_a_word_keeps_its_diacritic_and_its_paragraph_is_right_aligned(
    qtbot: QtBot, window: MainWindow
) -> None:
    pane = pane_of(window, "ar")
    text = pane.document.text
    word = "أُجليت"
    assert double_click(qtbot, pane, text.index(word) + 3) == word
    qtbot.keyClick(pane.view, Qt.Key.Key_1)
    assert tagged(pane) == [word]
    assert right_aligned(pane)
    assert not right_aligned(pane_of(window, "en"))


def test_hebrew_is_right_aligned_and_the_caret_moves_with_the_arrows(
    qtbot: QtBot, window: MainWindow
) -> None:
    pane = pane_of(window, "he")
    text = pane.document.text
    assert right_aligned(pane)
    assert double_click(qtbot, pane, text.index("המים") + 1) == "שהמים"
    # in a right-to-left paragraph Left moves forward in the text, as in other editors
    cursor = pane.view.textCursor()
    cursor.setPosition(0)
    pane.view.setTextCursor(cursor)
    for _ in range(5):
        qtbot.keyClick(pane.view, Qt.Key.Key_Left, Qt.KeyboardModifier.ShiftModifier)
    assert pane.view.textCursor().selectedText() == text[:5]
    qtbot.keyClick(pane.view, Qt.Key.Key_1)
    assert tagged(pane) == ["הנשיא"]


def right_aligned(pane: Any) -> bool:
    """The paragraph's first character sits at the right edge of the text area."""
    view = pane.view
    cursor = QTextCursor(view.document())
    cursor.setPosition(0)
    return view.cursorRect(cursor).x() > view.viewport().width() * 0.7


def test_the_conll_export_tokens_are_words_in_every_script(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    for doc_id, word in (("zh", "瓦尔加"), ("ar", "أُجليت"), ("ja", "小池")):
        pane = pane_of(window, doc_id)
        start = pane.document.text.index(word)
        drag_select(qtbot, pane.view, start, start + len(word))
        qtbot.keyClick(pane.view, Qt.Key.Key_1)
        assert tagged(pane) == [word]
    assert window.session.save()
    out = tmp_path / "out.conll"
    done = run("export", str(window.session.project.root), "-f", "conll", "-o", str(out))
    assert done.returncode == 0, done.stderr
    tokens = [line.split()[0] for line in out.read_text("utf-8").splitlines() if line.strip()]
    assert "أُجليت" in tokens and "أُ" not in tokens
    assert "洪水" in tokens and "退去" in tokens and "市长瓦尔加表示" not in tokens
    assert "小池" in tokens and "記者" in tokens


def test_without_a_segmenter_a_han_character_stands_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(words, "_library", lambda _name: None)
    words.segments.cache_clear()
    try:
        text = "市长瓦尔加表示，"
        assert words.word_at(text, 3) == (3, 4)
        kana = "カタカナのひらがな"
        assert words.word_at(kana, 1) == (0, 4)  # a script run, not the whole line
    finally:
        words.segments.cache_clear()
