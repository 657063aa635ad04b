"""The edit journal: what it writes, how it reads back after a crash, and idempotent replay."""

from __future__ import annotations

from pathlib import Path

from annotator.core.commands import AddSpan, RemoveSpan, make_span, relabel
from annotator.core.models import Span
from annotator.core.project import Project
from annotator.io.journal import Journal, journal_path
from annotator.io.load import load_project, open_project
from annotator.io.recovery import read_journal, recovery_changes
from annotator.io.save import save_project


def state(project: Project) -> dict[str, list[tuple[str, int, int, str]]]:
    return {d.id: [(s.id, s.start, s.end, s.label) for s in d.spans()] for d in project.documents}


def edit(project: Project, journal: Journal, word: str, label: str = "entity") -> str:
    doc = project.documents[1]
    start = doc.text.index(word)
    command = AddSpan(doc.id, make_span(doc, start, start + len(word), label))
    journal.record(command.do(project), command.description)
    return command.span.id


def saved_project(root: Path) -> Project:
    project, _ = open_project(root)
    save_project(project)
    return project


def test_replaying_the_journal_gives_the_session_state_from_any_saved_point(
    sample_copy: Path,
) -> None:
    project = saved_project(sample_copy)
    journal = Journal(sample_copy)
    first = edit(project, journal, "Saltmarsh")
    save_project(project)  # an autosave tick in the middle of the session
    journal.saved_through(journal.seq)
    edit(project, journal, "Kestrel")
    doc = project.documents[1]
    update = relabel(doc.id, doc.span(first), "quote")
    journal.record(update.do(project), update.description)
    remove = RemoveSpan(doc.id, doc.span(first))
    journal.record(remove.do(project), remove.description)
    journal.record(remove.undo(project), "Undo")
    final = state(project)
    journal.close()  # the process dies here: no save after the tick

    contents = read_journal(sample_copy)
    assert contents is not None and not contents.problems
    assert [e.seq for e in contents.edits] == [2, 3, 4, 5]  # the tick emptied the journal

    reopened, _ = load_project(sample_copy)
    assert state(reopened) != final
    changes, problems = recovery_changes(reopened, contents.edits)
    assert not problems
    for change in changes:
        doc = reopened.document(change.document_id)
        if change.after is None:
            doc.pop_span(change.span_id)
        else:
            doc.put_span(change.after)
    assert state(reopened) == final
    # replaying onto a state that already holds the edits changes nothing
    assert recovery_changes(reopened, contents.edits) == ((), [])


def test_a_line_cut_short_by_a_kill_is_skipped_and_reported(sample_copy: Path) -> None:
    project = saved_project(sample_copy)
    journal = Journal(sample_copy)
    edit(project, journal, "Saltmarsh")
    edit(project, journal, "Kestrel")
    journal.close()
    path = journal_path(sample_copy)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 30])  # the last line was being written

    contents = read_journal(sample_copy)
    assert contents is not None
    assert [e.seq for e in contents.edits] == [1]
    assert len(contents.problems) == 1 and "cut short" in contents.problems[0]
    assert ", line 3:" in contents.problems[0]


def test_saving_empties_the_journal_or_marks_how_far_the_file_is(sample_copy: Path) -> None:
    project = saved_project(sample_copy)
    journal = Journal(sample_copy)
    edit(project, journal, "Saltmarsh")
    journal.saved_through(1)
    assert not journal_path(sample_copy).exists()

    edit(project, journal, "Kestrel")
    edit(project, journal, "Tuesday")
    journal.saved_through(2)  # an edit was made while the autosave was writing
    contents = read_journal(sample_copy)
    assert contents is not None
    assert contents.saved_seq == 2 and [e.seq for e in contents.unsaved] == [3]
    journal.close()


def test_edits_of_a_document_that_is_gone_are_reported(sample_copy: Path) -> None:
    project = saved_project(sample_copy)
    journal = Journal(sample_copy)
    edit(project, journal, "Saltmarsh")
    journal.close()
    contents = read_journal(sample_copy)
    assert contents is not None
    other = Project(root=sample_copy)
    changes, problems = recovery_changes(other, contents.edits)
    assert changes == ()
    assert problems == [
        f"document {project.documents[1].id} is no longer in the project; its edits were skipped"
    ]


def test_a_journal_of_the_previous_version_is_still_offered_back(sample_copy: Path) -> None:
    """Journal version 1 (span entries only) is read and replayed by the current version."""
    import json

    from annotator.core.models import span_to_json
    from annotator.io.journal import JOURNAL_VERSION

    assert JOURNAL_VERSION == 4
    project = saved_project(sample_copy)
    doc = project.documents[1]
    start = doc.text.index("Saltmarsh")
    span = make_span(doc, start, start + 9, "entity")
    lines = [
        {"journal": 1, "started": "2026-11-20T09:00:00+00:00", "pid": 1},
        {
            "seq": 1,
            "time": "2026-11-20T09:00:01+00:00",
            "what": "Tag “Saltmarsh” as entity",
            "changes": [{"document": doc.id, "span": span.id, "value": span_to_json(span)}],
        },
    ]
    journal_path(sample_copy).write_text("".join(json.dumps(x) + "\n" for x in lines), "utf-8")
    contents = read_journal(sample_copy)
    assert contents is not None and contents.problems == []
    changes, problems = recovery_changes(project, contents.edits)
    assert problems == [] and [c.span_id for c in changes] == [span.id]  # type: ignore[union-attr]


