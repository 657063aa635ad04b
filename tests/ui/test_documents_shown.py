"""Showing many documents at once from the Documents list (issue 30: checking twenty
took sixteen clicks): Ctrl+A then Space shows or hides every selected row; the context
menu shows all, none, the selected rows, or one outlet's documents."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.ui.conftest import OpenWindow


def test_select_all_then_space_shows_every_document_then_none(
    qtbot: QtBot, open_main_window: OpenWindow, write_articles: Callable[[dict[str, str]], Path]
) -> None:
    articles = {f"d{n:02}.txt": f"Report {n} of the flood in Kestrel Bay.\n" for n in range(20)}
    window = open_main_window(write_articles(articles))
    listing = window.document_view
    assert len(window.panes.panes) == 3  # the first three, as on a first open
    listing.setFocus()

    qtbot.keyClick(listing, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(listing, Qt.Key.Key_Space)

    assert len(window.shown_documents()) == 20 and len(window.panes.panes) == 20
    qtbot.keyClick(listing, Qt.Key.Key_Space)
    assert window.shown_documents() == [] and not window.panes.panes


def test_the_context_menu_shows_one_outlet_or_the_selection(
    qtbot: QtBot, open_main_window: OpenWindow, write_articles: Callable[[dict[str, str]], Path]
) -> None:
    from annotator.core.commands import edit_document

    window = open_main_window(write_articles({f"d{n}.txt": f"Report {n}.\n" for n in range(6)}))
    project = window.session.project
    for doc in project.documents:
        outlet = "Gazette" if doc.id in ("d1", "d4") else "Courier"
        window.session.run(edit_document(project, doc.id, doc.title, outlet))
    listing = window.document_view
    actions = {a.objectName(): a for a in listing.actions()}
    listing.selectRow(window.documents.row_of("d4"))

    actions["action_show_outlet"].trigger()
    assert window.shown_documents() == ["d1", "d4"]

    actions["action_show_all"].trigger()
    assert len(window.shown_documents()) == 6
    listing.selectRow(0)
    listing.selectionModel().select(
        window.documents.index(5, 0),
        listing.selectionModel().SelectionFlag.Select | listing.selectionModel().SelectionFlag.Rows,
    )
    actions["action_show_selected"].trigger()
    assert window.shown_documents() == ["d0", "d5"]
    actions["action_show_none"].trigger()
    assert window.shown_documents() == []
