"""Edit ▸ Tag All Occurrences (Ctrl+T) and with variant spellings (Ctrl+Shift+T)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.ui.conftest import OpenWindow
from tests.ui.helpers import click_at, drag_select


def spans_with_text(window: object, text: str) -> list[tuple[str, str]]:
    project = window.session.project  # type: ignore[attr-defined]
    return sorted(
        (doc.id, span.label)
        for doc in project.documents
        for span in doc.spans()
        if span.text == text
    )


def occurrences(window: object, text: str) -> int:
    project = window.session.project  # type: ignore[attr-defined]
    shown = window.shown_documents()  # type: ignore[attr-defined]
    return sum(project.document(d).text.count(text) for d in shown)


def test_ctrl_t_tags_every_occurrence_of_a_selection_in_one_undo_step(
    qtbot: QtBot, open_main_window: OpenWindow, sample_copy: Path
) -> None:
    window = open_main_window(sample_copy)
    pane = window.panes.current_pane()
    assert pane is not None
    word = "Saltmarsh"
    total = occurrences(window, word)
    assert total >= 3
    # tag one with the mouse and key 3, so "quote" is the label last used
    start = pane.document.text.index(word)
    drag_select(qtbot, pane.view, start, start + len(word))
    qtbot.keyClick(pane.view, Qt.Key.Key_3)
    # select another occurrence of the word and press Ctrl+T
    second = pane.document.text.find(word, start + 1)
    other = pane if second >= 0 else window.panes.panes[window.shown_documents()[1]]
    where = second if second >= 0 else other.document.text.index(word)
    drag_select(qtbot, other.view, where, where + len(word))
    qtbot.keyClick(other.view, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    tagged = spans_with_text(window, word)
    assert len(tagged) == total and {label for _d, label in tagged} == {"quote"}
    message = window.statusBar().currentMessage()
    assert f"Tagged {total - 1} occurrences of “{word}” as quote" in message
    assert "one undo step" in message
    # one undo takes them all back, the first tag stays
    qtbot.keyClick(other.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(spans_with_text(window, word)) == 1
    qtbot.keyClick(
        other.view,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert len(spans_with_text(window, word)) == total


def test_ctrl_shift_t_on_a_selected_span_includes_variant_spellings(
    qtbot: QtBot, open_main_window: OpenWindow, sample_copy: Path
) -> None:
    window = open_main_window(sample_copy)
    project = window.session.project
    first = window.shown_documents()[0]
    pane = window.panes.panes[first]
    doc = pane.document
    name = "Varga" if "Varga" in doc.text else "Warga"
    variant = "Warga" if name == "Varga" else "Varga"
    start = doc.text.index(name)
    drag_select(qtbot, pane.view, start, start + len(name))
    qtbot.keyClick(pane.view, Qt.Key.Key_1)
    click_at(qtbot, pane.view, start + 2)  # select the span just made
    assert window.session.selected is not None
    qtbot.keyClick(
        pane.view,
        Qt.Key.Key_T,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    variants = [
        (d.id, s.text, s.label) for d in project.documents for s in d.spans() if s.text == variant
    ]
    assert variants and all(label == "entity" for _d, _t, label in variants)
    assert "one undo step" in window.statusBar().currentMessage()


def test_ctrl_t_with_nothing_selected_says_what_to_do(
    qtbot: QtBot, open_main_window: OpenWindow, sample_copy: Path
) -> None:
    window = open_main_window(sample_copy)
    pane = window.panes.current_pane()
    assert pane is not None
    before = window.session.project.span_count
    qtbot.keyClick(pane.view, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    assert window.session.project.span_count == before
    assert "Select some text or a span first" in window.statusBar().currentMessage()
