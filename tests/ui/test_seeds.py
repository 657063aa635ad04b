"""The seed articles (../shared/seeds, three reports of one event) through the real window."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.ui.conftest import OpenWindow
from tests.ui.helpers import drag_select

pytestmark = pytest.mark.seeds

KEYS = {"entity": Qt.Key.Key_1, "claim": Qt.Key.Key_2, "quote": Qt.Key.Key_3}


def _quoted(text: str, opening: str, closing: str, starts: str) -> tuple[int, int]:
    start = text.index(opening + starts)
    return start, text.index(closing, start + 1) + 1


def test_variant_spellings_curly_and_straight_quotes_nested(
    qtbot: QtBot, open_main_window: OpenWindow, seeds_copy: Path
) -> None:
    window = open_main_window(seeds_copy)
    panes = list(window.panes.panes.values())
    assert len(panes) == 3
    plan: list[tuple[int, tuple[int, int], str]] = []
    t0, t1, t2 = (p.document.text for p in panes)
    plan.append((0, _quoted(t0, "“", "”", "The discussions"), "quote"))
    umerov = t0.index("Umerov said")
    plan.append((0, (umerov, umerov + len("Umerov")), "entity"))
    plan.append((0, (t0.index("Alekseev"), t0.index("Alekseev") + 8), "entity"))
    plan.append((1, (t1.index("Alekseyev"), t1.index("Alekseyev") + 9), "entity"))
    plan.append((1, (t1.index("Prigokhin"), t1.index("Prigokhin") + 9), "entity"))
    plan.append((1, _quoted(t1, '"', '"', "This terrorist"), "quote"))
    prig = t2.index("Prigozhin")
    plan.append((2, (prig + 2, prig + 6), "entity"))  # a drag inside the word snaps to it

    for pane_no, (start, end), label in plan:
        pane = panes[pane_no]
        drag_select(qtbot, pane.view, start, end)
        qtbot.keyClick(pane.view, KEYS[label])
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    window.close()

    again = open_main_window(seeds_copy)
    docs = [again.session.project.document(p.document.id) for p in panes]
    got = {(docs.index(d), s.text, s.label) for d in docs for s in d.spans()}
    assert ((2, "Prigozhin", "entity")) in got
    for pane_no, (start, end), label in plan[:-1]:
        text = docs[pane_no].text
        assert (pane_no, text[start:end], label) in got
    assert len(got) == len(plan)
    for d in docs:
        for s in d.spans():
            assert d.text[s.start : s.end] == s.text
