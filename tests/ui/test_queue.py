"""Issue 32 in the window: a 50-article session by keys only (select a word, tag it,
Ctrl+Enter marks the document done and brings the next, Ctrl+Z takes a done back),
the status bar's count, the Documents list's status column and filter, the progress
report the command line prints afterwards, and the time the clock counted."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from annotator.ui.document_model import STATUS_COLUMN
from tests.test_cli import run
from tests.test_progress import corpus
from tests.ui.conftest import OpenWindow

CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def test_fifty_articles_by_keys_only(
    qtbot: QtBot, open_main_window: OpenWindow, tmp_path: Path
) -> None:
    folder = corpus(tmp_path / "p", 50)
    window = open_main_window(folder)
    project = window.session.project
    label = window.statusBar().findChild(QLabel, "progressState")
    assert label.text() == "0 of 50 done"
    seen = []
    for _ in range(50):
        pane = window.panes.current_pane()
        assert pane is not None
        seen.append(pane.document.id)
        view = pane.view
        qtbot.keyClick(view, Qt.Key.Key_Home, CTRL)
        qtbot.keyClick(view, Qt.Key.Key_Right, CTRL_SHIFT)  # the first word
        qtbot.keyClick(view, Qt.Key.Key_1)  # entity
        qtbot.keyClick(view, Qt.Key.Key_Return, CTRL)  # done; the next one comes
    assert sorted(seen) == sorted(d.id for d in project.documents)  # each once
    assert label.text() == "50 of 50 done"
    assert all(d.span_count == 1 for d in project.documents)
    assert "no document is left" in window.statusBar().currentMessage()

    # a done taken back is one undo step; the tag before it stays
    pane = window.panes.current_pane()
    assert pane is not None
    qtbot.keyClick(pane.view, Qt.Key.Key_Z, CTRL)
    assert label.text() == "49 of 50 done"
    undone = next(d for d in project.documents if project.work.status("", d.id) != "done")
    assert undone.id == seen[-1] and undone.span_count == 1

    # the list says each document's status, and its filter shows those not done
    view = window.document_view
    row = view.documents.row_of(undone.id)
    assert view.documents.index(row, STATUS_COLUMN).data() == "◐"  # in progress
    assert view.documents.index((row + 1) % 50, STATUS_COLUMN).data() == "✓"  # done
    tip = view.documents.index(row, STATUS_COLUMN).data(Qt.ItemDataRole.ToolTipRole)
    assert "in progress" in tip
    view.filter_box.setCurrentIndex(1)  # not done
    visible = [r for r in range(50) if not view.isRowHidden(r)]
    assert visible == [row]

    qtbot.keyClick(pane.view, Qt.Key.Key_S, CTRL)
    report = run("progress", str(folder), "--format", "json")
    assert report.returncode == 0, report.stderr
    (me,) = json.loads(report.stdout)["annotators"]
    assert (me["done"], me["in_progress"], me["new"], me["of"]) == (49, 1, 0, 50)
    assert me["seconds"] > 0  # the clock ran while keys were pressed

    # a training file of the finished documents only, read by seqeval
    from seqeval.metrics.sequence_labeling import get_entities

    out = tmp_path / "done.conll"
    export = run("export", str(folder), "-f", "conll", "-o", str(out), "--done-only")
    assert export.returncode == 0 and "wrote 49 documents, 49 spans" in export.stdout
    lines = [line.split() for line in out.read_text(encoding="utf-8").splitlines()]
    tokens = [cols for cols in lines if cols and cols[0] != "-DOCSTART-"]
    entities = get_entities([cols[-1] for cols in tokens])
    assert len(entities) == 49 and {kind for kind, _s, _e in entities} == {"entity"}
    firsts = {d.text.split()[0] for d in project.documents if d.id != undone.id}
    assert {tokens[start][0] for _k, start, _e in entities} == firsts


def test_next_and_previous_document_step_through_the_queue(
    qtbot: QtBot, open_main_window: OpenWindow, tmp_path: Path
) -> None:
    folder = corpus(tmp_path / "p", 6)
    window = open_main_window(folder)
    ids = [d.id for d in window.session.project.documents]
    assert window.shown_documents() == ids[:3]
    window.panes.focus_pane(ids[2])
    pane = window.panes.current_pane()
    assert pane is not None
    qtbot.keyClick(pane.view, Qt.Key.Key_PageDown, CTRL)
    assert window.shown_documents() == [ids[0], ids[1], ids[3]]
    assert window.panes.current_id == ids[3]
    pane = window.panes.current_pane()
    assert pane is not None
    qtbot.keyClick(pane.view, Qt.Key.Key_PageUp, CTRL)
    assert window.panes.current_id == ids[2]
    pane = window.panes.current_pane()
    assert pane is not None
    qtbot.keyClick(pane.view, Qt.Key.Key_PageUp, CTRL)  # back, passing the shown ones, round
    assert window.panes.current_id == ids[5]
    assert window.shown_documents() == [ids[0], ids[1], ids[5]]


def test_a_glance_writes_nothing_and_a_minute_of_work_is_kept(
    qtbot: QtBot, open_main_window: OpenWindow, tmp_path: Path, monkeypatch: Any
) -> None:
    """Opening and closing a project writes nothing; a minute of keys in a document is
    counted and saved at close (idle gaps over two minutes are not)."""
    from annotator.io.load import open_project
    from annotator.io.save import save_project
    from annotator.ui.window import queue as queue_module

    folder = corpus(tmp_path / "p", 3)
    project, _ = open_project(folder)
    save_project(project)
    file = folder / "annotator.json"
    before = file.read_bytes()
    now = [1000.0]
    monkeypatch.setattr(queue_module, "time", SimpleNamespace(monotonic=lambda: now[0]))

    window = open_main_window(folder)
    window.queue._last = now[0]
    window.queue.tick()
    now[0] += 1.0
    window.queue.tick()
    window.close()
    assert file.read_bytes() == before  # a glance

    window = open_main_window(folder)
    doc = window.panes.current_id
    window.queue._last = now[0]
    window.queue.tick()
    for step in (20.0, 20.0, 20.0, 600.0):  # a minute of work, then ten idle minutes
        now[0] += step
        window.queue.tick()
    window.close()
    again, _ = open_project(folder)
    assert again.work.record("", doc).seconds == pytest.approx(60.0)
