"""Panels, document list, saving, autosave, layout restore and literal display of markup."""

from __future__ import annotations

import errno
import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from annotator.core.commands import AddSpan, make_span
from annotator.core.models import PROJECT_FILE_NAME
from annotator.settings import config_dir, load_settings
from annotator.ui.app import startup_path
from annotator.ui.session import Session
from tests.ui.conftest import OpenWindow
from tests.ui.helpers import drag_select


def tag(session: Session, doc_id: str, word: str, label: str, nth: int = 0) -> str:
    doc = session.project.document(doc_id)
    start = -1
    for _ in range(nth + 1):
        start = doc.text.index(word, start + 1)
    span = make_span(doc, start, start + len(word), label)
    assert session.run(AddSpan(doc_id, span))
    return span.id


def test_span_panel_lists_filters_and_reveals(
    qtbot: QtBot, open_main_window: OpenWindow, sample_copy: Path
) -> None:
    window = open_main_window(sample_copy)
    first, second, third = window.shown_documents()
    s = window.session
    tag(s, first, "Varga", "entity")
    tag(s, second, "Warga", "entity")
    tag(s, third, "Kowalczyk", "entity")
    tag(s, third, "140 homes were evacuated", "claim")
    panel = window.span_panel
    table = panel.table
    assert table.model().rowCount() == 4
    rows = [table.model().index(r, 2).data() for r in range(4)]
    assert rows == ["Varga", "Warga", "140 homes were evacuated", "Kowalczyk"]  # reading order

    panel.label_filter.setCurrentIndex(panel.label_filter.findData("claim"))
    assert table.model().rowCount() == 1
    panel.label_filter.setCurrentIndex(0)
    qtbot.keyClicks(panel.text_filter, "arga")
    assert table.model().rowCount() == 2
    panel.text_filter.clear()

    # clicking a row scrolls its pane to the span, flashes and selects it
    index = table.model().index(3, 2)
    rect = table.visualRect(index)
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    selected = s.selected
    assert selected is not None and selected.document_id == third
    assert s.project.document(third).span(selected.span_id).text == "Kowalczyk"
    pane = window.panes.panes[third]
    assert any(sel.cursor.selectedText() == "Kowalczyk" for sel in pane.view.extraSelections())

    # removing a span takes its row away; undo brings it back
    window.delete_selected_span()
    assert table.model().rowCount() == 3
    s.undo()
    assert table.model().rowCount() == 4


