"""An import is one undo step that takes everything back, and redo puts it all back."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from annotator.core.commands import AddSpan, make_span
from annotator.formats import FORMATS
from annotator.formats.records import ImportOptions, plan_import
from annotator.io.load import open_project
from annotator.io.save import save_project
from annotator.ops.importing import ImportCommand
from annotator.ui.session import Session
from tests.ui.conftest import OpenWindow

TEXT = "The night ferry to Gull Island was cancelled after a storm warning.\n"


def records(tmp_path: Path) -> Path:
    start = TEXT.index("Gull Island")
    path = tmp_path / "news.jsonl"
    span = {"start": start, "end": start + 11, "label": "place"}
    path.write_text(json.dumps({"id": "news 1", "text": TEXT, "spans": [span]}) + "\n", "utf-8")
    return path


def plan_for(session: Session, path: Path) -> object:
    reader = FORMATS["jsonl"].read
    assert reader is not None
    options = ImportOptions(add_documents=True, add_labels=True)
    return plan_import(session.project, reader(path), options)


def test_undo_takes_back_documents_files_and_labels_and_redo_puts_them_back(
    qtbot: QtBot, open_main_window: OpenWindow, sample_copy: Path, tmp_path: Path
) -> None:
    window = open_main_window(sample_copy)
    project = window.session.project
    before_docs = [d.id for d in project.documents]
    plan = plan_for(window.session, records(tmp_path))
    window.add_imported(plan)  # type: ignore[arg-type]
    article = sample_copy / project.document("news 1").path
    assert article.read_text("utf-8") == TEXT
    assert project.label("place") is not None
    assert "place" in window.label_bar.buttons and "place" in window.label_actions
    assert window.documents.rowCount() == len(before_docs) + 1
    assert window.session.history.undo_text == "Import 1 span"

    pane = window.panes.current_pane()
    assert pane is not None
    qtbot.keyClick(pane.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [d.id for d in project.documents] == before_docs  # one step took it all back
    assert project.label("place") is None and "place" not in window.label_bar.buttons
    assert not article.exists()
    assert "removed 1 article file it had written" in window.statusBar().currentMessage()
    assert window.documents.rowCount() == len(before_docs)

    qtbot.keyClick(
        pane.view,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert project.has_document("news 1") and article.read_text("utf-8") == TEXT
    assert [(s.text, s.label) for s in project.document("news 1").spans()] == [
        ("Gull Island", "place")
    ]
    assert project.label("place") is not None


def test_undo_keeps_an_article_file_that_was_changed_since(
    sample_copy: Path, tmp_path: Path
) -> None:
    project, _ = open_project(sample_copy)
    save_project(project)
    reader = FORMATS["jsonl"].read
    assert reader is not None
    plan = plan_import(project, reader(records(tmp_path)), ImportOptions(add_documents=True))
    command = ImportCommand(plan)
    command.do(project)
    article = sample_copy / project.document("news 1").path
    article.write_text(TEXT + "An editor added a line.\n", "utf-8")
    command.undo(project)
    assert article.exists() and command.kept == [article.name]
    assert "kept" in command.undo_note()


def test_a_bug_in_a_command_surfaces_as_a_bug(
    open_main_window: OpenWindow, sample_copy: Path
) -> None:
    window = open_main_window(sample_copy)
    doc = window.session.project.documents[0]
    span = make_span(doc, 0, 5, "entity")
    with pytest.raises(KeyError):
        window.session.run(AddSpan("no such document", span))  # not a message: a bug
    refused: list[str] = []
    window.session.edit_refused.connect(refused.append)
    assert window.session.run(AddSpan(doc.id, span))
    assert not window.session.run(AddSpan(doc.id, span))  # an EditError is a message
    assert refused and "exists already" in refused[0]
