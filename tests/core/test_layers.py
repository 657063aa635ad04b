"""Team projects: each annotator's work in ``annotations/NAME.json``, saved only when it
changed, merged with git without a conflict, and nothing lost on bad input."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from annotator.core.commands import make_span
from annotator.core.project import Project
from annotator.io.layers import LAYERS_DIR, layer_path
from annotator.io.load import open_project
from annotator.io.save import ChangedOnDisk, save_project

TEXT_A = "Ana Lee met Bo Chen in Oslo. She said rates will rise soon."
TEXT_B = "Ana Lee spoke in Oslo on Monday."


def folder_with_articles(tmp_path: Path) -> Path:
    folder = tmp_path / "proj"
    folder.mkdir(parents=True)
    (folder / "a.txt").write_text(TEXT_A, encoding="utf-8")
    (folder / "b.txt").write_text(TEXT_B, encoding="utf-8")
    project, _ = open_project(folder)
    save_project(project)
    return folder


def run_git(*args: str, cwd: Path) -> str:
    """A git command in ``cwd`` as a test user; its output (it must succeed)."""
    done = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def tag(project: Project, doc_id: str, word: str, label: str, author: str | None) -> str:
    doc = project.document(doc_id)
    start = doc.text.index(word)
    span = make_span(doc, start, start + len(word), label, snap=False, author=author)
    doc.put_span(span)
    return span.id


def spans_by(project: Project) -> list[tuple[str | None, str, str]]:
    return sorted((s.author, s.text, s.label) for d in project.documents for s in d.spans())


def test_one_annotator_stays_one_file(tmp_path: Path) -> None:
    folder = folder_with_articles(tmp_path)
    project, _ = open_project(folder)
    project.annotator = "ann"
    tag(project, "a", "Ana Lee", "entity", "ann")
    tag(project, "a", "Oslo", "entity", None)  # made before she gave her name
    save_project(project)
    assert not (folder / LAYERS_DIR).exists()
    assert '"Ana Lee"' in (folder / "annotator.json").read_text(encoding="utf-8")


def test_the_second_annotator_splits_the_work_into_layers(tmp_path: Path) -> None:
    folder = folder_with_articles(tmp_path)
    project, _ = open_project(folder)
    tag(project, "a", "Ana Lee", "entity", "ann")
    tag(project, "a", "Oslo", "entity", None)  # unsigned: becomes the saver's
    save_project(project)
    project, _ = open_project(folder)
    project.annotator = "bob"
    tag(project, "a", "Ana Lee", "entity", "bob")
    tag(project, "b", "Monday", "claim", "bob")
    save_project(project)
    shared = json.loads((folder / "annotator.json").read_text(encoding="utf-8"))
    assert all(not d["spans"] for d in shared["documents"])  # no gold yet
    ann = json.loads(layer_path(folder, "ann").read_text(encoding="utf-8"))
    assert ann["annotator"] == "ann"
    assert [s["text"] for d in ann["documents"] for s in d["spans"]] == ["Ana Lee"]
    reopened, report = open_project(folder)
    assert not report.problems
    assert reopened.team
    assert spans_by(reopened) == [
        ("ann", "Ana Lee", "entity"),
        ("bob", "Ana Lee", "entity"),
        ("bob", "Monday", "claim"),
        ("bob", "Oslo", "entity"),  # the unsigned span went to the person who saved
    ]


def test_a_save_writes_only_the_layers_that_changed(tmp_path: Path) -> None:
    folder = folder_with_articles(tmp_path)
    project, _ = open_project(folder)
    tag(project, "a", "Ana Lee", "entity", "ann")
    tag(project, "a", "Oslo", "entity", "bob")
    save_project(project)
    ann_before = layer_path(folder, "ann").stat()
    shared_before = (folder / "annotator.json").read_bytes()
    project, _ = open_project(folder)
    project.annotator = "bob"
    tag(project, "b", "Monday", "claim", "bob")
    save_project(project)
    assert layer_path(folder, "ann").stat().st_mtime_ns == ann_before.st_mtime_ns
    assert (folder / "annotator.json").read_bytes() == shared_before
    assert "Monday" in layer_path(folder, "bob").read_text(encoding="utf-8")


def test_two_annotators_merge_with_git_without_a_conflict(tmp_path: Path) -> None:
    folder = folder_with_articles(tmp_path)
    project, _ = open_project(folder)
    tag(project, "a", "Ana Lee", "entity", "ann")
    tag(project, "a", "Oslo", "entity", "bob")
    save_project(project)

    def git(*args: str, cwd: Path = folder) -> str:
        return run_git(*args, cwd=cwd)

    git("init", "-q", "-b", "main")
    git("add", "-A")
    git("commit", "-qm", "start")
    clone = tmp_path / "bob-machine"
    git("clone", "-q", str(folder), str(clone), cwd=tmp_path)
    # ann works on her machine, bob on his, on the same article
    for root, me, word in ((folder, "ann", "Bo Chen"), (clone, "bob", "Bo Chen")):
        project, _ = open_project(root)
        project.annotator = me
        tag(project, "a", word, "entity", me)
        tag(project, "b", "Ana Lee", "entity", me)
        save_project(project)
        git("commit", "-qam", f"{me}'s work", cwd=root)
    git("pull", "-q", "--no-rebase", str(clone), "main")  # a merge, not a fast-forward
    merged, report = open_project(folder)
    assert not report.problems
    got = spans_by(merged)
    assert ("ann", "Bo Chen", "entity") in got and ("bob", "Bo Chen", "entity") in got
    assert len(got) == 6


def test_a_layer_changed_on_disk_is_not_overwritten(tmp_path: Path) -> None:
    folder = folder_with_articles(tmp_path)
    project, _ = open_project(folder)
    tag(project, "a", "Ana Lee", "entity", "ann")
    tag(project, "a", "Oslo", "entity", "bob")
    save_project(project)
    project, _ = open_project(folder)
    project.annotator = "bob"
    # a git pull brings ann's newer file while bob's window is open
    theirs = layer_path(folder, "ann").read_text(encoding="utf-8").replace("Ana Lee", "Ana Lee")
    layer_path(folder, "ann").write_text(theirs + "\n", encoding="utf-8")
    tag(project, "b", "Monday", "claim", "bob")
    save_project(project)  # bob's own layer: written; ann's file untouched
    assert layer_path(folder, "ann").read_text(encoding="utf-8") == theirs + "\n"
    tag(project, "b", "Oslo", "entity", "ann")  # would change ann's layer: refused
    with pytest.raises(ChangedOnDisk):
        save_project(project)
    assert layer_path(folder, "ann").read_text(encoding="utf-8") == theirs + "\n"


def test_a_broken_layer_is_reported_and_left_as_it_is(tmp_path: Path) -> None:
    folder = folder_with_articles(tmp_path)
    project, _ = open_project(folder)
    tag(project, "a", "Ana Lee", "entity", "ann")
    tag(project, "a", "Oslo", "entity", "bob")
    save_project(project)
    broken = layer_path(folder, "ann").read_bytes()[:-40]
    layer_path(folder, "ann").write_bytes(broken)
    project, report = open_project(folder)
    assert any(
        "annotations/ann.json" in p.where and "cannot be read" in p.message for p in report.problems
    )
    assert spans_by(project) == [("bob", "Oslo", "entity")]
    project.annotator = "bob"
    tag(project, "b", "Monday", "claim", "bob")
    save_project(project)
    assert layer_path(folder, "ann").read_bytes() == broken  # never rewritten
    project.annotator = "ann"
    tag(project, "b", "Oslo", "entity", "ann")
    with pytest.raises(OSError, match="could not be read"):
        save_project(project)
    assert layer_path(folder, "ann").read_bytes() == broken


def test_spans_that_no_longer_fit_the_article_are_kept(tmp_path: Path) -> None:
    folder = folder_with_articles(tmp_path)
    project, _ = open_project(folder)
    tag(project, "a", "Ana Lee", "entity", "ann")
    tag(project, "a", "Oslo", "entity", "bob")
    save_project(project)
    raw = json.loads(layer_path(folder, "ann").read_text(encoding="utf-8"))
    raw["documents"][0]["spans"][0]["start"] = 1
    raw["documents"][0]["spans"][0]["end"] = 8  # "na Lee " ≠ "Ana Lee"
    raw["documents"].append({"id": "gone", "spans": []})
    layer_path(folder, "ann").write_text(json.dumps(raw), encoding="utf-8")
    project, report = open_project(folder)
    messages = " ".join(p.message for p in report.problems)
    assert "no longer matches the article" in messages and "'gone'" in messages
    project.annotator = "ann"
    tag(project, "b", "Monday", "claim", "ann")
    save_project(project)  # ann's layer is rewritten: what it could not read stays in it
    again = json.loads(layer_path(folder, "ann").read_text(encoding="utf-8"))
    kept = json.dumps(again["unreadable"])
    assert '"gone"' in kept and '"start": 1' in kept


def test_a_save_cut_between_the_layer_and_the_shared_file_loses_nothing(tmp_path: Path) -> None:
    folder = folder_with_articles(tmp_path)
    project, _ = open_project(folder)
    ident = tag(project, "a", "Ana Lee", "entity", None)
    tag(project, "a", "Oslo", "entity", "bob")
    tag(project, "a", "Bo Chen", "entity", "cleo")
    shared = tmp_path / "shared-before.json"
    save_project(project)  # a team project now; the unsigned span stays shared
    shutil.copy(folder / "annotator.json", shared)
    project, _ = open_project(folder)
    project.annotator = "bob"
    project.document("a").put_span(project.document("a").span(ident))
    save_project(project)  # the unsigned span moves to bob's layer
    shutil.copy(shared, folder / "annotator.json")  # as if killed before the shared file
    project, report = open_project(folder)
    assert not report.errors
    assert [s for s in spans_by(project) if s[1] == "Ana Lee"] == [("bob", "Ana Lee", "entity")]


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b'{"documents": [{"id": "a", "spans": ["\\ud800"]}]}', "lone"),
        (b"[" * 500 + b"]" * 500, "no documents list"),
        (b"[" * 5000 + b"]" * 5000, "nested more than"),
        (b'{"documents": [{"id": "a", "spans": "Ana"}]}', "not a list"),
        (b'{"documents": [{"id": "a", "spans": [{"start": -1}]}]}', "cannot be read"),
        (b'{"documents": 7}', "no documents list"),
        (b"\xff\xfe not utf-8", "cannot be read"),
    ],
)
def test_hostile_layer_files_are_reported_not_crashed_on(
    tmp_path: Path, content: bytes, says: str
) -> None:
    folder = folder_with_articles(tmp_path)
    (folder / LAYERS_DIR).mkdir()
    layer_path(folder, "eve").write_bytes(content)
    project, report = open_project(folder)
    messages = " ".join(f"{p.where} {p.message}" for p in report.problems).lower()
    assert "annotations/eve.json" in messages and says in messages, messages
    project.annotator = "ann"
    tag(project, "a", "Oslo", "entity", "ann")
    save_project(project)  # her work saves; eve's file stays exactly as it was
    assert layer_path(folder, "eve").read_bytes() == content  # only eve's session writes it
    assert "Oslo" in layer_path(folder, "ann").read_text(encoding="utf-8")


def test_a_save_refused_for_the_shared_file_writes_no_layer(tmp_path: Path) -> None:
    """annotator.json changed on disk: the save is refused before any layer is written."""
    folder = folder_with_articles(tmp_path)
    project, _ = open_project(folder)
    tag(project, "a", "Ana Lee", "entity", "ann")
    tag(project, "a", "Oslo", "entity", "bob")
    save_project(project)
    layers_before = {p.name: p.read_bytes() for p in (folder / LAYERS_DIR).iterdir()}
    project.annotator = "bob"
    tag(project, "b", "Monday", "claim", "bob")
    shared = folder / "annotator.json"
    changed = shared.read_bytes().replace(b'"labels"', b'"labels" ', 1)
    shared.write_bytes(changed)  # someone else's version
    with pytest.raises(ChangedOnDisk) as refused:
        save_project(project)
    assert refused.value.path == shared
    assert {p.name: p.read_bytes() for p in (folder / LAYERS_DIR).iterdir()} == layers_before
    assert shared.read_bytes() == changed
