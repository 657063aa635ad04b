"""The comparison matrix: rows from links, one cell per document, marks where outlets
disagree, filters, and a view that follows undo (it is computed, never stored)."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.commands import AddSpan, make_span
from annotator.core.comparison import compare
from annotator.core.history import History
from annotator.core.models import replace_relation
from annotator.core.project import Project
from annotator.core.relating import link
from annotator.extract.facts import describe_difference
from annotator.io.load import open_project

A = "General Viktor Alekseev, 64, was shot. Alekseev survived. Kyiv denied it."
B = "Gen. Alekseyev, 65, was wounded. Prigozhin was not there."
C = "Alekseyev (65) lives. Berlin said nothing."


@pytest.fixture
def three(tmp_path: Path) -> tuple[Project, History]:
    for name, text in (("a", A), ("b", B), ("c", C)):
        (tmp_path / f"{name}.txt").write_text(text, encoding="utf-8")
    project, _report = open_project(tmp_path)
    return project, History(project)


def tag(history: History, project: Project, doc: str, words: str, label: str, nth: int = 0):
    text = project.document(doc).text
    at = -1
    for _ in range(nth + 1):
        at = text.index(words, at + 1)
    span = make_span(project.document(doc), at, at + len(words), label)
    history.execute(AddSpan(doc, span))
    return span


def test_a_cluster_is_one_row_and_repeated_mentions_join_their_cell(three) -> None:
    project, history = three
    a1 = tag(history, project, "a", "Viktor Alekseev", "entity")
    a2 = tag(history, project, "a", "Alekseev", "entity", nth=1)  # never linked
    b = tag(history, project, "b", "Alekseyev", "entity")
    c = tag(history, project, "c", "Alekseyev", "entity")
    tag(history, project, "b", "Prigozhin", "entity")
    history.execute(link(project, "same", ("a", a1.id), ("b", b.id)))
    history.execute(link(project, "same", ("b", b.id), ("c", c.id)))
    comp = compare(project)
    general = next(r for r in comp.rows if "b" in r.cells and r.cells["b"].text == "Alekseyev")
    assert set(general.cells) == {"a", "b", "c"} and general.coverage == 3
    # "Alekseev" alone is a different form from "Viktor Alekseev": its own row in a only
    assert ("a", a1.id) in general.cells["a"].members
    only_a = [r for r in comp.filtered("one") if "a" in r.cells]
    assert [r.cells["a"].members for r in only_a] == [(("a", a2.id),)]
    assert [r.name for r in comp.filtered("everywhere")] == ["Viktor Alekseev"]
    prigozhin = next(r for r in comp.rows if r.name == "Prigozhin")
    assert list(prigozhin.cells) == ["b"]
    assert comp.coverage("b") == 2 and [r.name for r in comp.unique("b")] == ["Prigozhin"]


def test_the_same_words_twice_in_one_document_are_one_cell(three) -> None:
    project, history = three
    first = tag(history, project, "a", "Alekseev", "entity")
    second = tag(history, project, "a", "Alekseev", "entity", nth=1)
    b = tag(history, project, "b", "Alekseyev", "entity")
    history.execute(link(project, "same", ("a", second.id), ("b", b.id)))
    (row,) = compare(project).rows
    assert row.cells["a"].members == (("a", first.id), ("a", second.id))


def test_a_contradiction_marks_both_cells_with_both_values(three) -> None:
    project, history = three
    a = tag(history, project, "a", "General Viktor Alekseev, 64, was shot.", "claim")
    b = tag(history, project, "b", "Gen. Alekseyev, 65, was wounded.", "claim")
    history.execute(link(project, "contradicts", ("a", a.id), ("b", b.id)))
    comp = compare(project, describe=describe_difference)
    (row,) = comp.rows
    (mark_a,) = row.cells["a"].marks
    (mark_b,) = row.cells["b"].marks
    assert (mark_a.type, mark_a.other, mark_a.note) == ("contradicts", "b", "age: 64 / 65")
    assert (mark_b.other, mark_b.note) == ("a", "age: 65 / 64")
    assert comp.filtered("conflicts") == [row] and len(comp.conflicts()) == 1
    # without a describer: both wordings
    plain = compare(project).rows[0].cells["a"].marks[0].note
    assert "64" in plain and "65" in plain and " / " in plain


def test_the_note_of_the_link_wins_and_is_turned_round(three) -> None:
    project, history = three
    a = tag(history, project, "a", "64", "claim")
    b = tag(history, project, "b", "65", "claim")
    batch = link(project, "differs", ("a", a.id), ("b", b.id))
    relation = batch.changes[0].after  # type: ignore[union-attr]
    relation = replace_relation(relation, note="age: 64 / 65; year: 2013 / 2023")
    from annotator.core.changes import RelationChange
    from annotator.core.commands import Batch

    history.execute(Batch("link", (RelationChange(relation.id, None, relation),)))
    row = compare(project).rows[0]
    assert row.cells["b"].marks[0].note == "age: 65 / 64; year: 2023 / 2013"


def test_the_view_follows_undo_and_counts_only_what_was_accepted(three) -> None:
    project, history = three
    a = tag(history, project, "a", "Alekseev", "entity")
    b = tag(history, project, "b", "Alekseyev", "entity")
    history.execute(link(project, "same", ("a", a.id), ("b", b.id)))
    assert len(compare(project).rows) == 1
    history.undo()
    assert len(compare(project).rows) == 2
    history.redo()
    # a pending link (a suggestion) counts only when asked for
    relation = project.relations()[0]
    from annotator.core.changes import RelationChange
    from annotator.core.commands import Batch

    pending = replace_relation(relation, status="pending", origin="align-entities")
    history.execute(Batch("pend", (RelationChange(relation.id, relation, pending),)))
    assert len(compare(project).rows) == 2
    assert len(compare(project, pending=True).rows) == 1


def test_documents_choose_the_columns_and_labels_the_rows(three) -> None:
    project, history = three
    a = tag(history, project, "a", "Alekseev", "entity")
    c = tag(history, project, "c", "Alekseyev", "entity")
    tag(history, project, "c", "Berlin said nothing.", "claim")
    history.execute(link(project, "same", ("a", a.id), ("c", c.id)))
    comp = compare(project, ["c", "a"], labels=["entity"])
    assert comp.documents == ("c", "a")
    (row,) = comp.rows
    assert list(row.cells) == ["c", "a"]
    only_b = compare(project, ["b"])
    assert only_b.rows == []
    with pytest.raises(ValueError, match="no filter"):
        comp.filtered("sometimes")


def test_paragraphs_and_outlet_names_a_report_uses() -> None:
    from annotator.core.comparison import Comparison
    from annotator.core.project import Document
    from annotator.core.provenance import column_names

    text = "Headline\n\nFirst paragraph.\r\n\r\nSecond one.\nThird, on the next line.\n"
    comp = Comparison(("d",), {"d": "t"}, texts={"d": text})
    assert [
        comp.paragraph("d", text.index(w)) for w in ("Headline", "First", "Second", "Third")
    ] == [
        1,
        2,
        3,
        4,
    ]
    docs = [
        Document(
            id="a",
            path="a.txt",
            text="x",
            title="Flood",
            source="Gazette",
            meta={"date": "2026-03-03"},
        ),
        Document(
            id="b",
            path="b.txt",
            text="y",
            title="Wall",
            source="Gazette",
            meta={"date": "2026-03-03"},
        ),
        Document(id="c", path="c.txt", text="z", title="Pumps", source=""),
        Document(id="d", path="d.txt", text="w", title="", source="Radio"),
    ]
    assert column_names(docs) == {
        "a": "Gazette, 2026-03-03 — Flood",  # one outlet twice: told apart by titles
        "b": "Gazette, 2026-03-03 — Wall",
        "c": "Pumps",  # no outlet: the title
        "d": "Radio",
    }
