"""Relations and links made in the real window the way a person makes them: with the
keyboard only (L, moving, a relation key), by Alt-dragging from one span to another,
and with the context menu's "Link to…"; then undo, redo, save, reopen and find them
again, in the file and in the Links panel."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QPointF, Qt, QTimer
from PySide6.QtGui import QContextMenuEvent, QMouseEvent
from PySide6.QtWidgets import QApplication, QMenu
from pytestqt.qtbot import QtBot

from annotator.core.clusters import clusters
from annotator.ui.article_pane import ArticlePane
from annotator.ui.main_window import MainWindow
from tests.ui.conftest import OpenWindow
from tests.ui.helpers import click_at, drag_select, point_of

NEWS = {
    "ledger.txt": (
        "The mayor, Ilse Varga, said: “The bridge will open in May.” Varga spoke after "
        "the council met. The bridge cost 40 million.\n"
    ),
    "courier.txt": (
        "Mayor Ilse Warga told reporters the bridge would open in May. It cost 45 million, "
        "the council said.\n"
    ),
    "radio.txt": "Warga said the bridge opens in spring.\n",
}


def tag(qtbot: QtBot, pane: ArticlePane, text: str, key: Qt.Key, nth: int = 0) -> None:
    start = -1
    for _ in range(nth + 1):
        start = pane.document.text.index(text, start + 1)
    drag_select(qtbot, pane.view, start, start + len(text))
    qtbot.keyClick(pane.view, key)


def span_of(pane: ArticlePane, text: str) -> str:
    return next(s.id for s in pane.document.spans() if s.text == text)


def pick_from_popup(qtbot: QtBot, name: str) -> None:
    """When a popup menu opens, click its entry named ``name`` (as a person would)."""

    def attempt(tries: int = 0) -> None:
        menu = QApplication.activePopupWidget()
        if not isinstance(menu, QMenu):
            if tries < 100:
                QTimer.singleShot(20, lambda: attempt(tries + 1))
            return
        action = next(a for a in menu.actions() if a.objectName() == name)
        qtbot.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(action).center())

    QTimer.singleShot(0, attempt)


def alt_drag(pane_a: ArticlePane, cp_a: int, pane_b: ArticlePane, cp_b: int) -> None:
    """Press at ``cp_a`` with Alt held, move over ``cp_b`` in another pane, release there."""
    start = point_of(pane_a.view, pane_a.bridge.to_qt(cp_a) + 1)
    end_local = point_of(pane_b.view, pane_b.bridge.to_qt(cp_b) + 1)
    end = pane_b.view.viewport().mapToGlobal(end_local)
    viewport = pane_a.view.viewport()
    alt = Qt.KeyboardModifier.AltModifier
    for kind, point, buttons in (
        (QMouseEvent.Type.MouseButtonPress, start, Qt.MouseButton.LeftButton),
        (QMouseEvent.Type.MouseMove, viewport.mapFromGlobal(end), Qt.MouseButton.LeftButton),
        (QMouseEvent.Type.MouseButtonRelease, viewport.mapFromGlobal(end), Qt.MouseButton.NoButton),
    ):
        local = QPointF(point)
        event = QMouseEvent(
            kind,
            local,
            QPointF(viewport.mapToGlobal(point)),
            Qt.MouseButton.LeftButton
            if kind != QMouseEvent.Type.MouseMove
            else Qt.MouseButton.NoButton,
            buttons,
            alt,
        )
        QApplication.sendEvent(viewport, event)


def context_menu(pane: ArticlePane, cp: int) -> None:
    point = point_of(pane.view, pane.bridge.to_qt(cp) + 1)
    viewport = pane.view.viewport()
    event = QContextMenuEvent(
        QContextMenuEvent.Reason.Mouse, point, viewport.mapToGlobal(point), Qt.KeyboardModifier(0)
    )
    QApplication.sendEvent(viewport, event)


def opened(
    open_main_window: OpenWindow, write_articles: Callable[[dict[str, str]], Path]
) -> MainWindow:
    return open_main_window(write_articles(NEWS))


def test_a_speaker_relation_and_a_cross_document_link_with_the_keyboard_only(
    qtbot: QtBot, open_main_window: OpenWindow, write_articles: Callable[[dict[str, str]], Path]
) -> None:
    window = opened(open_main_window, write_articles)
    project = window.session.project
    a, b = window.panes.panes["courier"], window.panes.panes["ledger"]
    assert list(window.panes.panes) == ["courier", "ledger", "radio"]
    tag(qtbot, b, "“The bridge will open in May.”", Qt.Key.Key_3)
    tag(qtbot, b, "Ilse Varga", Qt.Key.Key_1)
    tag(qtbot, a, "Ilse Warga", Qt.Key.Key_1)
    window.panes.focus_pane("ledger")
    # the quote: L, the arrow to the next span (the speaker), s for speaker
    click_at(qtbot, b.view, b.document.text.index("bridge will"))
    assert window.session.selected is not None
    qtbot.keyClick(b.view, Qt.Key.Key_L)
    assert window.link_tools.mode.active
    qtbot.keyClick(b.view, Qt.Key.Key_Right)
    qtbot.keyClick(b.view, Qt.Key.Key_S)
    assert not window.link_tools.mode.active
    (speaker,) = project.relations()
    assert speaker.type == "speaker"
    assert speaker.source.span == span_of(b, "“The bridge will open in May.”")
    assert speaker.target.span == span_of(b, "Ilse Varga")
    # the mayor across documents: L, Ctrl+[ lands on the most similar span, = for same
    qtbot.keyClick(b.view, Qt.Key.Key_L)
    qtbot.keyClick(b.view, Qt.Key.Key_BracketLeft, Qt.KeyboardModifier.ControlModifier)
    assert window.session.selected is not None
    assert window.session.selected.document_id == "courier"
    qtbot.keyClick(a.view, Qt.Key.Key_Equal)
    same = next(r for r in project.relations() if r.type == "same")
    assert (same.source.document, same.target.document) == ("ledger", "courier")
    assert {project.span_of(same.source.key).text, project.span_of(same.target.key).text} == {  # type: ignore[union-attr]
        "Ilse Varga",
        "Ilse Warga",
    }
    # the overlay draws the link between the panes and the relation inside one
    window.panes.overlay.relayout()
    drawn = {line.relation_id for line in window.panes.overlay.lines}
    assert {speaker.id, same.id} <= drawn
    # Escape cancels a link in the making
    qtbot.keyClick(a.view, Qt.Key.Key_L)
    qtbot.keyClick(a.view, Qt.Key.Key_Escape)
    assert not window.link_tools.mode.active and project.relation_count == 2
    # one undo step each; redo brings them back
    qtbot.keyClick(a.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [r.type for r in project.relations()] == ["speaker"]
    qtbot.keyClick(a.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert project.relation_count == 0
    qtbot.keyClick(a.view, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(a.view, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert sorted(r.type for r in project.relations()) == ["same", "speaker"]
    # saved, reopened, found again: in the file, in the project and in the Links panel
    qtbot.keyClick(a.view, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    root = project.root
    saved = json.loads((root / "annotator.json").read_text(encoding="utf-8"))
    assert [r["type"] for r in saved["links"]] == ["same"]
    window.close()
    again = open_main_window(root)
    assert sorted(r.type for r in again.session.project.relations()) == ["same", "speaker"]
    again.linksDock.show()  # type: ignore[attr-defined]
    panel = again.link_tools.panel
    qtbot.waitUntil(lambda: panel.links.rowCount() == 2)
    assert {panel.links.index(r, 0).data() for r in range(2)} == {"same", "speaker"}
    (cluster,) = clusters(again.session.project)
    assert cluster.name in {"Ilse Varga", "Ilse Warga"}  # the longest entity mention


def test_links_made_with_the_mouse_alt_drag_and_link_to(
    qtbot: QtBot, open_main_window: OpenWindow, write_articles: Callable[[dict[str, str]], Path]
) -> None:
    window = opened(open_main_window, write_articles)
    project = window.session.project
    courier, ledger, radio = (window.panes.panes[d] for d in ("courier", "ledger", "radio"))
    tag(qtbot, ledger, "40 million", Qt.Key.Key_2)
    tag(qtbot, courier, "45 million", Qt.Key.Key_2)
    tag(qtbot, courier, "Ilse Warga", Qt.Key.Key_1)
    tag(qtbot, radio, "Warga", Qt.Key.Key_1)
    # Alt-drag from 40 million to 45 million, then "contradicts" in the menu
    pick_from_popup(qtbot, "link_type_contradicts")
    alt_drag(
        ledger,
        ledger.document.text.index("40 million"),
        courier,
        courier.document.text.index("45 million"),
    )
    (contradicts,) = project.relations()
    assert contradicts.type == "contradicts" and contradicts.across
    # right click on Warga, "Link to…", click Ilse Warga, "same" in the menu
    pick_from_popup(qtbot, "menu_link_to")
    context_menu(radio, radio.document.text.index("Warga"))
    assert window.link_tools.mode.active
    pick_from_popup(qtbot, "link_type_same")
    click_at(qtbot, courier.view, courier.document.text.index("Warga"))
    assert sorted(r.type for r in project.relations()) == ["contradicts", "same"]
    assert not window.link_tools.mode.active
    # the menu offers only what fits: a claim and an entity cannot be speaker
    window.session.undo()
    window.session.undo()
    assert project.relation_count == 0


def test_deleting_a_span_takes_its_links_and_undo_brings_them_back(
    qtbot: QtBot, open_main_window: OpenWindow, write_articles: Callable[[dict[str, str]], Path]
) -> None:
    window = opened(open_main_window, write_articles)
    project = window.session.project
    courier, ledger, radio = (window.panes.panes[d] for d in ("courier", "ledger", "radio"))
    tag(qtbot, ledger, "Ilse Varga", Qt.Key.Key_1)
    tag(qtbot, courier, "Ilse Warga", Qt.Key.Key_1)
    tag(qtbot, radio, "Warga", Qt.Key.Key_1)
    for pane, step in ((ledger, Qt.Key.Key_BracketLeft), (courier, Qt.Key.Key_BracketLeft)):
        window.panes.focus_pane(pane.document.id)
        click_at(qtbot, pane.view, pane.document.text.index("arga"))
        qtbot.keyClick(pane.view, Qt.Key.Key_L)
        qtbot.keyClick(pane.view, step, Qt.KeyboardModifier.ControlModifier)
        qtbot.keyClick(window.panes.current_pane().view, Qt.Key.Key_Equal)  # type: ignore[union-attr]
    (cluster,) = clusters(project)
    assert len(cluster.members) == 3
    # the middle one goes: its two links with it, the other two stay one cluster
    window.panes.focus_pane("courier")
    click_at(qtbot, courier.view, courier.document.text.index("Warga"))
    qtbot.keyClick(courier.view, Qt.Key.Key_Delete)
    assert courier.document.span_count == 0
    (rest,) = clusters(project)
    assert {d for d, _s in rest.members} == {"ledger", "radio"}
    window.session.undo()
    assert courier.document.span_count == 1
    (whole,) = clusters(project)
    assert len(whole.members) == 3 and project.relation_count == 2


def test_selecting_a_span_highlights_what_is_linked_in_every_pane(
    qtbot: QtBot, open_main_window: OpenWindow, write_articles: Callable[[dict[str, str]], Path]
) -> None:
    window = opened(open_main_window, write_articles)
    courier, ledger = window.panes.panes["courier"], window.panes.panes["ledger"]
    tag(qtbot, ledger, "Ilse Varga", Qt.Key.Key_1)
    tag(qtbot, courier, "Ilse Warga", Qt.Key.Key_1)
    window.panes.focus_pane("ledger")
    click_at(qtbot, ledger.view, ledger.document.text.index("Varga"))
    qtbot.keyClick(ledger.view, Qt.Key.Key_L)
    qtbot.keyClick(ledger.view, Qt.Key.Key_BracketLeft, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(courier.view, Qt.Key.Key_Equal)
    click_at(qtbot, ledger.view, ledger.document.text.index("Varga"))
    assert [s.text for s in courier._linked] == ["Ilse Warga"]
    assert window.panes.overlay.highlighted
    # hovering a span lists its links (escaped, as plain text)
    tip = courier.tooltip_text(courier.document.text.index("Warga"))
    assert "same" in tip and "Ilse Varga" in tip


def test_an_end_scrolled_away_is_a_marker_at_the_pane_edge(
    qtbot: QtBot, open_main_window: OpenWindow, write_articles: Callable[[dict[str, str]], Path]
) -> None:
    long = "Filler line about the weather.\n" * 200 + "Ilse Varga closed the meeting.\n"
    window = open_main_window(
        write_articles({"a.txt": "Ilse Varga opened the meeting.\n", "b.txt": long})
    )
    a, b = window.panes.panes["a"], window.panes.panes["b"]
    tag(qtbot, a, "Ilse Varga", Qt.Key.Key_1)
    tag(qtbot, b, "Ilse Varga", Qt.Key.Key_1)
    window.panes.focus_pane("a")
    click_at(qtbot, a.view, 2)
    qtbot.keyClick(a.view, Qt.Key.Key_L)
    qtbot.keyClick(a.view, Qt.Key.Key_BracketRight, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(b.view, Qt.Key.Key_Equal)
    b.view.verticalScrollBar().setValue(0)  # the end in b scrolls out of view, below
    window.panes.overlay.relayout()
    marker = b._markers["down"]
    assert marker.isVisible() and marker.spans and marker.text().startswith("▼ 1")
    assert window.panes.overlay.lines  # the line runs to the pane's edge
    qtbot.mouseClick(marker, Qt.MouseButton.LeftButton)
    start, end = b.visible_range()
    assert start <= b.document.text.index("Ilse Varga closed") < end
    window.panes.overlay.relayout()
    assert not b._markers["down"].isVisible()


def test_on_the_seed_articles_the_generals_three_spellings_become_one_cluster(
    qtbot: QtBot, open_main_window: OpenWindow, seeds_copy: Path
) -> None:
    """The seed reports spell the general Alekseev and Alekseyev and give his age as 64
    and 65: three keyboard links make one cluster, one more marks the contradiction."""
    window = open_main_window(seeds_copy)
    project = window.session.project
    panes = list(window.panes.panes.values())
    assert len(panes) == 3
    names = []
    for pane in panes:
        found = re.search(r"Vladimir Aleksey?ev", pane.document.text)
        assert found is not None
        names.append(found.group())
        tag(qtbot, pane, found.group(), Qt.Key.Key_1)
    assert set(names) == {"Vladimir Alekseev", "Vladimir Alekseyev"}
    ages = [(p, re.search(r"\b6[45]\b", p.document.text)) for p in panes]
    aged = [(p, m) for p, m in ages if m is not None]
    assert sorted(m.group() for _p, m in aged) == ["64", "65"]
    for pane, match in aged:
        tag(qtbot, pane, match.group(), Qt.Key.Key_2)
    # Ctrl+] lands on the most similar span of the next pane: one key to link each
    for pane in panes[:2]:
        window.panes.focus_pane(pane.document.id)
        click_at(qtbot, pane.view, pane.document.text.index("Aleks"))
        qtbot.keyClick(pane.view, Qt.Key.Key_L)
        qtbot.keyClick(pane.view, Qt.Key.Key_BracketRight, Qt.KeyboardModifier.ControlModifier)
        qtbot.keyClick(window.panes.current_pane().view, Qt.Key.Key_Equal)  # type: ignore[union-attr]
    (general,) = clusters(project)
    assert len(general.members) == 3 and len(general.documents) == 3
    (first, m1), (second, m2) = aged
    window.panes.focus_pane(first.document.id)
    click_at(qtbot, first.view, m1.start())
    qtbot.keyClick(first.view, Qt.Key.Key_L)
    while window.panes.current_id != second.document.id:
        qtbot.keyClick(
            window.panes.current_pane().view,  # type: ignore[union-attr]
            Qt.Key.Key_BracketRight,
            Qt.KeyboardModifier.ControlModifier,
        )
    # the claim lands on the claim: 64 and 65
    assert window.session.selected is not None
    assert (
        project.span_of(  # type: ignore[union-attr]
            (window.session.selected.document_id, window.session.selected.span_id)
        ).text
        == m2.group()
    )
    qtbot.keyClick(second.view, Qt.Key.Key_C)
    contradicts = [r for r in project.relations() if r.type == "contradicts"]
    assert len(contradicts) == 1 and contradicts[0].across


def test_a_link_between_panes_apart_never_crosses_the_pane_between(
    qtbot: QtBot, open_main_window: OpenWindow, write_articles: Callable[[dict[str, str]], Path]
) -> None:
    """Issue 30: with three documents, the first and third's link is a tick and a dot
    at each pane's edge, not a line through the middle article's text."""
    from annotator.core.commands import AddSpan, make_span
    from annotator.core.relating import link

    window = open_main_window(
        write_articles(
            {
                "a.txt": "Ilse Varga opened the meeting.\n",
                "b.txt": "The council met on Monday about the harbour wall.\n",
                "c.txt": "Mayor Varga closed the meeting.\n",
            }
        )
    )
    project = window.session.project
    ends = []
    for doc_id, word in (("a", "Ilse Varga"), ("c", "Varga")):
        doc = project.document(doc_id)
        start = doc.text.index(word)
        span = make_span(doc, start, start + len(word), "entity")
        window.session.run(AddSpan(doc_id, span))
        ends.append((doc_id, span.id))
    window.session.run(link(project, "same", ends[0], ends[1]))
    overlay = window.panes.overlay
    overlay.relayout()

    (line,) = overlay.lines
    middle = window.panes.panes["b"].view.viewport()
    top_left = overlay.mapFrom(window, middle.mapTo(window, middle.rect().topLeft()))
    between = middle.rect().translated(top_left)
    drawn = line.path.boundingRect().toAlignedRect()
    assert drawn.width() > 0
    crossing = [
        r
        for r in (line.path.toSubpathPolygons() or [])
        if r.boundingRect().toAlignedRect().intersects(between)
    ]
    assert not crossing, "the line crosses the middle pane"


def test_find_retargets_the_link_to_the_span_it_lands_on(
    qtbot: QtBot, open_main_window: OpenWindow, write_articles: Callable[[dict[str, str]], Path]
) -> None:
    """Issue 30: in link mode Find selected the intended target but `c` linked the
    earlier candidate. Now L, Find (typing narrows), a relation key: three actions."""
    window = open_main_window(
        write_articles(
            {
                "a.txt": "The council said 140 homes were evacuated.\n",
                "b.txt": "Officials said 40 households left. Crews said 12 pumps ran.\n",
            }
        )
    )
    a, b = window.panes.panes["a"], window.panes.panes["b"]
    tag(qtbot, a, "140 homes were evacuated", Qt.Key.Key_2)
    tag(qtbot, b, "40 households left", Qt.Key.Key_2)
    tag(qtbot, b, "12 pumps ran", Qt.Key.Key_2)
    window.panes.focus_pane("a")
    click_at(qtbot, a.view, a.document.text.index("140") + 1)
    qtbot.keyClick(a.view, Qt.Key.Key_L)  # 1: link from the claim
    qtbot.keyClick(a.view, Qt.Key.Key_BracketRight, Qt.KeyboardModifier.ControlModifier)
    # Ctrl+] landed on the nearest candidate in b; the wanted one is another
    nearest = window.session.selected
    assert nearest is not None and nearest.document_id == "b"

    window.find_box.start()  # 2: Find, typing narrows to the target
    qtbot.keyClicks(window.find_box, "12 pumps")
    qtbot.keyClick(window.find_box, Qt.Key.Key_Return)
    qtbot.keyClick(window.focusWidget(), Qt.Key.Key_C)  # 3: contradicts

    (relation,) = window.session.project.relations()
    target = window.session.project.span_of(relation.target.key)
    assert relation.type == "contradicts"
    assert target is not None and target.text == "12 pumps ran"
