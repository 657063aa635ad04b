"""Comparing the outlets in the window: the aligners from Review ▸ Suggest With, every
suggestion decided with the keyboard, then View ▸ Compare (Ctrl+Shift+C): rows, marks,
a click that scrolls the pane, a matrix that follows undo, and the report exported."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from pytestqt.qtbot import QtBot

from annotator.core.comparison import Row
from annotator.core.review import RelationKey, decide_relation
from annotator.ui.main_window import MainWindow
from tests.conftest import REPO
from tests.ui.conftest import OpenWindow

SAMPLE = REPO / "resources" / "sample"


def key(qtbot: QtBot, window: MainWindow, k: Qt.Key, mod=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(window.focusWidget() or window, k, mod)


def suggest_with(qtbot: QtBot, window: MainWindow, name: str) -> None:
    action = window.findChild(QAction, f"action_suggest_{name}")
    assert action is not None, name
    with qtbot.waitSignal(window.suggestion_tools.finished, timeout=30000):
        action.trigger()


def review_everything(qtbot: QtBot, window: MainWindow, reject_notes: tuple[str, ...] = ()) -> int:
    """Ctrl+R, then A (or R for a link whose note names a known error) until the queue
    is done; Ctrl+R again. Returns how many decisions were made."""
    key(qtbot, window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert window.review.active
    decisions = 0
    for _ in range(1000):
        relation = window.review.current_relation()
        span = window.review.current_span()
        if relation is None and span is None:
            break
        wrong = relation is not None and any(n in (relation.note or "") for n in reject_notes)
        key(qtbot, window, Qt.Key.Key_R if wrong else Qt.Key.Key_A)
        decisions += 1
    key(qtbot, window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    return decisions


def open_compare(qtbot: QtBot, window: MainWindow) -> list[Row]:
    key(
        qtbot,
        window,
        Qt.Key.Key_C,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    qtbot.waitUntil(lambda: window.compareDock.isVisible())
    return window.comparing.panel.model.rows


def texts(row: Row) -> set[str]:
    return {t for cell in row.cells.values() for t in cell.texts}


@pytest.fixture
def sample_copy(tmp_path: Path) -> Path:
    for f in SAMPLE.glob("*.txt"):
        shutil.copy(f, tmp_path / f.name)
    return tmp_path


def test_align_review_compare_and_undo_on_the_sample(
    qtbot: QtBot, open_main_window: OpenWindow, sample_copy: Path, tmp_path: Path
) -> None:
    window = open_main_window(sample_copy)
    for name in ("align-entities", "align-claims"):
        suggest_with(qtbot, window, name)
    assert review_everything(qtbot, window) > 10
    project = window.session.project
    assert all(r.status == "accepted" for r in project.relations())
    rows = open_compare(qtbot, window)
    varga = next(r for r in rows if "Ilona Warga" in texts(r))
    assert {"Varga", "Ilona Varga"} <= texts(varga) and varga.coverage == 3
    homes = next(r for r in rows if any(m.note.startswith("home:") for m in r.marks))
    assert any(m.type == "contradicts" for m in homes.marks)
    # the cell of the contradiction is drawn red, the missing one "—"
    model = window.comparing.panel.model
    r = rows.index(homes)
    docs = model.comparison.documents
    marked = next(
        c for c, d in enumerate(docs, start=2) if d in homes.cells and homes.cells[d].marks
    )
    assert model.data(model.index(r, marked)).startswith("⚠ ")
    assert model.data(model.index(r, marked), Qt.ItemDataRole.BackgroundRole) is not None
    # a click on a cell scrolls that pane to the mention and selects it
    table = window.comparing.panel.table
    column = next(c for c, d in enumerate(docs, start=2) if d in varga.cells)
    index = model.index(rows.index(varga), column)
    table.scrollTo(index)
    qtbot.mouseClick(
        table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(index).center()
    )
    doc_id = docs[column - 2]
    selected = window.session.selected
    assert selected is not None and selected.document_id == doc_id
    assert (doc_id, selected.span_id) in varga.cells[doc_id].members
    # the row is highlighted in every pane
    assert all(
        pane._linked for d, pane in window.panes.panes.items() if d in varga.cells and d != doc_id
    )

    # keyboard: Up/Down move in the matrix, Enter goes to that mention
    below = rows[rows.index(varga) + 1]
    assert doc_id in below.cells  # the rows in every outlet come first
    qtbot.keyClick(table, Qt.Key.Key_Down)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    chosen = window.session.selected
    assert chosen is not None and (doc_id, chosen.span_id) in below.cells[doc_id].members

    # undo: the matrix follows, a moment later (the Varga row loses a link: it splits)
    def shape() -> list[tuple[str, int, int]]:
        return [(r.id, r.coverage, len(r.marks)) for r in window.comparing.comparison.rows]

    before = shape()
    varga_link = next(
        r for r in project.relations() if {r.source.key, r.target.key} <= set(varga.members())
    )
    window.session.run(decide_relation(project, RelationKey(varga_link.id), "rejected"))
    qtbot.waitUntil(lambda: shape() != before, timeout=3000)
    assert shape() == [(r.id, r.coverage, len(r.marks)) for r in window.comparing.build().rows]
    key(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: shape() == before, timeout=3000)
    # filters
    panel = window.comparing.panel
    panel.filter.setCurrentIndex(panel.filter.findData("conflicts"))
    assert model.rows and all(row.marks for row in model.rows)
    panel.filter.setCurrentIndex(panel.filter.findData("all"))
    panel.label.setCurrentIndex(panel.label.findData("entity"))
    assert model.rows and all(row.label == "entity" for row in model.rows)
    # File ▸ Export Comparison…: the typed extension wins over the type list's choice,
    # and a name without one gets the chosen type's
    html = window.comparing.export(tmp_path / "entities.html", "md")
    assert html is not None and html.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    plain = window.comparing.export(tmp_path / "entities", "csv")
    assert plain == tmp_path / "entities.csv" and plain.read_text("utf-8").startswith("row,")
    out = window.comparing.export(tmp_path / "entities.md")
    assert out is not None
    report = out.read_text(encoding="utf-8")
    assert "Ilona Warga" in report and "home:" not in report


def test_compare_is_in_the_view_menu_and_says_what_it_is(
    qtbot: QtBot, open_main_window: OpenWindow, sample_copy: Path
) -> None:
    window = open_main_window(sample_copy)
    action = window.findChild(QAction, "action_compare")
    assert action is not None and action.shortcut().toString() == "Ctrl+Shift+C"
    view_menu = next(m for m in window.menuBar().actions() if m.text() == "&View").menu()
    assert action in view_menu.actions()
    export = window.actions_by_name["export_comparison"]
    file_menu = next(m for m in window.menuBar().actions() if m.text() == "&File").menu()
    assert export in file_menu.actions()
    rows = open_compare(qtbot, window)
    assert rows == []  # nothing tagged yet: an empty matrix, no error
    assert window.comparing.panel.table.hasFocus()  # the keys go to the matrix
    assert "0 of 0 rows" in window.comparing.panel.counts.text()


@pytest.mark.seeds
def test_done_when_on_the_seed_articles(
    qtbot: QtBot, open_main_window: OpenWindow, seeds_copy: Path, tmp_path: Path
) -> None:
    """Issue 15: run the three suggesters, decide every suggestion with the keyboard,
    open the comparison: the general's three spellings in one row, the Lavrov quote
    of two outlets in one row, the age 64/65 marked as a contradiction; the report too."""
    window = open_main_window(seeds_copy)
    for name in ("align-entities", "align-quotes", "align-claims"):
        suggest_with(qtbot, window, name)
    # one proposal we judge wrong (a year of the poisoning against a year of sanctions)
    decisions = review_everything(qtbot, window, reject_notes=("year: 2018 / 2019",))
    assert decisions > 50
    project = window.session.project
    assert all(r.status != "pending" for r in project.relations())
    assert any(r.status == "rejected" for r in project.relations())
    rows = open_compare(qtbot, window)
    general = next(r for r in rows if "Vladimir Alekseyev" in texts(r))
    spellings = {t.replace("’s", "") for t in texts(general)}
    assert {"Vladimir Alekseev", "Vladimir Alekseyev", "Alekseev", "Alekseyev"} <= spellings
    assert general.coverage == 3
    quote = next(
        r for r in rows if r.label == "quote" and any("terrorist attack" in t for t in texts(r))
    )
    assert quote.coverage == 2
    age = next(r for r in rows if any(m.note in ("age: 65 / 64", "age: 64 / 65") for m in r.marks))
    assert {m.type for m in age.marks} == {"contradicts"}
    report = window.comparing.export(tmp_path / "report.html")
    assert report is not None
    html = report.read_text(encoding="utf-8")
    assert "age: 65 / 64" in html and "Vladimir Alekseyev" in html and "terrorist attack" in html


def test_a_minimum_score_for_links_is_kept_in_the_settings(
    qtbot: QtBot, open_main_window: OpenWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QInputDialog

    from annotator.settings import load_settings

    for f in (REPO / "tests" / "data" / "alignment" / "ferry").glob("*.txt"):
        shutil.copy(f, tmp_path / f.name)
    window = open_main_window(tmp_path)

    def answer(dialog: QInputDialog) -> int:
        assert "0 to 1" in dialog.labelText()
        dialog.setDoubleValue(0.99)
        return int(QInputDialog.DialogCode.Accepted)

    monkeypatch.setattr(QInputDialog, "exec", answer)
    window.findChild(QAction, "action_link_min_score").trigger()
    assert load_settings().link_min_score == 0.99
    suggest_with(qtbot, window, "align-entities")
    scores = [r.score for r in window.session.project.relations()]
    assert scores and all(s is not None and s >= 0.99 for s in scores)
    # without the setting the transliterations (0.85: Husam Faruk, Hossam Farouk) come too
    window.session.undo()
    window.settings.link_min_score = None
    suggest_with(qtbot, window, "align-entities")
    assert min(r.score or 1 for r in window.session.project.relations()) < 0.99


@pytest.mark.parametrize("fmt", ["md", "html", "csv", "json"])
def test_the_window_and_the_command_line_write_the_same_report(
    qtbot: QtBot, open_main_window: OpenWindow, sample_copy: Path, tmp_path: Path, fmt: str
) -> None:
    """One export of the comparison: File ▸ Export Comparison… with a filter, a label
    and suggestions counted writes what `annotator compare` writes for the same
    choices, byte for byte."""
    from tests.test_cli import run

    done = run("suggest", str(sample_copy), "--extractor", "align-entities")
    assert done.returncode == 0, done.stderr
    window = open_main_window(sample_copy)
    open_compare(qtbot, window)
    panel = window.comparing.panel
    panel.pending.setChecked(True)
    panel.label.setCurrentIndex(panel.label.findData("entity"))
    panel.filter.setCurrentIndex(panel.filter.findData("everywhere"))
    mine = window.comparing.export(tmp_path / f"window.{fmt}")
    assert mine is not None
    theirs = tmp_path / f"cli.{fmt}"
    documents = ",".join(window.comparing.documents)
    done = run(
        "compare", str(sample_copy), "--documents", documents, "--labels", "entity",
        "--filter", "everywhere", "--pending", "-o", str(theirs),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert mine.read_bytes() == theirs.read_bytes()
    assert mine.read_bytes().count(b"\n") > 3  # a report with rows, not an empty one


def test_a_row_is_accepted_with_one_key_in_the_compare_panel(
    qtbot: QtBot, open_main_window: OpenWindow, sample_copy: Path
) -> None:
    """Issue 30, review by row: the general's mentions in three outlets are one row;
    A in the matrix accepts its suggested links and spans at once (one undo step), R
    rejects a row's links."""
    window = open_main_window(sample_copy)
    suggest_with(qtbot, window, "align-entities")
    project = window.session.project
    rows = open_compare(qtbot, window)
    assert rows == []  # only accepted work counts until suggestions are included
    panel = window.comparing.panel
    panel.pending.setChecked(True)
    qtbot.waitUntil(lambda: bool(panel.model.rows))
    rows = panel.model.rows
    varga = rows.index(next(r for r in rows if "Ilona Warga" in texts(r)))
    panel.table.setFocus()
    panel.table.setCurrentIndex(panel.model.index(varga, 2))
    row = panel.model.rows[varga]
    members = set(row.members())
    pending = [r for r in project.relations() if r.source.key in members and r.status == "pending"]
    assert len(pending) >= 2

    qtbot.keyClick(panel.table, Qt.Key.Key_A)

    assert all(project.relation(r.id).status == "accepted" for r in pending)
    assert all(project.span_of(k).status == "accepted" for k in members)  # type: ignore[union-attr]
    window.session.undo()  # one step takes the whole row back
    assert all(project.relation(r.id).status == "pending" for r in pending)
    qtbot.waitUntil(lambda: bool(panel.model.rows))
    again = next(i for i, r in enumerate(panel.model.rows) if "Ilona Warga" in texts(r))
    panel.table.setCurrentIndex(panel.model.index(again, 2))
    qtbot.keyClick(panel.table, Qt.Key.Key_R)
    assert all(project.relation(r.id).status == "rejected" for r in pending)
    assert all(project.span_of(k).status == "pending" for k in members)  # type: ignore[union-attr]


