"""Review mode driven from the keyboard: import, accept, reject, relabel, adjust, undo, export."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from annotator.formats import FORMATS, ExportOptions
from annotator.io.load import open_project
from annotator.ui.main_window import MainWindow
from tests.test_cli import run as run_cli
from tests.ui.conftest import OpenWindow

A = "“We will rebuild,” said Zoë Varga. The river rose 2.4 metres on Monday.\n"
B = "Mayor Warga met Ana Kovalchik in Port Ellis. 🙂 The dam held, Kovalchik said.\n"
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def predictions(path: Path) -> Path:
    def span(text: str, word: str, label: str, score: float) -> dict[str, Any]:
        start = text.index(word)
        return {"start": start, "end": start + len(word), "label": label, "score": score}

    records = [
        {"id": "a", "text": A, "spans": [span(A, "Zoë Varga", "entity", 0.95)]},
        {
            "id": "b",
            "text": B,
            "spans": [
                span(B, "Warga", "entity", 0.6),
                span(B, "Ana Kovalchik", "claim", 0.8),
                span(B, "Port Ellis", "entity", 0.97),
                span(B, "Kovalchik said", "entity", 0.3),
            ],
        },
    ]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", "utf-8")
    return path


def press(
    qtbot: QtBot, window: MainWindow, key: Qt.Key, mods: Any = Qt.KeyboardModifier.NoModifier
) -> None:
    target = window.focusWidget() or window
    qtbot.keyClick(target, key, mods)


def statuses(window: MainWindow) -> dict[str, tuple[str, str, str]]:
    return {
        s.text: (s.label, s.review, s.origin)
        for d in window.session.project.documents
        for s in d.spans()
    }


@pytest.fixture
def reviewing(
    qtbot: QtBot, open_main_window: OpenWindow, write_articles: Any, tmp_path: Path
) -> MainWindow:
    folder = write_articles({"a.txt": A, "b.txt": B})
    window = open_main_window(folder)
    with qtbot.waitSignal(window.suggestion_tools.finished, timeout=5000):
        window.suggestion_tools.import_suggestions(predictions(tmp_path / "preds.jsonl"))
    assert len(statuses(window)) == 5
    return window


def test_import_then_review_with_keys_only(qtbot: QtBot, reviewing: MainWindow) -> None:
    window = reviewing
    assert {r for _l, r, _o in statuses(window).values()} == {"pending"}
    assert {o for _l, _r, o in statuses(window).values()} == {"preds.jsonl"}

    press(qtbot, window, Qt.Key.Key_R, CTRL)
    assert window.review.active and window.reviewDock.isVisible()
    assert window.review_panel.progress_label.text().startswith("Reviewed 0 of 5")
    current = window.review.current_span()
    assert current is not None and current.text == "Zoë Varga"  # reading order: a first

    press(qtbot, window, Qt.Key.Key_A)  # accept Zoë Varga
    assert window.review.current_span().text == "Warga"  # type: ignore[union-attr]
    press(qtbot, window, Qt.Key.Key_R)  # reject Warga... no: R rejects
    assert window.review.current_span().text == "Ana Kovalchik"  # type: ignore[union-attr]
    press(qtbot, window, Qt.Key.Key_1)  # relabel claim → entity, stays current
    assert window.review.current_span().label == "entity"  # type: ignore[union-attr]
    press(qtbot, window, Qt.Key.Key_Return)  # Enter accepts too
    assert window.review.current_span().text == "Port Ellis"  # type: ignore[union-attr]
    # adjust: end one word left would empty it; extend start to the word before, then accept
    press(qtbot, window, Qt.Key.Key_Left, CTRL | SHIFT | Qt.KeyboardModifier.AltModifier)
    assert window.review.draft == (B.index("in Port"), B.index("Port") + len("Port Ellis"))
    press(qtbot, window, Qt.Key.Key_A)
    assert window.review.current_span().text == "Kovalchik said"  # type: ignore[union-attr]
    press(qtbot, window, Qt.Key.Key_Left, CTRL | SHIFT)  # end back one word: "Kovalchik"
    press(qtbot, window, Qt.Key.Key_X)  # X rejects, and the draft does not matter
    assert window.review_panel.progress_label.text().startswith("Reviewed 5 of 5")

    got = statuses(window)
    assert got["Zoë Varga"] == ("entity", "accepted", "preds.jsonl")
    assert got["Warga"] == ("entity", "rejected", "preds.jsonl")
    assert got["Ana Kovalchik"] == ("entity", "corrected", "preds.jsonl")
    assert got["in Port Ellis"] == ("entity", "corrected", "preds.jsonl")
    assert got["Kovalchik said"][1] == "rejected"
    adjusted = next(
        s for s in window.session.project.document("b").spans() if s.text == "in Port Ellis"
    )
    assert adjusted.proposed is not None
    assert B[adjusted.proposed.start : adjusted.proposed.end] == "Port Ellis"

    # undo the last decision: back to pending, and the queue goes back to it
    press(qtbot, window, Qt.Key.Key_Z, CTRL)
    assert statuses(window)["Kovalchik said"][1] == "pending"
    assert window.review.current_span().text == "Kovalchik said"  # type: ignore[union-attr]
    press(qtbot, window, Qt.Key.Key_R)

    press(qtbot, window, Qt.Key.Key_S, CTRL)
    assert not window.isWindowModified()
    window.close()

    project, _ = open_project(window.session.project.root)
    out = window.session.project.root.parent / "accepted.jsonl"
    FORMATS["jsonl"].write(project, out, ExportOptions())
    exported = {
        (rec["id"], s["text"], s["label"])
        for line in out.read_text("utf-8").splitlines()
        for rec in [json.loads(line)]
        for s in rec["spans"]
    }
    assert exported == {
        ("a", "Zoë Varga", "entity"),
        ("b", "Ana Kovalchik", "entity"),
        ("b", "in Port Ellis", "entity"),
    }


def test_pending_are_drawn_dashed_and_rejected_hidden(qtbot: QtBot, reviewing: MainWindow) -> None:
    window = reviewing
    pane = window.panes.panes["b"]
    start = B.index("Warga")
    cursor = pane.view.textCursor()
    cursor.setPosition(pane.bridge.to_qt(start) + 1)
    assert cursor.charFormat().underlineStyle().name == "DashUnderline"
    press(qtbot, window, Qt.Key.Key_R, CTRL)
    press(qtbot, window, Qt.Key.Key_N)  # Zoë Varga → Warga
    assert window.review.current_span().text == "Warga"  # type: ignore[union-attr]
    press(qtbot, window, Qt.Key.Key_R)
    cursor.setPosition(pane.bridge.to_qt(start) + 1)
    assert cursor.charFormat().background().style() == Qt.BrushStyle.NoBrush
    assert pane.spans_at(start) == []  # hidden: not clickable, no tooltip
    window.actions_by_name["show_rejected"].trigger()
    cursor.setPosition(pane.bridge.to_qt(start) + 1)
    assert cursor.charFormat().fontStrikeOut()
    assert [s.text for s in pane.spans_at(start)] == ["Warga"]


def test_filters_and_bulk_decisions_are_undoable(qtbot: QtBot, reviewing: MainWindow) -> None:
    window = reviewing
    press(qtbot, window, Qt.Key.Key_R, CTRL)
    panel = window.review_panel
    panel.bulk_threshold.setValue(0.9)
    qtbot.mouseClick(panel.accept_above_button, Qt.MouseButton.LeftButton)
    got = statuses(window)
    assert got["Zoë Varga"][1] == got["Port Ellis"][1] == "accepted"
    assert got["Warga"][1] == "pending"
    press(qtbot, window, Qt.Key.Key_Z, CTRL)
    assert {r for _l, r, _o in statuses(window).values()} == {"pending"}

    panel.label_filter.setCurrentIndex(panel.label_filter.findData("claim"))
    assert [window.session.project.document(d).span(s).text for d, s in window.review.keys] == [
        "Ana Kovalchik"
    ]
    panel.label_filter.setCurrentIndex(0)
    panel.min_score.setValue(0.7)
    assert len(window.review.keys) == 3
    panel.min_score.setValue(0)
    panel.document_filter.setCurrentIndex(panel.document_filter.findData("a"))
    assert len(window.review.keys) == 1
    panel.document_filter.setCurrentIndex(0)

    panel.origin_filter.setCurrentIndex(panel.origin_filter.findData("preds.jsonl"))
    qtbot.mouseClick(panel.reject_origin_button, Qt.MouseButton.LeftButton)
    assert {r for _l, r, _o in statuses(window).values()} == {"rejected"}
    press(qtbot, window, Qt.Key.Key_Z, CTRL)
    assert {r for _l, r, _o in statuses(window).values()} == {"pending"}


def test_extractor_from_the_menu_runs_off_thread_and_twice_adds_nothing(
    qtbot: QtBot, open_main_window: OpenWindow, write_articles: Any
) -> None:
    window = open_main_window(write_articles({"a.txt": A, "b.txt": B}))
    menu_action = window.findChild(type(window.actions_by_name["save"]), "action_suggest_quotes")
    assert menu_action is not None
    with qtbot.waitSignal(window.suggestion_tools.finished, timeout=5000):
        menu_action.trigger()
        assert window.suggestion_tools.busy
    # the quote and its speaker (a suggested entity, and a speaker relation to it)
    assert statuses(window) == {
        "We will rebuild": ("quote", "pending", "quotes"),
        "Zoë Varga": ("entity", "pending", "quotes"),
    }
    assert [r.type for r in window.session.project.relations()] == ["speaker"]
    with qtbot.waitSignal(window.suggestion_tools.finished, timeout=5000):
        menu_action.trigger()
    assert len(statuses(window)) == 2 and window.session.project.relation_count == 1
    window.session.undo()
    assert statuses(window) == {} and window.session.project.relation_count == 0


def test_import_with_problems_asks_and_cancel_changes_nothing(
    qtbot: QtBot,
    open_main_window: OpenWindow,
    write_articles: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = open_main_window(write_articles({"a.txt": A, "b.txt": B}))
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        json.dumps({"id": "a", "text": A, "spans": [{"start": 0, "end": 999, "label": "entity"}]})
        + "\n{broken\n",
        "utf-8",
    )
    asked: list[list[str]] = []
    monkeypatch.setattr(
        "annotator.ui.prompts.confirm_partial",
        lambda _parent, plan: asked.append([str(p) for p in plan.problems]) or False,
    )
    with qtbot.waitSignal(window.suggestion_tools.finished, timeout=5000):
        window.suggestion_tools.import_suggestions(bad)
    assert any("line 1, span 1: offsets 0-999 run past the end" in p for p in asked[0])
    assert any("line 2: not JSON" in p for p in asked[0])
    assert statuses(window) == {}
    assert not window.isWindowModified()


def test_cancelling_an_extractor_adds_nothing(
    qtbot: QtBot,
    open_main_window: OpenWindow,
    write_articles: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import time

    from PySide6.QtWidgets import QProgressDialog, QPushButton

    from annotator import extract
    from annotator.core.suggestions import Candidate

    class Slow:
        name = "slow"

        def extract(self, text: str) -> list[Candidate]:
            time.sleep(0.2)
            return [Candidate(0, 3, "entity")]

    articles = {f"{i:02}.txt": f"Doc number {i} about Ana.\n" for i in range(30)}
    window = open_main_window(write_articles(articles))
    monkeypatch.setattr(extract, "load", lambda name, **o: Slow())
    with qtbot.waitSignal(window.suggestion_tools.finished, timeout=10000):
        window.suggestion_tools.run_extractor("slow")
        qtbot.waitUntil(lambda: window.findChild(QProgressDialog, "taskProgress") is not None)
        dialog = window.findChild(QProgressDialog, "taskProgress")
        qtbot.waitUntil(lambda: dialog.isVisible(), timeout=3000)
        assert window.isEnabled()  # the window repaints; the dialog only blocks input
        [button] = dialog.findChildren(QPushButton)
        assert button.text() == "Cancel"
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert statuses(window) == {}
    assert "cancelled" in window.statusBar().currentMessage()


def test_at_the_default_size_review_fits_and_the_panes_fit_again_after(
    qtbot: QtBot, sample_copy: Path
) -> None:
    """Issue 30: the Review dock cut the suggestion in half, and after it closed the
    panes stayed clipped. At 1400×860 the suggestion is whole and, once review ends,
    the three panes fit without a sideways scroll."""
    from tests.ui.helpers import launch

    assert run_cli("suggest", str(sample_copy), "-e", "claims").returncode == 0
    launcher = launch(qtbot, sample_copy)
    window = launcher.window
    assert window is not None
    window.resize(1400, 860)
    qtbot.waitUntil(lambda: window.isVisible())
    area = window.panes

    def fits() -> bool:
        return area.splitter.width() <= area.viewport().width()

    qtbot.waitUntil(fits, timeout=3000)
    window.set_review_mode(True)
    qtbot.wait(50)
    panel = window.review_panel
    scroll = window.reviewDock.widget()
    assert panel.current_text.text()  # a suggestion is current
    assert panel.current_text.width() <= scroll.viewport().width()  # nothing cut at the right
    assert fits(), "the Review dock pushed a pane out of view"

    window.set_review_mode(False)
    qtbot.waitUntil(fits, timeout=3000)


def test_each_decision_is_timed_for_the_progress_report(
    qtbot: QtBot, reviewing: MainWindow
) -> None:
    """Issue 32: the seconds each review decision took are kept per document and
    annotator; a lead sees the share decided in under a second."""
    from annotator.ops import progress

    window = reviewing
    press(qtbot, window, Qt.Key.Key_R, CTRL)
    qtbot.wait(1100)  # a considered decision
    press(qtbot, window, Qt.Key.Key_A)
    press(qtbot, window, Qt.Key.Key_R)  # at once: waved through
    me = window.queue.who()
    mine = progress.progress_of(window.session.project, me)
    assert (mine.decisions, mine.accepted, mine.quick) == (2, 1, 1)
    assert 1.0 <= mine.decision_seconds < 30
    assert window.session.work_pending  # written with the next save
