"""Suggested relations and links in the Review queue: the quotes extractor proposes each
quote's speaker as a ``speaker`` relation (to the entity span there, or to a suggested
one); the reviewer walks them with the same keys as spans: A accepts, R rejects, a
relation key retypes (what the model proposed is kept), Ctrl+Z goes back."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from annotator.core.commands import AddSpan, make_span
from annotator.core.history import History
from annotator.core.review import RelationKey, decide_relation
from annotator.core.suggestions import Candidate, Related, suggestion_batch
from annotator.io.load import open_project
from annotator.ui.main_window import MainWindow
from tests.ui.conftest import OpenWindow

A = "“We will rebuild the bridge,” said Zoë Varga on Monday. Varga is the mayor.\n"
B = "Mayor Warga said “the bridge will be rebuilt” before the council met.\n"


def press(qtbot: QtBot, window: MainWindow, key: Qt.Key) -> None:
    qtbot.keyClick(window.focusWidget() or window, key)


def test_the_speaker_attaches_to_the_entity_already_there_and_is_not_proposed_again(
    write_articles: Callable[[dict[str, str]], Path],
) -> None:
    project, _ = open_project(write_articles({"a.txt": A}))
    doc = project.document("a")
    history = History(project)
    name = A.index("Zoë Varga")
    person = make_span(doc, name, name + len("Zoë Varga"), "entity")
    history.execute(AddSpan("a", person))
    quote = (A.index("We"), A.index(",”"))
    candidate = Candidate(
        *quote, "quote", 0.9, {}, (Related("speaker", name + 4, name + 9, "entity"),)
    )
    suggested = suggestion_batch([(doc, [candidate])], "quotes", project)
    history.execute(suggested.batch)
    (relation,) = project.relations()
    # "Varga" inside the person's "Zoë Varga": the relation goes to the span around it
    assert relation.target.span == person.id and relation.status == "pending"
    history.execute(decide_relation(project, RelationKey(relation.id), "rejected"))
    again = suggestion_batch([(doc, [candidate])], "quotes", project)
    assert again.batch.changes == ()  # the quote is there, the relation was rejected
    assert again.skipped == {"already there": 1, "rejected before": 1}


def test_review_walks_suggested_relations_with_the_same_keys(
    qtbot: QtBot, open_main_window: OpenWindow, write_articles: Callable[[dict[str, str]], Path]
) -> None:
    window = open_main_window(write_articles({"a.txt": A, "b.txt": B}))
    project = window.session.project
    with qtbot.waitSignal(window.suggestion_tools.finished, timeout=10000):
        window.suggestion_tools.run_extractor("quotes")
    speakers = [r for r in project.relations() if r.type == "speaker"]
    assert len(speakers) == 2 and all(r.status == "pending" for r in speakers)
    ends = {
        (project.span_of(r.source.key).text, project.span_of(r.target.key).text)  # type: ignore[union-attr]
        for r in speakers
    }
    assert ends == {
        ("We will rebuild the bridge", "Zoë Varga"),
        ("the bridge will be rebuilt", "Warga"),
    }
    qtbot.keyClick(
        window.focusWidget() or window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier
    )
    assert window.review.active
    # the queue: document a's quote, its speaker, the relation; then document b's
    seen = []
    for _ in range(6):
        relation = window.review.current_relation()
        if relation is not None:
            seen.append(("relation", relation.type))
            assert "speaker relation" in window.review_panel.current_label.text()
            assert "→" in window.review_panel.current_text.text()
            # both ends are shown: the source selected, the link drawn
            window.panes.overlay.relayout()
            assert relation.id in {line.relation_id for line in window.panes.overlay.lines}
            if len([s for s in seen if s[0] == "relation"]) == 1:
                press(qtbot, window, Qt.Key.Key_A)  # accept
            else:
                press(qtbot, window, Qt.Key.Key_S)  # same key as its type: nothing changes
                press(qtbot, window, Qt.Key.Key_R)  # reject
        else:
            span = window.review.current_span()
            if span is None:
                break
            seen.append(("span", span.label))
            press(qtbot, window, Qt.Key.Key_A)
    assert seen.count(("relation", "speaker")) == 2
    first, second = sorted(speakers, key=lambda r: r.source.document)
    assert project.relation(first.id).status == "accepted"
    assert project.relation(second.id).status == "rejected"
    # Ctrl+Z takes the last decision back and goes back to it
    qtbot.keyClick(
        window.focusWidget() or window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier
    )
    assert project.relation(second.id).status == "pending"
    assert window.review.current_relation() is not None
    assert window.review.current_relation().id == second.id  # type: ignore[union-attr]
    # a relation key retypes it; the model's type is kept as proposed
    press(qtbot, window, Qt.Key.Key_Equal)
    retyped = project.relation(second.id)
    assert (retyped.type, retyped.proposed, retyped.status) == ("same", "speaker", "pending")
    assert "proposed: speaker" in window.review_panel.current_label.text()
    press(qtbot, window, Qt.Key.Key_A)
    assert project.relation(second.id).status == "accepted"
    # a label key does not relabel the quote behind a relation under review
    window.review.index = window.review.keys.index(RelationKey(second.id))
    window.review._show_current()
    quote = project.span_of(second.source.key)
    press(qtbot, window, Qt.Key.Key_1)
    assert project.span_of(second.source.key) == quote


def test_the_queue_filters_to_one_relation_type(
    qtbot: QtBot, open_main_window: OpenWindow, write_articles: Callable[[dict[str, str]], Path]
) -> None:
    """Issue 30: "contradictions only": the Label filter offers each relation type's
    links; choosing one leaves only those in the queue, no spans between them."""
    window = open_main_window(write_articles({"a.txt": A, "b.txt": B}))
    project = window.session.project
    with qtbot.waitSignal(window.suggestion_tools.finished, timeout=10000):
        window.suggestion_tools.run_extractor("quotes")
    qtbot.keyClick(
        window.focusWidget() or window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier
    )
    combo = window.review_panel.label_filter
    entries = [combo.itemText(i) for i in range(combo.count())]
    assert "speaker links" in entries and "contradicts links" in entries

    combo.setCurrentIndex(entries.index("speaker links"))

    seen = []
    for _ in range(5):
        relation = window.review.current_relation()
        assert window.review.current_span() is None or relation is not None
        if relation is None or relation.status != "pending":
            break  # the end of the queue: the last one stays current, decided
        seen.append(relation.type)
        press(qtbot, window, Qt.Key.Key_A)
    assert seen == ["speaker", "speaker"]
    assert all(r.status == "accepted" for r in project.relations() if r.type == "speaker")
    combo.setCurrentIndex(entries.index("contradicts links"))
    assert window.review.current_relation() is None and window.review.current_span() is None
