"""The journal under faults: line-separator characters, a full disk, a read-only folder."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pytest

from annotator.core.commands import AddSpan, make_span
from annotator.core.project import Project
from annotator.io.journal import Journal, journal_path
from annotator.io.load import open_project
from annotator.io.recovery import read_journal, recovery_changes
from annotator.io.save import save_project

# characters str.splitlines() breaks at, which JSON keeps raw inside strings
SEPARATORS = ["\u2028", "\u2029", "\x85", "\x1c", "\x1d", "\x1e", "\x0b", "\x0c"]


def project_with(tmp_path: Path, text: str) -> Project:
    (tmp_path / "a.txt").write_text(text, encoding="utf-8", newline="")
    project, _ = open_project(tmp_path)
    save_project(project)
    return project


def tag(project: Project, journal: Journal, piece: str) -> str:
    doc = project.documents[0]
    start = doc.text.index(piece)
    command = AddSpan(doc.id, make_span(doc, start, start + len(piece), "claim", snap=False))
    journal.record(command.do(project), command.description)
    return command.span.id


@pytest.mark.parametrize("separator", SEPARATORS)
def test_edits_holding_line_separators_come_back(tmp_path: Path, separator: str) -> None:
    text = f"The council met.{separator}The pier{separator}reopens Monday.\n"
    project = project_with(tmp_path, text)
    journal = Journal(tmp_path)
    first = tag(project, journal, f"pier{separator}reopens")
    second = tag(project, journal, "council")
    journal.close()  # killed before the next autosave
    contents = read_journal(tmp_path)
    assert contents is not None
    assert contents.problems == [] and contents.skipped == 0
    assert [e.seq for e in contents.edits] == [1, 2]
    reopened, _ = open_project(tmp_path)
    changes, problems = recovery_changes(reopened, contents.edits)
    assert problems == []
    assert {c.span_id for c in changes} == {first, second}
    # any reader of the journal sees one record a line (the characters are escaped)
    assert all(sep not in journal_path(tmp_path).read_text("utf-8") for sep in SEPARATORS[:3])


def test_a_journal_of_the_earlier_version_with_raw_separators_is_read_whole(
    tmp_path: Path,
) -> None:
    text = "One\u2028two three.\n"
    project = project_with(tmp_path, text)
    doc = project.documents[0]
    span = make_span(doc, 0, 7, "claim", snap=False)
    from annotator.core.models import span_to_json

    lines = [
        {"journal": 1, "started": "2026-11-20T09:00:00+00:00", "pid": 1},
        {
            "seq": 1,
            "time": "2026-11-20T09:00:01+00:00",
            "what": "Tag",
            "changes": [{"document": doc.id, "span": span.id, "value": span_to_json(span)}],
        },
    ]
    raw = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)
    assert "\u2028" in raw  # written raw, as version 1 did
    journal_path(tmp_path).write_text(raw, encoding="utf-8")
    contents = read_journal(tmp_path)
    assert contents is not None and contents.problems == []
    assert len(contents.edits) == 1


def test_a_full_disk_is_reported_once_and_nothing_is_lost_when_it_clears(
    tmp_path: Path,
) -> None:
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full here")
    project = project_with(tmp_path, "Alpha beta gamma delta epsilon.\n")
    journal_path(tmp_path).symlink_to("/dev/full")  # every write: ENOSPC
    told: list[str | None] = []
    journal = Journal(tmp_path, on_problem=told.append)
    tag(project, journal, "Alpha")
    tag(project, journal, "beta")
    tag(project, journal, "gamma")
    assert len(told) == 1 and told[0] is not None
    assert "cannot be written" in told[0] and "No space left on device" in told[0]
    assert journal.failed is not None
    journal_path(tmp_path).unlink()  # space again
    tag(project, journal, "delta")
    assert told[-1] is None and journal.failed is None  # and it says so, once
    journal.close()
    contents = read_journal(tmp_path)
    assert contents is not None and contents.problems == []
    assert [e.seq for e in contents.edits] == [1, 2, 3, 4]  # kept in memory meanwhile


def test_a_write_cut_short_by_a_full_disk_starts_the_next_record_on_a_new_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = project_with(tmp_path, "Alpha beta gamma.\n")
    journal = Journal(tmp_path)
    tag(project, journal, "Alpha")
    real_write = os.write
    calls = {"n": 0}

    def half_then_full(fd: int, data: bytes) -> int:
        calls["n"] += 1
        if calls["n"] == 1:
            return real_write(fd, bytes(data[:10]))  # part of the line reaches the disk
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", half_then_full)
    tag(project, journal, "beta")
    monkeypatch.setattr(os, "write", real_write)
    tag(project, journal, "gamma")
    journal.close()
    contents = read_journal(tmp_path)
    assert contents is not None
    assert [e.seq for e in contents.edits] == [1, 2, 3]  # the half line is skipped, not fatal
    assert contents.skipped == 1


def test_discarding_on_a_read_only_folder_does_not_raise(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A journal that was written, then cannot be deleted (the folder went read-only):
    discarding it raises nothing and leaves it; the next edit cannot start a new one,
    which is said, not raised."""
    project = project_with(tmp_path, "Alpha beta.\n")
    told: list[str | None] = []
    journal = Journal(tmp_path, on_problem=told.append)
    tag(project, journal, "Alpha")
    assert journal_path(tmp_path).exists()

    def read_only(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(Path, "unlink", read_only)
    journal.discard()
    assert journal_path(tmp_path).exists()  # it stays, holding only saved edits
    monkeypatch.setattr(os, "open", read_only)
    tag(project, journal, "beta")
    assert told and told[-1] is not None and "cannot be written" in told[-1]
    journal.saved_through(journal.seq)
    journal.close()


def test_an_autosave_between_failures_does_not_announce_the_problem_again(
    tmp_path: Path,
) -> None:
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full here")
    project = project_with(tmp_path, "Alpha beta gamma delta.\n")
    told: list[str | None] = []
    journal = Journal(tmp_path, on_problem=told.append)
    journal_path(tmp_path).symlink_to("/dev/full")
    tag(project, journal, "Alpha")
    save_project(project)
    journal.saved_through(journal.seq)  # an autosave: nothing is at risk now
    journal_path(tmp_path).unlink(missing_ok=True)
    journal_path(tmp_path).symlink_to("/dev/full")  # and the disk is still full
    tag(project, journal, "beta")
    assert len(told) == 1  # said once