def test_x_splits_one_outlets_mention_off_a_row_then_a_accepts_the_rest(
    qtbot: QtBot, open_main_window: OpenWindow, sample_copy: Path
) -> None:
    """Issue 30: a row's one wrong member split off with one key, the rest accepted
    with another; each one undo step."""
    window = open_main_window(sample_copy)
    suggest_with(qtbot, window, "align-entities")
    project = window.session.project
    open_compare(qtbot, window)
    panel = window.comparing.panel
    panel.pending.setChecked(True)
    qtbot.waitUntil(lambda: bool(panel.model.rows))

    def varga_row() -> int:
        return next(i for i, r in enumerate(panel.model.rows) if "Ilona Varga" in texts(r))

    row = panel.model.rows[varga_row()]
    courier = next(d for d, c in row.cells.items() if "Ilona Warga" in c.texts)
    column = 2 + panel.model.comparison.documents.index(courier)
    panel.table.setFocus()
    panel.table.setCurrentIndex(panel.model.index(varga_row(), column))
    warga = set(row.cells[courier].members)

    qtbot.keyClick(panel.table, Qt.Key.Key_X)

    qtbot.waitUntil(lambda: "Ilona Warga" not in texts(panel.model.rows[varga_row()]))
    joining = [r for r in project.relations() if r.source.key in warga or r.target.key in warga]
    assert joining and all(r.status == "rejected" for r in joining)
    panel.table.setCurrentIndex(panel.model.index(varga_row(), 2))
    qtbot.keyClick(panel.table, Qt.Key.Key_A)
    rest = set(panel.model.rows[varga_row()].members())
    assert rest and all(project.span_of(k).status == "accepted" for k in rest)  # type: ignore[union-attr]
    assert all(project.span_of(k).status == "pending" for k in warga)  # type: ignore[union-attr]
