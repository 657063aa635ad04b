"""The annotation window driven like a person: select, press a key, save, reopen."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from pytestqt.qtbot import QtBot

from annotator.core.models import PROJECT_FILE_NAME
from tests.ui.conftest import OpenWindow
from tests.ui.helpers import click_at, drag_select

TRICKY = (
    "Zoe\u0308 met \U0001f600 Ana\tin Par\u00eds.\r\n"
    "She said \u201crates will rise\u201d.\u00a0Then \U0001d400lpha left.\r\n"
    "Final line."
)


def word_range(text: str, word: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(word, start + 1)
    return start, start + len(word)


def test_mouse_select_in_second_pane_press_2_save_and_reopen(
    qtbot: QtBot, open_main_window: OpenWindow, sample_copy: Path
) -> None:
    window = open_main_window(sample_copy)
    second_id = window.shown_documents()[1]
    pane = window.panes.panes[second_id]
    text = pane.document.text
    start, end = word_range(text, "Kovalchik")

    drag_select(qtbot, pane.view, start, end)
    assert pane.view.textCursor().selectedText() == "Kovalchik"
    qtbot.keyClick(pane.view, Qt.Key.Key_2)

    spans = pane.document.spans()
    assert [(s.start, s.end, s.label, s.text) for s in spans] == [
        (start, end, "claim", "Kovalchik")
    ]
    assert window.isWindowModified()
    qtbot.keyClick(pane.view, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert not window.isWindowModified()
    window.close()

    on_disk = json.loads((sample_copy / PROJECT_FILE_NAME).read_text(encoding="utf-8"))
    record = next(d for d in on_disk["documents"] if d["id"] == second_id)
    assert [(s["start"], s["end"], s["label"]) for s in record["spans"]] == [(start, end, "claim")]

    again = open_main_window(sample_copy)
    reopened = again.session.project.document(second_id).spans()
    assert [(s.id, s.start, s.end, s.label) for s in reopened] == [
        (spans[0].id, start, end, "claim")
    ]
    assert again.shown_documents() == window.shown_documents()


def test_offsets_match_what_the_user_selected_with_emoji_crlf_accents(
    qtbot: QtBot, open_main_window: OpenWindow, write_articles
) -> None:
    folder = write_articles({"a.txt": TRICKY, "b.txt": "plain text here", "c.md": "# c\n"})
    window = open_main_window(folder)
    pane = window.panes.panes["a"]
    window.actions_by_name["snap"].setChecked(False)
    for word, key in (
        ("Ana", Qt.Key.Key_1),
        ("rates will rise", Qt.Key.Key_3),
        ("Final", Qt.Key.Key_2),
        ("\U0001d400lpha", Qt.Key.Key_1),
        ("Par\u00eds", Qt.Key.Key_1),
        ("Zoe\u0308", Qt.Key.Key_1),
    ):
        start, end = word_range(TRICKY, word)
        drag_select(qtbot, pane.view, start, end)
        shown = pane.view.textCursor().selectedText()
        qtbot.keyClick(pane.view, key)
        added = [s for s in pane.document.spans() if s.text == word]
        assert added, f"{word!r} not tagged; the view selected {shown!r}"
        assert TRICKY[added[0].start : added[0].end] == word == shown
    assert len(pane.document.spans()) == 6


def test_selection_snaps_to_words_by_default(
    qtbot: QtBot, open_main_window: OpenWindow, sample_copy: Path
) -> None:
    window = open_main_window(sample_copy)
    pane = window.panes.panes[window.shown_documents()[0]]
    text = pane.document.text
    start, end = word_range(text, "Kowalczyk")
    drag_select(qtbot, pane.view, start + 2, end - 3)  # "walcz" from the middle
    qtbot.keyClick(pane.view, Qt.Key.Key_1)
    assert [s.text for s in pane.document.spans()] == ["Kowalczyk"]


def test_keyboard_selection_with_shift_arrows(
    qtbot: QtBot, open_main_window: OpenWindow, sample_copy: Path
) -> None:
    window = open_main_window(sample_copy)
    pane = window.panes.panes[window.shown_documents()[2]]
    pane.view.setFocus()
    cursor = pane.view.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.Start)
    pane.view.setTextCursor(cursor)
    for _ in range(2):  # "Emergency crews": two words with Ctrl+Shift+Right
        qtbot.keyClick(
            pane.view,
            Qt.Key.Key_Right,
            Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.ControlModifier,
        )
    qtbot.keyClick(pane.view, Qt.Key.Key_3)
    assert [s.text for s in pane.document.spans()] == ["Emergency crews"]
    assert pane.document.spans()[0].label == "quote"


def test_find_box_match_becomes_the_selection(
    qtbot: QtBot, open_main_window: OpenWindow, sample_copy: Path
) -> None:
    window = open_main_window(sample_copy)
    first = window.panes.panes[window.shown_documents()[0]]
    first.view.setFocus()
    qtbot.keyClick(first.view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.find_box.hasFocus()
    qtbot.keyClicks(window.find_box, "kovalchik")
    qtbot.keyClick(window.find_box, Qt.Key.Key_Return)
    pane = window.panes.current_pane()
    assert pane is not None and pane.document.id == window.shown_documents()[1]
    assert pane.view.hasFocus()
    qtbot.keyClick(pane.view, Qt.Key.Key_1)
    assert [(s.text, s.label) for s in pane.document.spans()] == [("Kovalchik", "entity")]


def test_nested_spans_click_select_relabel_delete_undo_redo(
    qtbot: QtBot, open_main_window: OpenWindow, sample_copy: Path
) -> None:
    window = open_main_window(sample_copy)
    pane = window.panes.panes[window.shown_documents()[0]]
    text = pane.document.text
    q_start = text.index("“We will")
    q_end = text.index("together,”") + len("together,”")
    drag_select(qtbot, pane.view, q_start, q_end)
    qtbot.keyClick(pane.view, Qt.Key.Key_3)
    w_start, w_end = word_range(text, "street")
    drag_select(qtbot, pane.view, w_start, w_end)
    qtbot.keyClick(pane.view, Qt.Key.Key_1)
    labels = sorted((s.label, s.text) for s in pane.document.spans())
    assert labels == [("entity", "street"), ("quote", text[q_start:q_end])]

    # both visible and distinguishable: different formats inside and outside the nest
    tip = pane.tooltip_text(w_start + 1)
    assert "entity" in tip and "quote" in tip
    fmt_inner = _format_at(pane, w_start + 1)
    fmt_outer = _format_at(pane, q_start + 3)
    assert fmt_inner.background().color() != fmt_outer.background().color()
    assert fmt_inner.fontUnderline() and not fmt_outer.fontUnderline()

    # a click selects the innermost span; a label key relabels it; Delete removes it
    window.session.select(None)
    click_at(qtbot, pane.view, w_start + 2)
    assert window.session.selected is not None
    selected = pane.document.span(window.session.selected.span_id)
    assert selected.text == "street"
    qtbot.keyClick(pane.view, Qt.Key.Key_2)
    assert pane.document.span(selected.id).label == "claim"
    qtbot.keyClick(pane.view, Qt.Key.Key_Delete)
    assert not pane.document.has_span(selected.id)
    assert len(pane.document.spans()) == 1

    undo = (Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    redo = (Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(pane.view, *undo)
    assert pane.document.span(selected.id).label == "claim"
    qtbot.keyClick(pane.view, *undo)
    assert pane.document.span(selected.id).label == "entity"
    qtbot.keyClick(pane.view, *undo)
    qtbot.keyClick(pane.view, *undo)
    assert pane.document.spans() == []
    assert not window.isWindowModified()
    assert _format_at(pane, q_start + 3).background().style() == Qt.BrushStyle.NoBrush
    for _ in range(4):
        qtbot.keyClick(pane.view, *redo)
    assert [s.text for s in pane.document.spans()] == [text[q_start:q_end]]
    assert window.isWindowModified()


def _format_at(pane, cp: int):  # type: ignore[no-untyped-def]
    cursor = QTextCursor(pane.view.document())
    cursor.setPosition(pane.bridge.to_qt(cp) + 1)
    return cursor.charFormat()
