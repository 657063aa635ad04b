"""Names from files never decide where a file is written, and only the files the
project owns are read from ``annotations/``: tried as an attacker would, with real
symlinks, FIFOs, folders and every import format that carries an author."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.cli import main
from annotator.core.names import BadName, check_name, layer_stem
from annotator.io.layers import LAYERS_DIR, layer_path
from annotator.io.load import open_project
from annotator.io.save import save_project
from annotator.io.validate import validate_project
from tests.core.test_layers import folder_with_articles, run_git, spans_by, tag

HOSTILE = [
    "../../x",
    "/tmp/abs",
    "..",
    ".hidden",
    "gold",
    "GOLD",
    "a\x00b",
    "a\nb",
    "a\u202eb",  # right-to-left override
    "a\u200bb",  # zero-width space
    "CON",
    "aux.json",
    "com1",
    "=1+2",
    "+cmd",
    "@SUM(A1)",
    "-2+3",
    "x" * 300,
    "",
    "   ",
    "a\\b",
    "C:x",
]


@pytest.mark.parametrize("name", HOSTILE)
def test_the_gate_refuses_names_that_could_name_a_file_badly(name: str) -> None:
    with pytest.raises(BadName):
        check_name(name)
    with pytest.raises(BadName):
        layer_stem(name)


@given(st.text(min_size=1, max_size=80))
@settings(max_examples=400, deadline=None)
def test_a_derived_file_name_is_always_a_plain_file_in_annotations(name: str) -> None:
    try:
        stem = layer_stem(name)
    except BadName:
        return
    assert stem and len(stem) <= 48
    assert not stem.startswith((".", "-")) and "/" not in stem and "\\" not in stem
    assert stem == stem.casefold()
    assert all(c.isalnum() or c in "-_" for c in stem), stem
    assert stem not in ("con", "prn", "aux", "nul", "gold")
    root = Path("/project")
    assert layer_path(root, name).parent == root / LAYERS_DIR


def test_good_names_of_any_script_pass() -> None:
    for name in ("Ann", "Ann Lee", "Zoë O'Brien", "李明", "محمد", "Jean-Luc", "ann.lee"):
        assert check_name(name) == name
        assert layer_stem(name)
    assert layer_stem("Ann") == layer_stem("ann") == "ann"
    assert layer_stem("Ann Lee") == "ann-lee"


def _outside(tmp_path: Path) -> set[Path]:
    """Files written outside the project folder (the test's own inputs aside)."""
    return {
        p
        for p in (*tmp_path.rglob("*"), *tmp_path.parent.glob("*.json"))
        if "proj" not in p.parts and p.name not in ("in.jsonl", "ls.json")
    }


@pytest.mark.parametrize("name", ["../../x", "/tmp/abs-layer", ".hidden", "gold", "a\x00b", "CON"])
def test_an_imported_author_never_names_a_file(tmp_path: Path, name: str) -> None:
    folder = folder_with_articles(tmp_path)
    text = (folder / "a.txt").read_text(encoding="utf-8")
    record = {
        "id": "a",
        "text": text,
        "spans": [
            {"start": 0, "end": 7, "label": "entity", "author": name},
            {"start": 12, "end": 19, "label": "entity", "author": "bob"},
        ],
    }
    file = tmp_path / "in.jsonl"
    file.write_text(json.dumps(record) + "\n", encoding="utf-8")
    before = (folder / "annotator.json").read_bytes()
    assert main(["import", str(folder), str(file), "--format", "jsonl"]) == 1
    assert (folder / "annotator.json").read_bytes() == before  # nothing imported
    assert main(["import", str(folder), str(file), "--format", "jsonl", "--keep-good"]) == 0
    assert _outside(tmp_path) == set()
    assert not Path("/tmp/abs-layer.json").exists()
    project, _report = open_project(folder)
    assert [a for a, *_ in spans_by(project)] == ["bob"]  # the good span, the bad one not


def test_a_label_studio_author_is_gated_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = folder_with_articles(tmp_path)
    text = (folder / "a.txt").read_text(encoding="utf-8")
    task = {
        "data": {"text": text},
        "annotations": [
            {
                "completed_by": {"email": "../../evil"},
                "result": [
                    {
                        "id": "r1",
                        "from_name": "label",
                        "to_name": "text",
                        "type": "labels",
                        "value": {"start": 0, "end": 7, "text": "Ana Lee", "labels": ["entity"]},
                    }
                ],
            }
        ],
    }
    file = tmp_path / "ls.json"
    file.write_text(json.dumps([task]), encoding="utf-8")
    main(["import", str(folder), str(file), "--format", "labelstudio", "--keep-good"])
    assert _outside(tmp_path) == set()
    assert not (tmp_path / "evil.json").exists()
    project, _ = open_project(folder)
    assert all(a != "../../evil" for a, *_ in spans_by(project))


def test_a_colleagues_project_file_with_a_hostile_author(tmp_path: Path) -> None:
    folder = folder_with_articles(tmp_path)
    project, _ = open_project(folder)
    tag(project, "a", "Oslo", "entity", "bob")
    tag(project, "a", "Ana Lee", "entity", "ann")
    save_project(project)
    raw = json.loads((folder / "annotator.json").read_text(encoding="utf-8"))
    if not any(d["spans"] for d in raw["documents"]):  # they went to layers: plant one
        span = json.loads(layer_path(folder, "bob").read_text(encoding="utf-8"))
        planted = span["documents"][0]["spans"][0]
        raw["documents"][0]["spans"].append(planted)
    raw["documents"][0]["spans"][0]["author"] = "../../escaped"
    (folder / "annotator.json").write_text(json.dumps(raw), encoding="utf-8")
    project, report = open_project(folder)
    assert any("author" in p.message and "not shown" in p.message for p in report.problems)
    project.annotator = "ann"
    tag(project, "b", "Monday", "claim", "ann")
    save_project(project)
    assert _outside(tmp_path) == set()
    assert "escaped" in (folder / "annotator.json").read_text(encoding="utf-8")  # kept aside


def test_a_hostile_name_in_settings_is_dropped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from annotator.settings import SETTINGS_FILE, config_dir, load_settings

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    config_dir().mkdir(parents=True)
    (config_dir() / SETTINGS_FILE).write_text(json.dumps({"author": "../../x"}), encoding="utf-8")
    assert load_settings().author is None
    (config_dir() / SETTINGS_FILE).write_text(json.dumps({"author": "Ann"}), encoding="utf-8")
    assert load_settings().author == "Ann"


def _layer(folder: Path, file: str, annotator: str, extra: dict[str, object] | None = None) -> Path:
    text = (folder / "a.txt").read_text(encoding="utf-8")
    start = text.index("Oslo")
    raw = {
        "layer_version": 1,
        "annotator": annotator,
        "documents": [
            {
                "id": "a",
                "spans": [
                    {
                        "id": f"s-{file[:6]}",
                        "start": start,
                        "end": start + 4,
                        "label": "entity",
                        "text": "Oslo",
                        "author": annotator,
                    }
                ],
                "relations": [],
            }
        ],
        "links": [],
        **(extra or {}),
    }
    (folder / LAYERS_DIR).mkdir(exist_ok=True)
    path = folder / LAYERS_DIR / file
    path.write_text(json.dumps(raw), encoding="utf-8")
    return path


def _said(folder: Path) -> str:
    return " ".join(f"{p.where}: {p.message}" for p in validate_project(folder))


def test_a_layer_claiming_a_hostile_or_other_name_is_not_read(tmp_path: Path) -> None:
    folder = folder_with_articles(tmp_path)
    _layer(folder, "x.json", "../../x")
    _layer(folder, "eve.json", "bob")  # says it is bob's: bob's file is bob.json
    project, _report = open_project(folder)
    assert spans_by(project) == []
    said = _said(folder)
    assert "annotations/x.json" in said and "refused" in said
    assert "annotations/eve.json" in said and "annotations/bob.json" in said


def test_links_folders_pipes_and_hidden_layers_are_reported_not_read(tmp_path: Path) -> None:
    folder = folder_with_articles(tmp_path)
    secret = tmp_path / "secret.json"
    _layer(tmp_path / "proj", "carol.json", "carol").rename(secret)
    layers = folder / LAYERS_DIR
    (layers / "carol.json").symlink_to(secret)  # a link out of the project
    (layers / "dan.json").symlink_to(tmp_path / "nothing.json")  # dangling
    (layers / "erin.json").mkdir()
    os.mkfifo(layers / "fred.json")
    _layer(folder, ".gina.json", "gina")
    (layers / "notes.txt").write_text("Not an article.", encoding="utf-8")
    project, _report = open_project(folder)  # returns: the FIFO is not waited on
    assert spans_by(project) == []
    assert [d.path for d in project.documents] == ["a.txt", "b.txt"]  # notes.txt is no article
    said = _said(folder)
    for name in ("carol.json", "dan.json", "erin.json", "fred.json", ".gina.json"):
        assert f"annotations/{name}" in said, (name, said)
    assert "is a link" in said


def test_annotations_as_a_file_or_a_link_is_reported_and_never_written_through(
    tmp_path: Path,
) -> None:
    folder = folder_with_articles(tmp_path)
    (folder / LAYERS_DIR).write_text("not a folder", encoding="utf-8")
    project, report = open_project(folder)
    assert any(p.where == LAYERS_DIR and "not a folder" in p.message for p in report.problems)
    (folder / LAYERS_DIR).unlink()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (folder / LAYERS_DIR).symlink_to(elsewhere)
    project, report = open_project(folder)
    assert any(p.where == LAYERS_DIR and "a link" in p.message for p in report.problems)
    tag(project, "a", "Oslo", "entity", "ann")
    tag(project, "a", "Ana Lee", "entity", "bob")
    with pytest.raises(OSError, match="link"):
        save_project(project)
    assert list(elsewhere.iterdir()) == []


def test_two_files_for_one_annotator_are_reported(tmp_path: Path) -> None:
    folder = folder_with_articles(tmp_path)
    _layer(folder, "bob.json", "bob")
    _layer(folder, "Bob.json", "Bob")
    project, _report = open_project(folder)
    said = _said(folder)
    assert "annotations/Bob.json" in said and "annotations/bob.json" in said
    assert len(project.layer_files) == 1


def test_a_legacy_file_name_is_read_and_moved_to_the_derived_one(tmp_path: Path) -> None:
    folder = folder_with_articles(tmp_path)
    _layer(folder, "Ann Lee.json", "Ann Lee")
    project, report = open_project(folder)
    assert not report.problems
    assert spans_by(project) == [("Ann Lee", "Oslo", "entity")]
    project.annotator = "Ann Lee"
    tag(project, "b", "Monday", "claim", "Ann Lee")
    save_project(project)
    assert sorted(p.name for p in (folder / LAYERS_DIR).iterdir()) == ["ann-lee.json"]
    reopened, report = open_project(folder)
    assert not report.problems
    assert len(spans_by(reopened)) == 2


def test_gold_planted_in_a_layer_is_not_gold(tmp_path: Path) -> None:
    folder = folder_with_articles(tmp_path)
    path = _layer(folder, "eve.json", "eve")
    raw = json.loads(path.read_text(encoding="utf-8"))
    raw["documents"][0]["spans"][0]["adjudication"] = {"sources": ["ann"], "outcome": "unanimous"}
    path.write_text(json.dumps(raw), encoding="utf-8")
    project, report = open_project(folder)
    spans = [s for d in project.documents for s in d.spans()]
    assert [(s.author, s.adjudication) for s in spans] == [("eve", None)]
    assert any("gold" in p.message for p in report.problems)


def test_a_newer_layer_is_left_alone_and_unknown_fields_survive(tmp_path: Path) -> None:
    folder = folder_with_articles(tmp_path)
    newer = _layer(folder, "eve.json", "eve", {"layer_version": 2, "future": [1]})
    before = newer.read_bytes()
    same = _layer(folder, "ann.json", "ann", {"comment": {"kept": True}})
    project, report = open_project(folder)
    assert any("newer" in p.message and "eve.json" in p.where for p in report.problems)
    project.annotator = "ann"
    tag(project, "b", "Monday", "claim", "ann")
    save_project(project)
    assert newer.read_bytes() == before
    assert json.loads(same.read_text(encoding="utf-8"))["comment"] == {"kept": True}


def test_two_clones_of_a_fresh_project_merge_without_a_conflict(tmp_path: Path) -> None:
    """The README's promise from the very start: one fresh project (no annotations/
    folder yet), two clones, two annotators, both save and commit, then a merge."""
    folder = tmp_path / "proj"
    folder.mkdir()
    (folder / "a.txt").write_text("Ana Lee met Bo Chen in Oslo on Monday.", encoding="utf-8")
    run_git("init", "-q", "-b", "main", cwd=folder)
    project, _ = open_project(folder)
    save_project(project)
    run_git("add", "-A", cwd=folder)
    run_git("commit", "-qm", "a fresh project", cwd=folder)
    clone = tmp_path / "bob-machine"
    run_git("clone", "-q", str(folder), str(clone), cwd=tmp_path)
    for root, me, word in ((folder, "Ann", "Ana Lee"), (clone, "Bob", "Oslo")):
        project, _ = open_project(root)
        project.annotator = me
        tag(project, "a", word, "entity", me)
        tag(project, "a", "Monday", "entity", me)
        save_project(project)
        run_git("add", "-A", cwd=root)
        run_git("commit", "-qm", f"{me}'s work", cwd=root)
    run_git("pull", "-q", "--no-rebase", str(clone), "main", cwd=folder)  # fails on a conflict
    merged, report = open_project(folder)
    assert not report.problems
    assert spans_by(merged) == [
        ("Ann", "Ana Lee", "entity"),
        ("Ann", "Monday", "entity"),
        ("Bob", "Monday", "entity"),
        ("Bob", "Oslo", "entity"),
    ]


def _with_link(folder: Path, who: str, link_id: str, kind: str) -> None:
    """``who``'s layer with a span in each article and a ``kind`` link between them."""
    spans = {}
    documents = []
    for doc, word in (("a", "Oslo"), ("b", "Oslo")):
        text = (folder / f"{doc}.txt").read_text(encoding="utf-8")
        start = text.index(word)
        spans[doc] = f"s-{who}{doc}"
        documents.append(
            {
                "id": doc,
                "spans": [
                    {
                        "id": spans[doc],
                        "start": start,
                        "end": start + len(word),
                        "label": "entity",
                        "text": word,
                    }
                ],
                "relations": [],
            }
        )
    link = {
        "id": link_id,
        "type": kind,
        "source": {"document": "a", "span": spans["a"]},
        "target": {"document": "b", "span": spans["b"]},
    }
    raw = {"layer_version": 1, "annotator": who, "documents": documents, "links": [link]}
    (folder / LAYERS_DIR).mkdir(exist_ok=True)
    layer_path(folder, who).write_text(json.dumps(raw), encoding="utf-8")


def test_two_links_sharing_an_id_are_both_kept(tmp_path: Path) -> None:
    folder = folder_with_articles(tmp_path)
    _with_link(folder, "ann", "r-same", "same")
    _with_link(folder, "bob", "r-same", "same")
    project, report = open_project(folder)
    assert sorted(r.author or "" for r in project.relations()) == ["ann", "bob"]
    assert any("r-same" in p.message and "taken" in p.message for p in report.problems)
    project.annotator = "bob"
    tag(project, "b", "Monday", "claim", "bob")
    save_project(project)
    again, _ = open_project(folder)
    assert len(again.relations()) == 2 and len({r.id for r in again.relations()}) == 2


def test_a_within_document_type_between_two_articles_is_refused(tmp_path: Path) -> None:
    folder = folder_with_articles(tmp_path)
    _with_link(folder, "ann", "r-speaker", "speaker")
    project, report = open_project(folder)
    assert project.relations() == []
    assert any("cannot join two documents" in p.message for p in report.problems)
    assert "r-speaker" in layer_path(folder, "ann").read_text(encoding="utf-8")  # kept aside
