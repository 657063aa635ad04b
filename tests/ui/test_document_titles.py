"""Document titles and outlets: set from the Documents list as an undoable, journalled
edit; a folder of files named by ids gets their first lines as titles; the list counts
spans as the panes do."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from annotator.core.suggestions import Candidate, suggestion_batch
from annotator.io.load import load_project, open_project
from annotator.io.recovery import read_journal, recovery_changes
from annotator.ui.document_dialog import DocumentInfoDialog
from tests.ui.conftest import OpenWindow
from tests.ui.test_exchange import fill_and_accept

FIRST = "Harbour wall gives way after a night of rain\n\nThe old wall at the pier broke.\n"
SECOND = "  \n# Ferries stop for three days\nThe operator blamed an engine.\n"


def test_files_named_by_ids_get_their_first_line_as_title(write_articles: Any) -> None:
    folder = write_articles(
        {"000_8a6a568f6e04fa8f.txt": FIRST, "20261120-0042.txt": SECOND, "harbour-notes.txt": "x"}
    )
    project, _ = open_project(folder)
    titles = {d.path: d.title for d in project.documents}
    assert titles == {
        "000_8a6a568f6e04fa8f.txt": "Harbour wall gives way after a night of rain",
        "20261120-0042.txt": "Ferries stop for three days",
        "harbour-notes.txt": "harbour-notes",  # a name that reads as a name stays
    }


def test_f2_sets_title_and_outlet_as_one_undoable_journalled_edit(
    qtbot: QtBot, open_main_window: OpenWindow, write_articles: Any
) -> None:
    folder = write_articles({"4f9c2e1ab7d3.txt": FIRST, "b.txt": SECOND})
    window = open_main_window(folder)
    doc_id = window.session.project.documents[0].id
    view = window.document_view
    view.selectRow(0)
    view.setFocus()

    def fill(bot: QtBot, dialog: DocumentInfoDialog) -> None:
        dialog.title.clear()
        bot.keyClicks(dialog.title, "Wall <b>breaks</b>")
        bot.keyClicks(dialog.source, "Harbour Gazette")

    fill_and_accept(qtbot, DocumentInfoDialog, fill)
    qtbot.keyClick(view, Qt.Key.Key_F2)
    doc = window.session.project.document(doc_id)
    assert (doc.title, doc.source) == ("Wall <b>breaks</b>", "Harbour Gazette")
    pane = window.panes.panes[doc_id]
    assert pane.title.text() == "Wall <b>breaks</b>"  # plain text, shown as typed
    assert pane.source.text().startswith("Harbour Gazette · ")
    assert window.documents.index(0, 0).data() == "Wall <b>breaks</b>"
    assert window.isWindowModified()
    # the journal has it: a crash now loses nothing
    contents = read_journal(folder)
    assert contents is not None and contents.problems == []
    saved, _ = load_project(folder)
    changes, problems = recovery_changes(saved, contents.edits)
    assert problems == [] and len(changes) == 1
    # one undo puts both back
    assert window.session.history.undo_text.startswith("Edit the title and outlet")
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(pane.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert (doc.title, doc.source) == ("Harbour wall gives way after a night of rain", "")
    assert pane.title.text() == "Harbour wall gives way after a night of rain"
    window.session.save()
    reopened, _ = load_project(folder)
    assert reopened.document(doc_id).title == "Harbour wall gives way after a night of rain"


def test_use_first_line_offers_the_article_s_first_line(
    qtbot: QtBot, open_main_window: OpenWindow, write_articles: Any
) -> None:
    folder = write_articles({"notes.txt": SECOND})
    window = open_main_window(folder)

    def fill(bot: QtBot, dialog: DocumentInfoDialog) -> None:
        use = dialog.findChild(QPushButton, "useFirstLine")
        assert use is not None and use.isEnabled()
        bot.mouseClick(use, Qt.MouseButton.LeftButton)

    fill_and_accept(qtbot, DocumentInfoDialog, fill)
    window.actions_by_name["edit_document"].trigger()
    assert window.session.project.documents[0].title == "Ferries stop for three days"


def test_the_documents_list_counts_what_the_pane_counts(
    qtbot: QtBot, open_main_window: OpenWindow, write_articles: Any
) -> None:
    folder = write_articles({"a.txt": FIRST})
    window = open_main_window(folder)
    doc = window.session.project.documents[0]
    wall = doc.text.index("wall")
    batch = suggestion_batch(
        [(doc, [Candidate(0, 7, "entity"), Candidate(wall, wall + 4, "entity")])], "model"
    ).batch
    window.session.run(batch)
    pane = window.panes.panes[doc.id]
    listed = window.documents.index(0, 1).data()
    assert pane.source.text().endswith("0 spans · 2 to review")
    assert listed == "0 · 2 to review"
    tip = window.documents.index(0, 1).data(Qt.ItemDataRole.ToolTipRole)
    assert "0 spans · 2 to review" in tip and "rejected suggestions are not counted" in tip
