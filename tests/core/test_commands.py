from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.commands import AddSpan, EditError, RemoveSpan, make_span, relabel
from annotator.core.history import History
from annotator.core.project import Document, Project
from annotator.core.segments import segments

TEXT = "Mayor Ilona Varga said “we will rebuild” on Tuesday."


def project() -> Project:
    return Project(root=Path("/nonexistent"), documents=[Document(id="d", path="d.txt", text=TEXT)])


def test_add_relabel_remove_undo_redo_and_clean_marker() -> None:
    p = project()
    doc = p.document("d")
    h = History(p)
    assert h.is_clean
    span = make_span(doc, TEXT.index("Varga"), TEXT.index("Varga") + 5, "entity")
    changes = h.execute(AddSpan("d", span))
    assert changes[0].after == span and changes[0].before is None
    assert not h.is_clean
    h.mark_clean()
    h.execute(relabel("d", span, "claim"))
    assert doc.span(span.id).label == "claim"
    h.execute(RemoveSpan("d", doc.span(span.id)))
    assert doc.spans() == []
    h.undo()
    assert doc.span(span.id).label == "claim"
    h.undo()
    assert doc.span(span.id).label == "entity"
    assert h.is_clean
    h.redo()
    h.redo()
    assert doc.spans() == [] and not h.is_clean
    assert h.redo() == ()


def test_saved_state_in_dropped_redo_branch_is_never_clean_again() -> None:
    p = project()
    doc = p.document("d")
    h = History(p)
    h.execute(AddSpan("d", make_span(doc, 0, 5, "entity")))
    h.mark_clean()
    h.undo()
    h.execute(AddSpan("d", make_span(doc, 6, 11, "entity")))
    assert not h.is_clean
    h.undo()
    assert not h.is_clean


def test_make_span_refuses_bad_ranges() -> None:
    doc = project().document("d")
    with pytest.raises(EditError):
        make_span(doc, 5, 200, "entity")
    with pytest.raises(EditError):
        make_span(doc, 5, 6, "entity")  # a single space


def test_overlap_queries_and_segments_for_nested_spans() -> None:
    p = project()
    doc = p.document("d")
    q0 = TEXT.index("“")
    quote = make_span(doc, q0, TEXT.index("”") + 1, "quote", snap=False)
    inner = make_span(doc, TEXT.index("rebuild"), TEXT.index("rebuild") + 7, "entity")
    person = make_span(doc, 6, 17, "entity")
    for s in (quote, inner, person):
        doc.put_span(s)
    assert {s.id for s in doc.spans_overlapping(inner.start, inner.start)} == {quote.id, inner.id}
    assert doc.spans_overlapping(0, 5) == []
    segs = segments(doc.spans(), 0, len(TEXT))
    covering = {(TEXT[a:b], tuple(s.label for s in c)) for a, b, c in segs}
    assert ("rebuild", ("quote", "entity")) in covering
    assert ("Ilona Varga", ("entity",)) in covering
    assert sum(b - a for a, b, _ in segs) == (quote.end - quote.start) + (person.end - person.start)
