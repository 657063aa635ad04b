"""File ▸ Export… and File ▸ Import… driven through their dialogs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from pytestqt.qtbot import QtBot

from annotator.ui.exchange import ExportDialog, ImportDialog
from tests.ui.conftest import OpenWindow

A = "Zoë Varga met 🙂 Ana.\r\nThe river rose 2.4 m.\r\n"


def fill_and_accept(qtbot: QtBot, dialog_type: type, fill: Any) -> None:
    """When the dialog opens, fill it in like a person and press its OK button."""

    def act() -> None:
        dialog = next(
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, dialog_type) and w.isVisible()
        )
        fill(qtbot, dialog)
        ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)

    QTimer.singleShot(50, act)


def test_export_dialog_writes_conll_off_thread(
    qtbot: QtBot, open_main_window: OpenWindow, write_articles: Any, tmp_path: Path
) -> None:
    window = open_main_window(write_articles({"a.txt": A}))
    from annotator.core.commands import AddSpan, make_span

    doc = window.session.project.document("a")
    window.session.run(AddSpan("a", make_span(doc, 0, 9, "entity")))
    out = tmp_path / "out.conll"

    def fill(bot: QtBot, dialog: ExportDialog) -> None:
        dialog.format.setCurrentIndex(dialog.format.findData("conll"))
        dialog.output.setText(str(out))
        dialog.scheme.setCurrentText("bilou")

    with qtbot.waitSignal(window.exchange.finished, timeout=10000):
        fill_and_accept(qtbot, ExportDialog, fill)
        window.actions_by_name["export"].trigger()
    lines = out.read_text("utf-8").splitlines()
    assert lines[:2] == ["-DOCSTART- -X- O O", ""]
    assert lines[2:4] == ["Zoë B-entity", "Varga L-entity"]
    assert "Exported 1 span to" in window.statusBar().currentMessage()


def test_import_dialog_adds_documents_and_suggestions(
    qtbot: QtBot, open_main_window: OpenWindow, write_articles: Any, tmp_path: Path
) -> None:
    window = open_main_window(write_articles({"a.txt": A}))
    records = tmp_path / "in.jsonl"
    records.write_text(
        json.dumps({"id": "a", "text": A, "spans": [{"start": 16, "end": 19, "label": "entity"}]})
        + "\n"
        + json.dumps(
            {
                "id": "new-one",
                "text": "A brand new report.",
                "spans": [{"start": 2, "end": 7, "label": "claim"}],
            }
        )
        + "\n",
        encoding="utf-8",
    )

    def fill(bot: QtBot, dialog: ImportDialog) -> None:
        dialog.format.setCurrentIndex(dialog.format.findData("jsonl"))
        dialog.path.setText(str(records))
        dialog.as_suggestions.setChecked(True)

    with qtbot.waitSignal(window.exchange.finished, timeout=10000):
        fill_and_accept(qtbot, ImportDialog, fill)
        window.actions_by_name["import"].trigger()
    project = window.session.project
    assert [d.id for d in project.documents] == ["a", "new-one"]
    assert window.documents.rowCount() == 2
    assert (project.root / project.document("new-one").path).read_text(
        "utf-8"
    ) == "A brand new report."
    got = {(d.id, s.text, s.status) for d in project.documents for s in d.spans()}
    assert got == {("a", "Ana", "pending"), ("new-one", "brand", "pending")}
    assert window.isWindowModified()
    window.session.undo()  # the spans are one undo step
    assert not any(d.spans() for d in project.documents)
    assert window.session.save()


def test_export_dialog_refuses_an_empty_destination(
    qtbot: QtBot, open_main_window: OpenWindow, write_articles: Any
) -> None:
    window = open_main_window(write_articles({"a.txt": A}))
    dialog = ExportDialog(window, window.shown_documents())
    with pytest.raises(ValueError, match="Choose where"):
        dialog.request()


def test_a_hostile_import_file_gets_a_message_in_the_window_and_changes_nothing(
    qtbot: QtBot, open_main_window: OpenWindow, write_articles: Any, tmp_path: Path
) -> None:
    from PySide6.QtWidgets import QMessageBox

    from annotator.formats.records import ImportOptions
    from annotator.ui.exchange import ImportRequest

    window = open_main_window(write_articles({"a.txt": A}))
    before = window.session.project.span_count
    hostile = tmp_path / "deep.jsonl"
    hostile.write_bytes(
        b"[" * 200_000 + b"]" * 200_000 + b"\n" + b'{"id": "a", "text": "\\ud800"}\n'
    )
    seen: list[str] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox) or box.objectName() != "importProblems":
            QTimer.singleShot(20, answer)
            return
        seen.append(box.detailedText())
        box.reject()  # Cancel: import nothing

    QTimer.singleShot(0, answer)
    with qtbot.waitSignal(window.exchange.finished, timeout=20000):
        window.exchange.import_(ImportRequest("jsonl", hostile, ImportOptions(add_documents=True)))
    assert len(seen) == 1
    assert "deep.jsonl, line 1: not JSON that can be read: lists and objects nested" in seen[0]
    assert "deep.jsonl, line 2: not JSON that can be read: the escape \\ud800" in seen[0]
    assert "Traceback" not in seen[0] and "RecursionError" not in seen[0]
    assert window.session.project.span_count == before
    assert not window.session.history.can_undo
