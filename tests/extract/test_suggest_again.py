"""Running an extractor again respects what reviewers and annotators decided."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator import extract
from annotator.cli import main
from annotator.core.commands import AddSpan, make_span
from annotator.core.history import History
from annotator.core.project import Document, Project
from annotator.core.review import decide
from annotator.io.load import load_project, open_project
from annotator.io.save import save_project

TEXT = (
    "The mayor said: “We will rebuild the pier by spring,” and left.\n"
    "A fisherman replied: “Nobody believes that any more.”\n"
)


def project_with_text(tmp_path: Path) -> Project:
    (tmp_path / "pier.txt").write_text(TEXT, encoding="utf-8")
    project, _ = open_project(tmp_path)
    return project


def pending(doc: Document) -> list[tuple[int, int]]:
    return sorted((s.start, s.end) for s in doc.spans() if s.status == "pending")


def test_a_corrected_suggestion_is_not_proposed_again(tmp_path: Path) -> None:
    project = project_with_text(tmp_path)
    doc = project.documents[0]
    history = History(project)
    quotes = extract.load("quotes")
    first = extract.suggest(project, quotes, [doc])
    history.execute(first.batch)
    assert len(pending(doc)) == 2
    proposed = next(s for s in doc.spans() if s.text.startswith("We will"))
    # the reviewer shrinks it to "rebuild the pier" and accepts it
    start = doc.text.index("rebuild the pier")
    history.execute(decide(project, (doc.id, proposed.id), "accepted", start=start, end=start + 16))
    again = extract.suggest(project, quotes, [doc])
    assert again.batch.changes == ()  # neither the original range nor anything else
    assert again.skipped == {"already there": 1, "corrected by a reviewer before": 1}


def test_a_rejected_suggestion_is_not_proposed_again(tmp_path: Path) -> None:
    project = project_with_text(tmp_path)
    doc = project.documents[0]
    history = History(project)
    quotes = extract.load("quotes")
    history.execute(extract.suggest(project, quotes, [doc]).batch)
    for span in list(doc.spans()):
        history.execute(decide(project, (doc.id, span.id), "rejected"))
    again = extract.suggest(project, quotes, [doc])
    assert again.batch.changes == ()
    assert again.skipped == {"rejected before": 2}


def test_no_near_copy_on_top_of_a_span_a_person_made(tmp_path: Path) -> None:
    project = project_with_text(tmp_path)
    doc = project.documents[0]
    # the annotator tagged the quote with its quote marks
    start = doc.text.index("“We will")
    end = doc.text.index("spring,”") + len("spring,”")
    History(project).execute(AddSpan(doc.id, make_span(doc, start, end, "quote", snap=False)))
    again = extract.suggest(project, extract.load("quotes"), [doc])
    texts = [c.after.text for c in again.batch.changes if c.after]
    assert texts == ["Nobody believes that any more."]  # only the quote nobody tagged
    assert again.skipped == {"a person tagged most of it already": 1}


def test_a_small_suggestion_inside_a_long_span_of_a_person_is_still_proposed(
    tmp_path: Path,
) -> None:
    project = project_with_text(tmp_path)
    doc = project.documents[0]
    end = len(doc.text.rstrip())  # both sentences: each quote is under half of it
    History(project).execute(AddSpan(doc.id, make_span(doc, 0, end, "quote", snap=False)))
    again = extract.suggest(project, extract.load("quotes"), [doc])
    # the sentence-long span covers the quote, but the quote is not most of it
    assert len(again.batch.changes) == 2


def test_the_command_line_says_how_many_were_skipped_and_why(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = project_with_text(tmp_path)
    save_project(project)
    assert main(["suggest", str(tmp_path), "--extractor", "quotes"]) == 0
    assert "quotes: 2 new suggestions in 1 of 1 document" in capsys.readouterr().out
    reopened, _ = load_project(tmp_path)
    doc = reopened.documents[0]
    span = next(s for s in doc.spans() if s.text.startswith("Nobody"))
    History(reopened).execute(decide(reopened, (doc.id, span.id), "rejected"))
    save_project(reopened)
    assert main(["suggest", str(tmp_path), "--extractor", "quotes"]) == 0
    out = capsys.readouterr().out
    assert "quotes: 0 new suggestions in 0 of 1 document; skipped 2: " in out
    assert "1 already there, 1 rejected before" in out