def test_a_journal_of_a_newer_annotator_is_skipped_with_a_message(sample_copy: Path) -> None:
    import json

    saved_project(sample_copy)
    lines = [
        {"journal": 99, "started": "2030-01-01T00:00:00+00:00", "pid": 1},
        {"seq": 1, "time": "", "what": "?", "changes": [{"future": True}]},
    ]
    journal_path(sample_copy).write_text("".join(json.dumps(x) + "\n" for x in lines), "utf-8")
    contents = read_journal(sample_copy)
    assert contents is not None and contents.edits == []
    assert "newer Annotator (journal version 99)" in contents.problems[0]


def test_document_and_label_changes_are_journalled_and_replayed(sample_copy: Path) -> None:
    from annotator.core.changes import DocumentChange, DocumentInfo, LabelChange, SpanChange
    from annotator.core.commands import Batch
    from annotator.core.models import Label

    project = saved_project(sample_copy)
    (sample_copy / "new.txt").write_text("A brand new article about Kestrel Bay.\n", "utf-8")
    text = (sample_copy / "new.txt").read_text("utf-8")
    info = DocumentInfo("New", "Bay Radio", "new.txt", (), text)
    span = make_span_on(text, "Kestrel Bay")
    batch = Batch(
        "Import",
        (
            LabelChange("place", None, Label(name="place", color="#123456")),
            DocumentChange("new one", None, info),
            SpanChange("new one", None, span),
        ),
    )
    journal = Journal(sample_copy)
    journal.record(batch.do(project), batch.description)
    journal.close()
    reopened, _ = open_project(sample_copy)  # "new.txt" comes back as a stand-in document
    assert not reopened.has_document("new one") and reopened.has_document("new")
    contents = read_journal(sample_copy)
    assert contents is not None
    changes, problems = recovery_changes(reopened, contents.edits)
    assert problems == []
    Batch("Restore", changes).do(reopened)
    assert reopened.has_document("new one") and not reopened.has_document("new")
    assert [s.text for s in reopened.document("new one").spans()] == ["Kestrel Bay"]
    assert reopened.label("place") == Label(name="place", color="#123456")
    assert reopened.document("new one").source == "Bay Radio"


def make_span_on(text: str, piece: str) -> Span:
    from annotator.core.models import Span as SpanModel

    start = text.index(piece)
    return SpanModel(
        id="s-000000000abc", start=start, end=start + len(piece), label="place", text=piece
    )


def test_recovery_belongs_to_the_annotator_whose_journal_it_is(sample_copy: Path) -> None:
    """Ann's session is killed; Bob opens the project first: he is told Ann has unsaved
    work and is not offered it; Ann opens it next and gets it back."""
    from annotator.io.journal import held_journal_path
    from annotator.io.recovery import own_journal
    from annotator.io.report import LoadReport

    project = saved_project(sample_copy)
    project.annotator = "Ann"
    journal = Journal(sample_copy, annotator="Ann")
    command = AddSpan(
        project.documents[0].id,
        make_span(project.documents[0], 0, 4, "entity", author="Ann"),
    )
    journal.record(command.do(project), command.description)
    del journal  # killed: the journal stays, unsaved

    bob = load_project(sample_copy)[0]
    bob.annotator = "Bob"
    report = LoadReport()
    assert own_journal(bob, report) is None  # Bob is not offered Ann's work
    told = " ".join(p.message for p in report.problems)
    assert "Ann has unsaved work" in told
    assert held_journal_path(sample_copy, "Ann").exists()
    assert not journal_path(sample_copy).exists()

    ann = load_project(sample_copy)[0]
    ann.annotator = "ann"  # the same person, spelled another way
    contents = own_journal(ann, LoadReport())
    assert contents is not None and contents.annotator == "Ann"
    changes, problems = recovery_changes(ann, contents.edits)
    assert changes and not problems


def test_an_f2_edit_of_the_date_or_author_alone_survives_a_crash(sample_copy: Path) -> None:
    """The details F2 edits besides title and outlet (meta: date, author, address) are
    put back from the journal like the title is (found killing a real window)."""
    from annotator.core.commands import Batch, edit_document

    project = saved_project(sample_copy)
    doc = project.documents[0]
    command = edit_document(
        project, doc.id, doc.title, doc.source, {"date": "2026-03-04", "author": "Mira Lund"}
    )
    journal = Journal(sample_copy)
    journal.record(command.do(project), command.description)
    journal.close()  # the process dies here: the file was not saved
    reopened, _ = open_project(sample_copy)
    assert "date" not in reopened.document(doc.id).meta
    contents = read_journal(sample_copy)
    assert contents is not None

    changes, problems = recovery_changes(reopened, contents.edits)

    assert problems == [] and changes
    Batch("Restore", changes).do(reopened)
    assert reopened.document(doc.id).meta["date"] == "2026-03-04"
    assert reopened.document(doc.id).meta["author"] == "Mira Lund"
