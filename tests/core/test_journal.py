"""The edit journal: what it writes, how it reads back after a crash, and idempotent replay."""

from __future__ import annotations

from pathlib import Path

from annotator.core.commands import AddSpan, RemoveSpan, make_span, relabel
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
