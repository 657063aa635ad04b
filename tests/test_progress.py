"""Issue 32: a corpus as a queue of work. Documents marked done (one undo step, saved,
journalled), ``annotator progress``, ``annotator assign`` with an overlap, exports of
finished work only (``--done-only``, read back by seqeval), the JSONL ``status`` both
ways, and each annotator's statuses in their own layer file (git merges them)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.core.commands import AddSpan, Batch, make_span
from annotator.core.history import History
from annotator.core.project import Project
from annotator.io.journal import Journal
from annotator.io.layers import layer_path
from annotator.io.load import open_project
from annotator.io.recovery import read_journal, recovery_changes
from annotator.io.save import save_project
from annotator.ops import progress
from tests.core.test_layers import run_git
from tests.test_cli import run

NAMES = ["Ana Lee", "Bo Chen", "Oslo", "Kestrel Bay", "Mira Osei", "Tromsø", "Dag Vik", "Lund"]


def corpus(folder: Path, n: int) -> Path:
    """``n`` articles of our own writing, each naming two of NAMES."""
    folder.mkdir()
    for i in range(n):
        a, b = NAMES[i % len(NAMES)], NAMES[(i + 3) % len(NAMES)]
        (folder / f"doc{i:02d}.txt").write_text(
            f"{a} met {b} on day {i}.\nThe talks went on until the evening.\n", encoding="utf-8"
        )
    return folder


def tag_first_name(
    project: Project, history: History, doc_id: str, author: str | None = None
) -> None:
    doc = project.document(doc_id)
    name = doc.text.split(" met ")[0]
    history.execute(AddSpan(doc_id, make_span(doc, 0, len(name), "entity", author=author)))


def test_done_is_one_undo_step_saved_and_read_back(tmp_path: Path) -> None:
    folder = corpus(tmp_path / "p", 5)
    project, _ = open_project(folder)
    project.annotator = "ann"
    history = History(project)
    ids = [d.id for d in project.documents]
    tag_first_name(project, history, ids[0])
    batch = progress.mark_done(project, ids[:2], "ann")
    assert batch is not None
    history.execute(batch)
    assert project.work.done("ann") == set(ids[:2])
    history.undo()
    assert project.work.done("ann") == set()
    history.redo()
    assert progress.summary_line(project, "ann") == "2 of 5 done"
    assert progress.mark_done(project, ids[:2], "ann") is None  # nothing left to say
    save_project(project)

    again, report = open_project(folder)
    assert not report.problems
    assert again.work.done("ann") == set(ids[:2])
    reopened = progress.reopen(again, [ids[0]], "ann")
    assert reopened is not None
    History(again).execute(reopened)
    assert again.work.status("ann", ids[0]) == "in_progress"


def test_progress_command_in_every_format(tmp_path: Path) -> None:
    folder = corpus(tmp_path / "p", 4)
    project, _ = open_project(folder)
    ids = [d.id for d in project.documents]
    history = History(project)
    history.execute(progress.mark_done(project, ids[:3], "ann"))  # type: ignore[arg-type]
    project.work.add_time("ann", ids[0], 95.0)
    for seconds, accepted in ((0.4, True), (0.5, True), (3.0, False)):
        project.work.add_decision("ann", ids[1], seconds, accepted)
    save_project(project)

    table = run("progress", str(folder))
    assert table.returncode == 0, table.stderr
    header, row = table.stdout.splitlines()[:2]
    assert header.split()[:4] == ["annotator", "done", "in", "progress"]
    assert row.split()[:5] == ["ann", "3", "0", "1", "4"]
    data = json.loads(run("progress", str(folder), "--format", "json").stdout)
    (ann,) = data["annotators"]
    assert (ann["done"], ann["of"], ann["decisions"], ann["accepted"]) == (3, 4, 3, 2)
    assert ann["quick_share"] == pytest.approx(2 / 3) and ann["seconds"] == 95.0
    lines = run("progress", str(folder), "--format", "csv").stdout.splitlines()
    assert lines[0].startswith("annotator,of,done") and lines[1].startswith("ann,4,3")


def test_done_only_conll_read_by_seqeval(tmp_path: Path) -> None:
    seqeval = pytest.importorskip("seqeval.metrics.sequence_labeling")
    folder = corpus(tmp_path / "p", 6)
    project, _ = open_project(folder)
    project.annotator = "ann"
    history = History(project)
    ids = [d.id for d in project.documents]
    for doc_id in ids:
        tag_first_name(project, history, doc_id, "ann")
    history.execute(progress.mark_done(project, ids[:2], "ann"))  # type: ignore[arg-type]
    save_project(project)

    out = tmp_path / "all.conll"
    every = run("export", str(folder), "-f", "conll", "-o", str(out))
    assert every.returncode == 0, every.stderr
    assert "4 documents of 6 not marked done" in every.stdout, every.stdout
    done = tmp_path / "done.conll"
    only = run("export", str(folder), "-f", "conll", "-o", str(done), "--done-only")
    assert only.returncode == 0, only.stderr
    assert "wrote 2 documents" in only.stdout and "not marked done" not in only.stdout
    text = done.read_text(encoding="utf-8")
    assert text.count("-DOCSTART-") == 2
    tags = [line.split()[-1] for line in text.splitlines() if line and "DOCSTART" not in line]
    entities = seqeval.get_entities(tags)
    wanted = [project.document(d).text.split(" met ")[0] for d in ids[:2]]
    assert len(entities) == len(wanted) == 2
    words = [line.split()[0] for line in text.splitlines() if line and "DOCSTART" not in line]
    found = [" ".join(words[s : e + 1]) for _t, s, e in entities]
    assert found == wanted


def test_jsonl_carries_the_status_and_brings_it_back(tmp_path: Path) -> None:
    folder = corpus(tmp_path / "p", 3)
    project, _ = open_project(folder)
    ids = [d.id for d in project.documents]
    History(project).execute(progress.mark_done(project, [ids[1]], "ann"))  # type: ignore[arg-type]
    save_project(project)
    out = tmp_path / "out.jsonl"
    assert run("export", str(folder), "-o", str(out)).returncode == 0
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["status"] for r in records] == ["new", "done", "new"]

    target = tmp_path / "new"
    target.mkdir()
    imported = run("import", str(target), str(out), "--format", "jsonl", "--annotator", "cy")
    assert imported.returncode == 0, imported.stderr
    back, _ = open_project(target)
    assert len(back.documents) == 3
    done = back.work.done("cy")
    assert [back.document(d).text for d in done] == [project.document(ids[1]).text]


def test_a_done_after_the_last_save_comes_back_after_a_crash(tmp_path: Path) -> None:
    folder = corpus(tmp_path / "p", 2)
    project, _ = open_project(folder)
    save_project(project)
    ids = [d.id for d in project.documents]
    journal = Journal(folder)
    batch = progress.mark_done(project, [ids[0]], "ann")
    assert batch is not None
    journal.record(History(project).execute(batch), batch.description)
    journal.sync()  # the window is killed here: nothing saved

    fresh, _ = open_project(folder)
    assert fresh.work.done("ann") == set()
    contents = read_journal(folder)
    assert contents is not None
    changes, problems = recovery_changes(fresh, contents.unsaved)
    assert not problems
    History(fresh).execute(Batch("recover", changes))
    assert fresh.work.done("ann") == {ids[0]}


def test_assign_with_overlap_then_two_annotators_finish_and_agree(tmp_path: Path) -> None:
    folder = corpus(tmp_path / "p", 10)
    run_git("init", "-q", "-b", "main", cwd=folder)
    out = run("assign", str(folder), "--annotators", "ann,bob", "--overlap", "0.2", "--seed", "3")
    assert out.returncode == 0, out.stderr
    assert "ann 6, bob 6; 2 documents shared by all" in out.stdout
    project, _ = open_project(folder)
    shared = [d.id for d in project.documents if set(d.assigned) == {"ann", "bob"}]
    assert len(shared) == 2
    # the queue holds one's own documents first
    for name in ("ann", "bob"):
        mine = [d.id for d in project.documents if name in d.assigned]
        assert progress.queue(project, name)[: len(mine)] == mine
    run_git("add", "-A", cwd=folder)
    run_git("commit", "-qm", "assigned", cwd=folder)
    clone = tmp_path / "bob-machine"
    run_git("clone", "-q", str(folder), str(clone), cwd=tmp_path)
    for root, me in ((folder, "ann"), (clone, "bob")):
        mine_project, _ = open_project(root)
        mine_project.annotator = me
        history = History(mine_project)
        current = progress.step(mine_project, me, None, not_done=True)
        while current is not None and me in mine_project.document(current).assigned:
            tag_first_name(mine_project, history, current, me)
            history.execute(progress.mark_done(mine_project, [current], me))  # type: ignore[arg-type]
            current = progress.step(mine_project, me, current, not_done=True)
        save_project(mine_project)
        assert '"work"' in layer_path(root, me).read_text(encoding="utf-8")
        run_git("add", "-A", cwd=root)
        run_git("commit", "-qm", f"{me} done", cwd=root)
    run_git("pull", "-q", "--no-rebase", str(clone), "main", cwd=folder)  # a real merge
    merged, report = open_project(folder)
    assert not report.problems
    table = {p.annotator: p for p in progress.progress(merged)}
    assert (table["ann"].done, table["ann"].of) == (6, 6)
    assert (table["bob"].done, table["bob"].of) == (6, 6)
    agree = run("agree", str(folder), "--annotators", "ann,bob", "--format", "json")
    assert agree.returncode == 0, agree.stderr
    report = json.loads(agree.stdout)
    assert report["documents"] == 2  # measured on the overlap, not on 10 documents
    assert report["annotators"] == ["ann", "bob"]


def test_assign_refuses_bad_names_and_overlaps(tmp_path: Path) -> None:
    folder = corpus(tmp_path / "p", 3)
    bad = run("assign", str(folder), "--annotators", "ann,../x")
    assert bad.returncode == 2 and "../x" in bad.stderr
    assert run("assign", str(folder), "--annotators", "ann", "--overlap", "2").returncode == 2
    assert not (folder / "annotator.json").exists()


def test_work_records_from_strangers_are_checked_and_kept(tmp_path: Path) -> None:
    """A name that may not name a layer, or a record that cannot be read, is reported
    with the file and kept as it was on the next save; never a file outside the project."""
    folder = corpus(tmp_path / "p", 2)
    project, _ = open_project(folder)
    save_project(project)
    file = folder / "annotator.json"
    raw = json.loads(file.read_text(encoding="utf-8"))
    raw["work"] = {
        "../../x": {"doc00": {"status": "done"}},
        "ann": {"doc00": {"status": "finished"}, "doc01": {"status": "done", "seconds": 3}},
    }
    file.write_text(json.dumps(raw), encoding="utf-8")
    project, report = open_project(folder)
    said = [f"{p.where}: {p.message}" for p in report.problems]
    assert any("'../../x'" in s and "annotator.json" in s for s in said), said
    assert any("doc00" in s and "finished" in s for s in said), said
    assert project.work.done("ann") == {"doc01"}
    save_project(project)
    back = json.loads(file.read_text(encoding="utf-8"))["work"]
    assert back["../../x"] == {"doc00": {"status": "done"}}
    assert back["ann"]["doc00"] == {"status": "finished"}
    assert not (tmp_path / "x.json").exists() and not (folder / "annotations").exists()
    validate = run("validate", str(folder))
    assert "finished" in validate.stdout