def test_document_list_chooses_panes_and_counts_spans(
    qtbot: QtBot, open_main_window: OpenWindow, write_articles
) -> None:
    folder = write_articles(
        {f"article-{i:02}.txt": f"Article {i} names Ana Lopez." for i in range(20)}
    )
    window = open_main_window(folder)
    assert len(window.panes.panes) == 3
    model = window.documents
    assert model.rowCount() == 20
    model.setData(model.index(10, 0), Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    model.setData(model.index(0, 0), Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    assert list(window.panes.panes) == ["article-01", "article-02", "article-10"]
    tag(window.session, "article-10", "Ana Lopez", "entity")
    assert model.index(10, 1).data() == "1"  # as the pane counts: 1 span
    assert "1 span" in window.panes.panes["article-10"].source.text()
    window.close()
    again = open_main_window(folder)
    assert list(again.panes.panes) == ["article-01", "article-02", "article-10"]


def test_layout_and_last_project_are_restored(
    qtbot: QtBot, open_main_window: OpenWindow, sample_copy: Path
) -> None:
    window = open_main_window(sample_copy)
    window.resize(640, 470)  # the offscreen screen is 800x600: stay inside it
    window.spansDock.hide()  # type: ignore[attr-defined]
    window.panes.splitter.setSizes([500, 200, 200])
    sizes = window.panes.splitter.sizes()
    window.close()
    assert (config_dir() / "settings.json").is_file()
    assert startup_path(load_settings()) == sample_copy.resolve()
    again = open_main_window(sample_copy)
    assert (again.size().width(), again.size().height()) == (640, 470)
    assert not again.spansDock.isVisible()  # type: ignore[attr-defined]
    assert again.panes.splitter.sizes() == sizes


def test_first_run_opens_the_sample_copied_into_the_data_folder(
    qtbot: QtBot, open_main_window: OpenWindow
) -> None:
    path = startup_path(load_settings())
    assert path.name == "sample" and "data" in path.parts
    window = open_main_window(path)
    assert len(window.panes.panes) == 3
    assert {d.source for d in window.session.project.documents} == {
        "The Harbour Gazette",
        "Coastal Courier",
        "Bay Radio News",
    }


def test_autosave_writes_shortly_after_a_change(
    qtbot: QtBot, open_main_window: OpenWindow, sample_copy: Path
) -> None:
    window = open_main_window(sample_copy)
    window.session.autosave_enabled = True
    doc_id = window.shown_documents()[0]
    with qtbot.waitSignal(window.session.saved, timeout=5000):
        tag(window.session, doc_id, "Varga", "entity")
        assert window.isWindowModified()
    assert not window.isWindowModified()
    on_disk = json.loads((sample_copy / PROJECT_FILE_NAME).read_text(encoding="utf-8"))
    assert [s["text"] for d in on_disk["documents"] for s in d["spans"]] == ["Varga"]


def test_edits_during_a_background_autosave_stay_unsaved_until_written(
    qtbot: QtBot, open_main_window: OpenWindow, sample_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    from annotator.io import save as store

    window = open_main_window(sample_copy)
    session = window.session
    gate = threading.Event()
    real = store.write_snapshot

    def slow_write(snap: store.Snapshot) -> Path:
        gate.wait(5)
        return real(snap)

    monkeypatch.setattr("annotator.ui.session.write_snapshot", slow_write)
    doc_id = window.shown_documents()[0]
    tag(session, doc_id, "Varga", "entity")
    session.autosave_now()
    assert session.saving_in_background
    tag(session, doc_id, "Kowalczyk", "entity")  # while the first state is being written
    with qtbot.waitSignal(session.saved, timeout=5000):
        gate.set()
    assert window.isWindowModified()  # the second tag is not on disk yet
    on_disk = json.loads((sample_copy / PROJECT_FILE_NAME).read_text(encoding="utf-8"))
    assert [s["text"] for d in on_disk["documents"] for s in d["spans"]] == ["Varga"]
    session.undo()  # back to exactly the state on disk: clean again
    assert not window.isWindowModified()
    session.redo()
    assert session.save()
    assert not window.isWindowModified()
    on_disk = json.loads((sample_copy / PROJECT_FILE_NAME).read_text(encoding="utf-8"))
    assert sorted(s["text"] for d in on_disk["documents"] for s in d["spans"]) == [
        "Kowalczyk",
        "Varga",
    ]


def test_closing_with_unsaved_work_saves_it(
    qtbot: QtBot, open_main_window: OpenWindow, sample_copy: Path
) -> None:
    window = open_main_window(sample_copy)
    doc_id = window.shown_documents()[1]
    tag(window.session, doc_id, "Warga", "quote")
    assert window.isWindowModified()
    qtbot.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert not window.isVisible()
    on_disk = json.loads((sample_copy / PROJECT_FILE_NAME).read_text(encoding="utf-8"))
    assert [s["label"] for d in on_disk["documents"] for s in d["spans"]] == ["quote"]


def test_failed_save_keeps_the_work_and_says_so(
    qtbot: QtBot, open_main_window: OpenWindow, sample_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_main_window(sample_copy)
    before = (sample_copy / PROJECT_FILE_NAME).read_bytes()
    tag(window.session, window.shown_documents()[0], "Varga", "entity")

    def disk_full(_project: object) -> Path:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("annotator.ui.session.save_project", disk_full)
    with qtbot.waitSignal(window.session.save_failed):
        assert not window.session.save()
    assert window.isWindowModified()
    assert "No space left on device" in window.statusBar().currentMessage()
    assert (sample_copy / PROJECT_FILE_NAME).read_bytes() == before
    monkeypatch.undo()
    assert window.session.save()
    assert not window.isWindowModified()


HOSTILE = '<img src="x.png"> <b>bold</b> <a href="http://example.com">link</a> & <style>p{}</style>'


def test_markup_in_articles_and_titles_is_shown_literally(
    qtbot: QtBot, open_main_window: OpenWindow, write_articles
) -> None:
    folder = write_articles(
        {"<img src=x onerror=alert(1)>.txt": HOSTILE, "b.txt": "x", "c.txt": "y"}
    )
    window = open_main_window(folder)
    pane = next(p for p in window.panes.panes.values() if p.document.text == HOSTILE)
    assert pane.view.toPlainText() == HOSTILE
    assert pane.title.text() == "<img src=x onerror=alert(1)>"
    assert pane.title.textFormat() == Qt.TextFormat.PlainText
    for label in window.findChildren(QLabel):
        if "<" in label.text():
            assert label.textFormat() == Qt.TextFormat.PlainText
    start = HOSTILE.index("<b>bold</b>")
    drag_select(qtbot, pane.view, start, start + len("<b>bold</b>"))
    qtbot.keyClick(pane.view, Qt.Key.Key_1)
    tip = pane.tooltip_text(start + 1)
    assert "&lt;b&gt;bold&lt;/b&gt;" in tip and "<b>bold</b>" not in tip.replace(
        "<b>entity</b>", ""
    )
    assert window.span_panel.table.model().index(0, 2).data() == "<b>bold</b>"


def test_the_caret_starts_in_the_first_article(
    qtbot: QtBot, open_main_window: OpenWindow, sample_copy: Path
) -> None:
    window = open_main_window(sample_copy)
    first = window.panes.panes[window.shown_documents()[0]]
    qtbot.waitUntil(first.view.hasFocus)
    for _ in range(2):
        qtbot.keyClick(
            first.view,
            Qt.Key.Key_Right,
            Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.ControlModifier,
        )
    qtbot.keyClick(first.view, Qt.Key.Key_1)
    assert [s.text for s in first.document.spans()] == ["KESTREL BAY"]


def test_help_lists_every_shortcut_and_about_names_versions_and_folders(
    qtbot: QtBot, open_main_window: OpenWindow, sample_copy: Path
) -> None:
    from PySide6.QtWidgets import QMessageBox

    from annotator import __version__
    from annotator.settings import data_dir
    from annotator.ui.actions import ACTIONS
    from annotator.ui.dialogs import ShortcutsDialog

    window = open_main_window(sample_copy)
    qtbot.keyClick(window, Qt.Key.Key_F1)
    dialog = window.findChild(ShortcutsDialog)
    assert dialog is not None and dialog.isVisible()
    listed = [dialog.model.item(r, 0).text() for r in range(dialog.model.rowCount())]
    assert listed[:3] == ["1", "2", "3"]
    for spec in ACTIONS:
        if spec.shortcuts:
            assert " or ".join(spec.shortcuts) in listed
    # the relation keys of link mode and review, and the Links panel's shortcut
    assert {"s", "o", "=", "c", "d", "Ctrl+Shift+L"} <= set(listed)
    dialog.close()
    window.actions_by_name["about"].trigger()
    about = window.findChild(QMessageBox, "aboutDialog")
    assert about is not None
    assert __version__ in about.text()
    assert str(data_dir()) in about.text()
    assert "Lesser General Public License" in about.text()


def test_opening_a_project_with_a_changed_article_says_what_happened(
    qtbot: QtBot, sample_copy: Path
) -> None:
    from PySide6.QtWidgets import QMessageBox

    from annotator.io.load import open_project
    from annotator.io.save import save_project
    from annotator.ui.app import Launcher, ensure_application

    ensure_application()
    project, _ = open_project(sample_copy)
    doc = project.documents[0]
    start = doc.text.index("Kowalczyk")
    doc.put_span(make_span(doc, start, start + 9, "entity"))
    save_project(project)
    article = sample_copy / doc.path
    article.write_text(
        article.read_text(encoding="utf-8").replace("Kowalczyk", "Kowalski"), encoding="utf-8"
    )

    launcher = Launcher(load_settings())
    assert launcher.open(sample_copy)
    window = launcher.window
    assert window is not None
    qtbot.addWidget(window)
    box = window.findChild(QMessageBox, "loadReport")
    assert box is not None and box.isVisible()
    assert "Nothing was lost" in box.text()
    assert "kept as an orphan" in box.detailedText()
    saved = json.loads((sample_copy / PROJECT_FILE_NAME).read_text(encoding="utf-8"))
    assert [s["text"] for d in saved["documents"] for s in d["spans"]] == ["Kowalczyk"]
    box.close()


def test_the_window_title_has_no_double_space_and_marks_changes(
    qtbot: QtBot, open_main_window: OpenWindow, sample_copy: Path
) -> None:
    from annotator.core.commands import AddSpan, make_span

    window = open_main_window(sample_copy)
    shown = window.windowTitle().replace("[*]", "*" if window.isWindowModified() else "")
    assert "  " not in shown and shown.startswith("sample") and shown.endswith("— Annotator")
    doc = window.session.project.documents[0]
    window.session.run(AddSpan(doc.id, make_span(doc, 0, 4, "entity")))
    assert window.isWindowModified()
