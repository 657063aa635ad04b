"""Every menu action that changes the project leaves exactly one undo step.

The test walks every action of the window's menus (the action catalogue, the label
actions and Review ▸ Suggest With), each in a state where it has something to act on
(a selection, a selected span, a pending suggestion under review, a file to import),
answers its dialogs like a person, and compares the project before and after: an
action that changed anything must have added one step to the history, and undoing it
must give the project back exactly as it was.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QFileDialog, QMenu, QMessageBox
from pytestqt.qtbot import QtBot

from annotator.core.project import Project
from annotator.core.relating import link
from annotator.ui.actions import ACTIONS
from annotator.ui.document_dialog import DocumentInfoDialog
from annotator.ui.exchange import ImportDialog
from annotator.ui.label_dialog import LabelDialog
from annotator.ui.main_window import MainWindow
from annotator.ui.relation_type_dialog import RelationTypeDialog
from annotator.ui.session import SpanRef
from tests.ui.conftest import OpenWindow

# what is not a change of the project, or ends the session
NOT_EDITS = {"undo", "redo", "quit", "open"}


def state(project: Project) -> object:
    return (
        tuple((lb.name, lb.key, lb.color) for lb in project.labels),
        tuple(
            (
                d.id,
                d.title,
                d.source,
                tuple(sorted((s.id, s.start, s.end, s.label, s.status) for s in d.spans())),
            )
            for d in project.documents
        ),
        tuple(sorted((r.id, r.type, r.status) for r in project.relations())),
        tuple(t.name for t in project.relation_types),
        tuple(sorted(project.cluster_names.items())),
        # documents marked done (issue 32); "in progress", time and decisions record that
        # work happened and are not undone
        tuple(sorted((who, doc) for who, doc, r in project.work.items() if r.status == "done")),
        tuple(d.assigned for d in project.documents),
    )


def menu_actions(window: MainWindow) -> list[QAction]:
    found: list[QAction] = []

    def walk(menu: QMenu) -> None:
        for action in menu.actions():
            if action.menu() is not None:
                walk(action.menu())  # type: ignore[arg-type]
            elif not action.isSeparator():
                found.append(action)

    for top in window.menuBar().actions():
        if top.menu() is not None:
            walk(top.menu())  # type: ignore[arg-type]
    return found


def prepare(window: MainWindow, name: str) -> None:
    """Something for the action to act on: a fresh word selected in the current pane, a
    span selected, review mode on a pending suggestion for the review actions."""
    session = window.session
    review = name.startswith("review_")
    if window.review.active != review:
        window.set_review_mode(review)
    pane = window.panes.current_pane()
    assert pane is not None
    doc = pane.document
    tagged = {(s.start, s.end) for s in doc.spans()}
    # the names differ by outlet (Varga, Warga): variant spellings to find
    word = "Varga" if name == "tag_all_variants" and "Varga" in doc.text else "Saltmarsh"
    start = 0
    while True:
        start = doc.text.find(word, start)
        if start < 0 or (start, start + len(word)) not in tagged:
            break
        start += 1
    if start >= 0:
        pane.view.select_range(start, start + len(word))
    spans = doc.spans()
    window.link_tools.mode.cancel()
    if spans and not review:
        session.select(SpanRef(doc.id, spans[0].id))
    if name == "reopen_document":  # something to reopen: the current document, done
        from annotator.ops import progress

        batch = progress.mark_done(session.project, [doc.id], window.queue.who())
        if batch is not None:
            session.run(batch)
    if name == "take_out_of_cluster" and len(spans) > 2:
        # a cluster of three: taking the first span out leaves the other two joined
        first, second, third = ((doc.id, s.id) for s in spans[:3])
        session.run(link(session.project, "same", first, second))
        session.run(link(session.project, "same", second, third))


@pytest.fixture
def answered(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Dialogs answered as a person would: the import dialog and the title dialog filled
    and accepted, the suggestions file chosen, every other dialog and question declined."""
    preds = tmp_path / "preds.jsonl"
    text = "A new report about the harbour wall and the Saltmarsh district.\n"
    span = {"start": text.index("harbour"), "end": text.index("harbour") + 7, "label": "place"}
    preds.write_text(
        json.dumps({"id": "new report", "text": text, "spans": [span]}) + "\n", "utf-8"
    )
    # predictions for a document of the sample, by id and without its text
    suggestions = tmp_path / "suggestions.jsonl"
    tuesday = {"start": 0, "end": 9, "label": "claim"}
    suggestions.write_text(json.dumps({"id": "bay-radio", "spans": [tuesday]}) + "\n", "utf-8")

    def exec_(dialog: QDialog) -> int:
        if isinstance(dialog, ImportDialog):
            dialog.path.setText(str(preds))
            dialog.add_labels.setChecked(True)  # "place" is new: the import adds it
            return int(QDialog.DialogCode.Accepted)
        if isinstance(dialog, LabelDialog):
            row = dialog.add_row(None, None)
            dialog.table.item(row, 0).setText(f"label {row}")  # a new label each time
            return int(QDialog.DialogCode.Accepted)
        if isinstance(dialog, RelationTypeDialog):
            row = dialog.add_row(None, None)
            dialog.table.item(row, 0).setText(f"type {row}")  # a new relation type each time
            return int(QDialog.DialogCode.Accepted)
        if isinstance(dialog, DocumentInfoDialog):
            dialog.title.setText("A title set in the test")
            dialog.source.setText("An outlet")
            return int(QDialog.DialogCode.Accepted)
        if isinstance(dialog, QMessageBox):
            return int(QMessageBox.StandardButton.Cancel)
        return int(QDialog.DialogCode.Rejected)

    monkeypatch.setattr(QDialog, "exec", exec_)
    monkeypatch.setattr(QMessageBox, "exec", exec_)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(suggestions), ""))
    article = tmp_path / "extra-article.txt"
    article.write_text("The harbour master spoke to the press on Friday.\n", "utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(article)], ""))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: ("", ""))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: "")
    return preds


def wait_for_tools(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(
        lambda: not window.suggestion_tools.busy and window.exchange.task is None, timeout=20000
    )


def test_every_changing_action_leaves_one_undo_step(
    qtbot: QtBot, open_main_window: OpenWindow, sample_copy: Path, answered: Any
) -> None:
    window = open_main_window(sample_copy)
    session = window.session
    with qtbot.waitSignal(window.suggestion_tools.finished, timeout=30000):
        window.suggestion_tools.run_extractor("quotes")  # pending suggestions to review
    changed: set[str] = set()
    # by name: label actions are made anew when an import adds a label
    for object_name in [a.objectName() for a in menu_actions(window)]:
        name = object_name.removeprefix("action_")
        if name in NOT_EDITS:
            continue
        action = next(a for a in menu_actions(window) if a.objectName() == object_name)
        prepare(window, name)
        before, depth = state(session.project), session.history.depth
        if action.isEnabled():
            action.trigger()
            wait_for_tools(qtbot, window)
        after = state(session.project)
        if after == before:
            assert session.history.depth == depth, f"{name}: an undo step without a change"
            continue
        changed.add(name)
        assert session.history.depth == depth + 1, f"{name} changed the project without undo"
        session.undo()
        assert state(session.project) == before, f"{name}: undo did not give it back"
        session.redo()
        assert state(session.project) == after, f"{name}: redo did not do it again"
    # the test acted for real: every action the catalogue says changes the project did
    declared = {spec.name for spec in ACTIONS if spec.changes}
    assert declared <= changed, declared - changed
    assert "suggest_quotes" in changed
    assert session.project.label("place") is not None  # the import's label, redone
    assert any(n.startswith("label_") for n in changed)  # tag or relabel with a label key
