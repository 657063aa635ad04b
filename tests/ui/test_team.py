"""Two annotators on one project folder (two settings folders), the name they work
under, review decisions that record it, and Analysis ▸ Agreement."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QInputDialog, QLabel, QMenu, QPushButton, QTableWidget, QTabWidget
from pytestqt.qtbot import QtBot

from annotator.io.load import open_project
from annotator.ops.agreeing import agreement
from annotator.settings import load_settings
from annotator.ui.main_window import MainWindow
from tests.ui.conftest import OpenWindow
from tests.ui.helpers import drag_select

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
A = "Ana Lee met Bo Chen in Oslo. She said rates will rise soon.\n"
B = "Ana Lee spoke in Oslo on Monday.\n"


def answer_name(monkeypatch: pytest.MonkeyPatch, *names: str) -> list[str]:
    """The name dialog answers ``names`` in turn; returns the label texts it showed."""
    shown: list[str] = []
    queue = list(names)

    def answer(dialog: QInputDialog) -> int:
        shown.append(dialog.labelText())
        dialog.setTextValue(queue.pop(0))
        return int(QInputDialog.DialogCode.Accepted)

    monkeypatch.setattr(QInputDialog, "exec", answer)
    return shown


def menu_action(window: MainWindow, menu: str, name: str) -> QAction:
    top = next(m for m in window.menuBar().actions() if m.text() == f"&{menu}").menu()
    action = window.findChild(QAction, f"action_{name}")
    assert action is not None and action in top.actions()
    return action


def tag(qtbot: QtBot, window: MainWindow, doc_id: str, word: str, key: Qt.Key) -> None:
    pane = window.panes.panes[doc_id]
    start = pane.document.text.index(word)
    drag_select(qtbot, pane.view, start, start + len(word))
    qtbot.keyClick(pane.view, key)


def work_as(
    qtbot: QtBot,
    open_main_window: OpenWindow,
    monkeypatch: pytest.MonkeyPatch,
    home: Path,
    folder: Path,
    name: str,
    words: list[tuple[str, str, Qt.Key]],
) -> MainWindow:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / name / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / name / "data"))
    window = open_main_window(folder)
    answer_name(monkeypatch, name)
    menu_action(window, "File", "annotator_name").trigger()
    assert window.findChild(QLabel, "annotatorName").text() == f"Annotator: {name}"
    for doc_id, word, key in words:
        tag(qtbot, window, doc_id, word, key)
    qtbot.keyClick(
        window.focusWidget() or window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier
    )
    return window


def test_two_annotators_then_agreement(
    qtbot: QtBot,
    open_main_window: OpenWindow,
    write_articles: Any,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    folder = write_articles({"a.txt": A, "b.txt": B})
    one, two, three = Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_3
    ann = work_as(
        qtbot,
        open_main_window,
        monkeypatch,
        tmp_path,
        folder,
        "ann",
        [
            ("a", "Ana Lee", one),
            ("a", "Oslo", one),
            ("a", "rates will rise soon", three),
            ("b", "Ana Lee", one),
        ],
    )
    assert ann.close()  # saves and lets go of the lock
    bob = work_as(
        qtbot,
        open_main_window,
        monkeypatch,
        tmp_path,
        folder,
        "bob",
        [
            ("a", "Ana Lee", one),
            ("a", "Oslo", two),
            ("a", "rates will rise", three),
            ("b", "Ana Lee", one),
            ("b", "Monday", one),
        ],
    )
    assert load_settings().author == "bob"
    project, _ = open_project(folder)
    by_author = sorted((s.author, s.text, s.label) for d in project.documents for s in d.spans())
    assert [a for a, _t, _l in by_author].count("ann") == 4
    assert ("bob", "Oslo", "claim") in by_author and ("ann", "Oslo", "entity") in by_author

    menu_action(bob, "Analysis", "agreement").trigger()
    dialog = bob.team.dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=10000)
    expected = agreement(project)
    assert dialog.chosen_annotators() == ["ann", "bob"]
    tabs = dialog.findChild(QTabWidget, "agreementTabs")
    titles = [tabs.tabText(i) for i in range(tabs.count())]
    assert titles[0] == "ann (A) ↔ bob (B): spans"
    table = tabs.widget(0)
    assert isinstance(table, QTableWidget)
    assert table.item(0, 0).text() == "all labels"
    f1 = expected["pairs"][0]["overall"]["exact"]["f1"]
    assert table.item(0, 4).text() == f"{f1:.3f}"
    assert f1 == pytest.approx(2 * 2 / (4 + 5))  # the two "Ana Lee" match exactly
    # one annotator unticked: no pair is left, and the dialog says so
    dialog.people.item(1).setCheckState(Qt.CheckState.Unchecked)
    bob.team.compute()
    qtbot.waitUntil(lambda: dialog.report is None, timeout=10000)
    assert "two annotators" in dialog.heading.text()
    # saved as CSV, read back as a table
    dialog.people.item(1).setCheckState(Qt.CheckState.Checked)
    bob.team.compute()
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=10000)
    dialog.save(tmp_path / "agreement.csv")
    assert "cohen_kappa" in (tmp_path / "agreement.csv").read_text(encoding="utf-8")


def test_a_name_that_cannot_be_used_is_asked_again(
    open_main_window: OpenWindow, sample_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_main_window(sample_copy)
    assert window.findChild(QLabel, "annotatorName").text() == "No annotator name"
    shown = answer_name(monkeypatch, "../evil", "   ", "Zoë  Varga")
    assert window.team.ask_name() == "Zoë Varga"
    assert "cannot hold" in shown[1] and "cannot be empty" in shown[2]
    assert load_settings().author == "Zoë Varga"
    assert window.session.project.annotator == "Zoë Varga"


def test_review_decisions_record_the_reviewer(
    qtbot: QtBot,
    open_main_window: OpenWindow,
    write_articles: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder = write_articles({"a.txt": A, "b.txt": B})
    window = open_main_window(folder)
    answer_name(monkeypatch, "rev")
    window.team.ask_name()
    with qtbot.waitSignal(window.suggestion_tools.finished, timeout=5000):
        window.suggestion_tools.import_suggestions(predictions_for(tmp_path / "p.jsonl"))
    assert all(s.author is None for d in window.session.project.documents for s in d.spans())
    qtbot.keyClick(
        window.focusWidget() or window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier
    )
    qtbot.keyClick(window.focusWidget() or window, Qt.Key.Key_A)
    qtbot.keyClick(window.focusWidget() or window, Qt.Key.Key_R)
    decided = {
        s.text: (s.status, s.author) for d in window.session.project.documents for s in d.spans()
    }
    assert decided["Ana Lee"] == ("accepted", "rev")
    assert decided["Oslo"] == ("rejected", "rev")
    window.session.undo()
    again = {s.text: s.author for d in window.session.project.documents for s in d.spans()}
    assert again["Oslo"] is None  # undone: the decision and who made it


def predictions_for(path: Path) -> Path:
    import json

    def span(text: str, word: str) -> dict[str, Any]:
        start = text.index(word)
        return {"start": start, "end": start + len(word), "label": "entity", "score": 0.9}

    records = [{"id": "a", "text": A, "spans": [span(A, "Ana Lee"), span(A, "Oslo")]}]
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    return path


def adjudicating_as_cleo(
    qtbot: QtBot, open_main_window: OpenWindow, monkeypatch: pytest.MonkeyPatch, folder: Path
) -> MainWindow:
    """Ann's and bob's project open as cleo, Analysis ▸ Adjudicate on (Ctrl+Shift+J)."""
    window = open_main_window(folder)
    answer_name(monkeypatch, "cleo")
    window.team.ask_name()
    qtbot.keyClick(window.focusWidget() or window, Qt.Key.Key_J, CTRL_SHIFT)
    return window


def test_adjudicate_with_the_keyboard_then_export_gold(
    qtbot: QtBot,
    open_main_window: OpenWindow,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    from annotator.core.models import GOLD, layer_name
    from tests.agreement.test_agree_cli import ANN, BOB, team_project

    folder = team_project(tmp_path, {"ann": ANN, "bob": BOB})
    window = adjudicating_as_cleo(qtbot, open_main_window, monkeypatch, folder)
    panel = window.adjudicate_panel
    assert window.adjudicateDock.isVisible() and panel.table.hasFocus()
    assert (panel.first.currentText(), panel.second.currentText()) == ("ann", "bob")
    assert panel.model.rowCount() == 4
    first = panel.current()
    assert first is not None and first[1].kind == "boundaries"
    # the item shows in its pane: the selected span is one of its spans
    selected = window.session.selected
    assert selected is not None and selected.document_id == "a"
    assert selected.span_id in {s.id for spans in first[1].spans.values() for s in spans}
    for key in (Qt.Key.Key_B, Qt.Key.Key_A, Qt.Key.Key_T, Qt.Key.Key_N):
        qtbot.keyClick(panel.table, key)
    assert panel.model.rowCount() == 0
    assert "Nothing left" in panel.counts.text()
    qtbot.mouseClick(panel.findChild(QPushButton, "acceptAgreed"), Qt.MouseButton.LeftButton)
    project = window.session.project
    golden = sorted(
        (s.text, s.status, s.author)
        for d in project.documents
        for s in d.spans()
        if layer_name(s) == GOLD
    )
    assert golden == [
        ("Ana Lee", "accepted", "cleo"),
        ("Ana Lee", "accepted", "cleo"),
        ("Bo", "accepted", "cleo"),
        ("Bo Chen", "rejected", "cleo"),
        ("Oslo", "accepted", "cleo"),
        ("rates will rise", "accepted", "cleo"),
        ("rates will rise soon", "accepted", "cleo"),
    ]
    # every decision is one undo step; undo brings its item back to the queue
    window.session.undo()
    window.session.undo()
    assert panel.model.rowCount() == 1
    window.session.redo()
    window.session.redo()
    assert panel.model.rowCount() == 0
    qtbot.keyClick(
        window.focusWidget() or window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier
    )
    from tests.test_cli import run

    out = tmp_path / "gold.jsonl"
    assert (
        run("export", str(folder), "-f", "jsonl", "--layer", "gold", "-o", str(out)).returncode == 0
    )
    texts = sorted(
        s["text"]
        for line in out.read_text(encoding="utf-8").splitlines()
        for s in json.loads(line)["spans"]
    )
    assert texts == ["Ana Lee", "Ana Lee", "Bo", "Oslo", "rates will rise", "rates will rise soon"]


def test_other_layers_are_read_only_and_can_be_shown_alone(
    qtbot: QtBot,
    open_main_window: OpenWindow,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    from annotator.core.models import layer_name
    from tests.agreement.test_agree_cli import ANN, BOB, team_project

    folder = team_project(tmp_path, {"ann": ANN, "bob": BOB})
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "ann-config"))
    window = open_main_window(folder)
    answer_name(monkeypatch, "ANN")  # the project spells her "ann": that is who she is
    assert window.team.ask_name() == "ann"
    assert window.session.project.annotator == "ann"
    assert "already spells" in window.statusBar().currentMessage()
    menu = window.findChild(QMenu, "layerMenu")
    menu.aboutToShow.emit()
    names = [a.objectName() for a in menu.actions()]
    assert names == [
        "action_layer_all",
        "action_layer_ann",
        "action_layer_bob",
        "action_layer_gold",
    ]
    project = window.session.project

    def drawn() -> set[str | None]:
        window.panes.overlay.relayout()
        lines = window.panes.overlay.lines
        return {project.relation(line.relation_id).author for line in lines}

    assert drawn() == {"ann", "bob"}  # both linked Ana Lee across the articles
    next(a for a in menu.actions() if a.objectName() == "action_layer_bob").trigger()
    assert drawn() == {"bob"}
    pane = window.panes.panes["a"]
    shown = {s.author for s in pane.document.spans() if pane.painter.visible(s)}
    assert shown == {"bob"}
    rows = window.span_panel.model.rowCount()
    assert rows == sum(
        s.author == "bob" for d in window.session.project.documents for s in d.spans()
    )
    # the pane's header counts bob's spans of the article, and says whose they are
    bobs = sum(s.author == "bob" for s in pane.document.spans())
    assert pane.source.text().endswith(f"· {bobs} spans (bob)")
    # bob's Oslo (a claim): select it and press Delete, as ann
    doc = pane.document
    oslo = next(s for s in doc.spans() if s.author == "bob" and s.text == "Oslo")
    window.reveal_span("a", oslo)
    with qtbot.waitSignal(window.session.edit_refused, timeout=2000) as refused:
        qtbot.keyClick(pane.view, Qt.Key.Key_Delete)
    assert "bob's work is read-only" in refused.args[0]
    assert doc.get_span(oslo.id) is not None
    assert not window.session.history.can_undo
    # her own is hers to change
    window.team.show_layer("ann")
    mine = next(s for s in doc.spans() if s.author == "ann" and s.text == "Oslo")
    window.reveal_span("a", mine)
    qtbot.keyClick(pane.view, Qt.Key.Key_Delete)
    assert doc.get_span(mine.id) is None
    assert all(layer_name(s) for s in doc.spans())
    left = sum(s.author == "ann" for s in doc.spans())
    assert pane.source.text().endswith(f"· {left} spans (ann)")


def test_the_team_example_opens_from_the_help_menu_with_two_layers(
    qtbot: QtBot, open_main_window: OpenWindow, sample_copy: Path
) -> None:
    from annotator.settings import team_example
    from annotator.ui.app import Launcher

    launcher = Launcher(load_settings())
    assert launcher.open(sample_copy)
    window = launcher.window
    assert window is not None
    qtbot.addWidget(window)
    action = menu_action(window, "Help", "team_example")
    action.trigger()
    qtbot.waitUntil(
        lambda: launcher.window is not window and launcher.window is not None, timeout=10000
    )
    opened = launcher.window
    assert opened is not None
    qtbot.addWidget(opened)
    assert opened.session.project.root == team_example().resolve()
    report = agreement(opened.session.project)
    assert report["annotators"] == ["ann", "bob"]
    pair = report["pairs"][0]
    assert 0 < pair["overall"]["exact"]["f1"] < 1  # they agree on much, not on all
    assert pair["relations"]["links"]["typed"]["matched"] >= 2
    opened.set_adjudicating(True)
    assert opened.adjudicate_panel.model.rowCount() >= 5


def test_two_layers_side_by_side_follow_the_queue(
    qtbot: QtBot, open_main_window: OpenWindow, tmp_path: Path
) -> None:
    from tests.agreement.test_agree_cli import ANN, BOB, team_project

    window = open_main_window(team_project(tmp_path, {"ann": ANN, "bob": BOB}))
    menu_action(window, "Analysis", "adjudicate").trigger()
    assert window.sideDock.isVisible()  # adjudicating shows the two layers beside
    side = window.layer_panes
    assert side.layers() == ("ann", "bob")
    left, right = side.panes
    for pane, who in ((left, "ann"), (right, "bob")):
        shown = {s.author for s in pane.document.spans() if pane.painter.visible(s)}
        assert shown == {who}
    heads = [h.text() for h in side.heads]
    assert heads == ["ann's work", "bob's work"]
    # the next item's document and layers follow; a decision repaints both
    panel = window.adjudicate_panel
    item = panel.current()
    assert item is not None and side.doc_id == item[1].document
    qtbot.keyClick(panel.table, Qt.Key.Key_A)
    assert side.doc_id == panel.current()[1].document  # type: ignore[index]
    # outside adjudication it follows the current pane; gold can be one side
    menu_action(window, "Analysis", "adjudicate").trigger()
    side.choices[1].setCurrentText("gold")
    side.refresh()
    assert side.heads[1].text() == "Gold (adjudicated)"
    gold = [s for s in right.document.spans() if right.painter.visible(s)]
    assert gold and all(s.adjudication is not None for s in gold)
    window.panes.panes["b"].view.setFocus()
    qtbot.waitUntil(lambda: side.doc_id == "b", timeout=2000)


def test_a_colleagues_export_imported_from_the_window_is_their_layer(
    qtbot: QtBot, open_main_window: OpenWindow, tmp_path: Path
) -> None:
    from annotator.ui.exchange import ExportDialog, ImportDialog
    from tests.agreement.test_agree_cli import ANN, BOB, team_project
    from tests.test_cli import run
    from tests.ui.test_exchange import fill_and_accept

    theirs = team_project(tmp_path / "bob", {"bob": BOB})
    export = tmp_path / "bob.jsonl"
    assert run("export", str(theirs), "-f", "jsonl", "-o", str(export)).returncode == 0
    window = open_main_window(team_project(tmp_path / "ann", {"ann": ANN}))

    def fill(bot: QtBot, dialog: ImportDialog) -> None:
        dialog.format.setCurrentIndex(dialog.format.findData("jsonl"))
        dialog.path.setText(str(export))
        dialog.annotator.setText("bob")

    with qtbot.waitSignal(window.exchange.finished, timeout=10000):
        fill_and_accept(qtbot, ImportDialog, fill)
        window.actions_by_name["import"].trigger()
    project = window.session.project
    authors = [s.author for d in project.documents for s in d.spans()]
    assert authors.count("bob") == len(BOB) and authors.count("ann") == len(ANN)
    assert window.session.save()
    assert (project.root / "annotations" / "bob.json").is_file()  # a team project now
    # the export dialog offers the layers; choosing one exports only it
    out = tmp_path / "only-bob.jsonl"

    def choose(bot: QtBot, dialog: ExportDialog) -> None:
        dialog.format.setCurrentIndex(dialog.format.findData("jsonl"))
        dialog.output.setText(str(out))
        names = [dialog.layer.itemData(i) for i in range(dialog.layer.count())]
        assert names == [None, "ann", "bob", "gold"]
        dialog.layer.setCurrentIndex(names.index("bob"))

    with qtbot.waitSignal(window.exchange.finished, timeout=10000):
        fill_and_accept(qtbot, ExportDialog, choose)
        window.actions_by_name["export"].trigger()
    spans = [
        s
        for line in out.read_text(encoding="utf-8").splitlines()
        for s in json.loads(line)["spans"]
    ]
    assert {s["author"] for s in spans} == {"bob"} and len(spans) == len(BOB)
    # a name that cannot be a name is said, and nothing is imported
    dialog = ImportDialog(window)
    dialog.path.setText(str(export))
    dialog.annotator.setText("../evil")
    with pytest.raises(ValueError, match="cannot be used"):
        dialog.request()


def test_while_adjudicating_a_span_tagged_by_hand_goes_into_gold(
    qtbot: QtBot,
    open_main_window: OpenWindow,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    """Neither version is right: the adjudicator tags their own, which is gold and
    decides the item; with only gold shown, tagging goes into gold as well."""
    from annotator.core.models import GOLD, layer_name
    from tests.agreement.test_agree_cli import ANN, BOB, team_project

    folder = team_project(tmp_path, {"ann": ANN, "bob": BOB})
    window = adjudicating_as_cleo(qtbot, open_main_window, monkeypatch, folder)
    panel = window.adjudicate_panel
    before = panel.model.rowCount()
    quote_items = [i for i in panel.model.items if "rates" in i.describe(window.session.project)]
    assert len(quote_items) == 1
    tag(qtbot, window, "a", "She said rates will rise soon", Qt.Key.Key_3)
    project = window.session.project

    def gold() -> list[tuple[str, str, str | None, list[str]]]:
        return sorted(
            (s.text, s.label, s.author, s.adjudication.sources)
            for d in project.documents
            for s in d.spans()
            if layer_name(s) == GOLD and s.adjudication is not None
        )

    assert gold() == [("She said rates will rise soon", "quote", "cleo", [])]
    assert panel.model.rowCount() == before - 1  # the item it overlaps is decided
    assert all("rates" not in i.describe(project) for i in panel.model.items)
    assert "gold layer" in window.statusBar().currentMessage()
    # one undo step takes it out again, and the item comes back
    window.session.undo()
    assert gold() == [] and panel.model.rowCount() == before
    # not adjudicating, with only gold shown: still gold
    qtbot.keyClick(window.focusWidget() or window, Qt.Key.Key_J, CTRL_SHIFT)
    assert not window.actions_by_name["adjudicate"].isChecked()
    window.team.show_layer(GOLD)
    tag(qtbot, window, "b", "Monday", Qt.Key.Key_2)
    assert [g[:3] for g in gold()] == [("Monday", "claim", "cleo")]
    # with my own layer shown, tagging is mine again
    window.team.show_layer("")
    tag(qtbot, window, "b", "spoke", Qt.Key.Key_2)
    spoke = next(s for s in project.document("b").spans() if s.text == "spoke")
    assert spoke.adjudication is None and spoke.author == "cleo"
