"""Adjudication on a project: the queue of disagreements, decisions into gold (undoable,
recorded), accept what all agree on, outcomes, and the gold layer exported and read by
the libraries of its formats."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.core import adjudication
from annotator.core.commands import EditError
from annotator.core.history import History
from annotator.core.models import GOLD, SCHEMA_VERSION, layer_name
from annotator.io.load import open_project
from annotator.io.save import save_project
from tests.agreement.test_agree_cli import ANN, BOB, team_project
from tests.test_cli import run


@pytest.fixture
def project_folder(tmp_path: Path) -> Path:
    return team_project(tmp_path, {"ann": ANN, "bob": BOB})


def gold(project) -> list[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    return sorted(
        (s.text, s.label, s.status)
        for d in project.documents
        for s in d.spans()
        if layer_name(s) == GOLD
    )


def test_the_queue_puts_each_disagreement_once_least_agreed_first(project_folder: Path) -> None:
    project, _ = open_project(project_folder)
    items = adjudication.queue(project, ["ann", "bob"])
    kinds = [(i.document, i.kind, i.start) for i in items]
    a = project.document("a").text
    assert kinds == [
        ("a", "boundaries", a.index("Bo Chen")),  # Bo Chen / Bo
        ("a", "label", a.index("Oslo")),  # entity / claim
        ("a", "boundaries", a.index("rates")),
        ("a", "only", a.rindex("Bo Chen")),  # only bob
    ]
    assert all(i.agreement == 0.5 for i in items)
    everything = adjudication.queue(project, ["ann", "bob"], include_agreed=True)
    assert {i.kind for i in everything} == {"agreed", "label", "boundaries", "only"}
    assert sum(i.is_relation for i in everything) == 1  # the link both made


def test_decisions_build_gold_and_undo(project_folder: Path) -> None:
    project, _ = open_project(project_folder)
    project.annotator = "cleo"
    history = History(project)
    items = adjudication.queue(project, ["ann", "bob"])
    history.execute(adjudication.decide(project, items[0], "b", ["ann", "bob"], by="cleo"))
    history.execute(adjudication.decide(project, items[1], "a", ["ann", "bob"], by="cleo"))
    history.execute(adjudication.decide(project, items[2], "both", ["ann", "bob"], by="cleo"))
    history.execute(adjudication.decide(project, items[3], "neither", ["ann", "bob"], by="cleo"))
    assert gold(project) == [
        ("Bo", "entity", "accepted"),
        ("Bo Chen", "entity", "rejected"),  # neither: recorded, never exported
        ("Oslo", "entity", "accepted"),
        ("rates will rise", "quote", "accepted"),
        ("rates will rise soon", "quote", "accepted"),
    ]
    oslo = next(
        s for s in project.document("a").spans() if layer_name(s) == GOLD and s.text == "Oslo"
    )
    assert oslo.author == "cleo"
    assert oslo.adjudication is not None and oslo.adjudication.sources == ["ann"]
    assert adjudication.queue(project, ["ann", "bob"]) == []  # all decided
    with pytest.raises(EditError):
        adjudication.decide(project, items[0], "a", ["ann", "bob"], by="cleo")
    history.undo()
    history.undo()
    assert len(adjudication.queue(project, ["ann", "bob"])) == 2
    # saved in the shared file, read back the same; the layers' files are untouched
    before = {p.name: p.read_bytes() for p in (project_folder / "annotations").iterdir()}
    save_project(project)
    again, _ = open_project(project_folder)
    assert gold(again) == gold(project)
    assert before == {p.name: p.read_bytes() for p in (project_folder / "annotations").iterdir()}
    shared = json.loads((project_folder / "annotator.json").read_text(encoding="utf-8"))
    assert shared["schema_version"] == SCHEMA_VERSION
    assert sum(bool(s.get("adjudication")) for d in shared["documents"] for s in d["spans"]) == 2


def test_accept_everything_agreed_in_one_step(project_folder: Path) -> None:
    project, _ = open_project(project_folder)
    history = History(project)
    batch = adjudication.accept_agreed(project, ["ann", "bob"], by="cleo")
    history.execute(batch)
    assert gold(project) == [("Ana Lee", "entity", "accepted"), ("Ana Lee", "entity", "accepted")]
    gold_links = [r for r in project.relations() if layer_name(r) == GOLD]
    assert len(gold_links) == 1 and gold_links[0].adjudication.outcome == "unanimous"  # type: ignore[union-attr]
    ends = [project.span_of(e.key) for e in (gold_links[0].source, gold_links[0].target)]
    assert all(s is not None and layer_name(s) == GOLD for s in ends)  # ends in gold too
    # twice adds nothing
    assert not adjudication.accept_agreed(project, ["ann", "bob"], by="cleo").changes
    history.undo()
    assert gold(project) == []
    assert not [r for r in project.relations() if layer_name(r) == GOLD]


def test_outcomes_and_the_cli(project_folder: Path, tmp_path: Path) -> None:
    done = run("adjudicate", str(project_folder), "--format", "json")
    assert done.returncode == 0, done.stderr
    records = json.loads(done.stdout)
    assert sorted({r["outcome"] for r in records}) == ["unanimous", "unresolved"]
    done = run("adjudicate", str(project_folder), "--accept-agreed", "--format", "csv")
    assert done.returncode == 0, done.stderr
    assert "2 spans, 1 relation" in done.stderr
    project, _ = open_project(project_folder)
    items = adjudication.queue(project, ["ann", "bob"])
    History(project).execute(adjudication.decide(project, items[1], "a", ["ann", "bob"], by="x"))
    save_project(project)
    records = json.loads(run("adjudicate", str(project_folder), "-f", "json").stdout)
    outcomes = sorted(r["outcome"] for r in records)
    assert outcomes.count("adjudicated") == 1 and outcomes.count("unresolved") == 3
    bad = run("adjudicate", str(project_folder), "--annotators", "ann")
    assert bad.returncode == 2 and "two annotators" in bad.stderr


def test_gold_exports_for_training(project_folder: Path, tmp_path: Path) -> None:
    """The gold layer alone, as spaCy's own converter and seqeval read it."""
    project, _ = open_project(project_folder)
    history = History(project)
    history.execute(adjudication.accept_agreed(project, ["ann", "bob"], by="cleo"))
    items = adjudication.queue(project, ["ann", "bob"])
    history.execute(adjudication.decide(project, items[1], "a", ["ann", "bob"], by="cleo"))
    history.execute(adjudication.decide(project, items[3], "neither", ["ann", "bob"], by="cleo"))
    save_project(project)
    out = tmp_path / "gold.jsonl"
    done = run("export", str(project_folder), "-f", "jsonl", "--layer", "gold", "-o", str(out))
    assert done.returncode == 0, done.stderr
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    spans = [(s["text"], s["adjudication"]["outcome"]) for r in records for s in r["spans"]]
    assert sorted(spans) == [
        ("Ana Lee", "unanimous"),
        ("Ana Lee", "unanimous"),
        ("Oslo", "adjudicated"),
    ]
    conll = tmp_path / "gold.conll"
    done = run("export", str(project_folder), "-f", "conll", "--layer", "gold", "-o", str(conll))
    assert done.returncode == 0, done.stderr
    from seqeval.metrics.sequence_labeling import get_entities

    tags = [
        line.split()[-1]
        for line in conll.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("-DOCSTART-")
    ]
    assert sorted(t for t, _s, _e in get_entities(tags)) == ["entity", "entity", "entity"]
    converted = tmp_path / "spacy"
    converted.mkdir()
    import subprocess
    import sys

    spacy_convert = subprocess.run(
        [
            sys.executable,
            "-m",
            "spacy",
            "convert",
            str(conll),
            str(converted),
            "--converter",
            "conll",
            "-n",
            "1",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert spacy_convert.returncode == 0, spacy_convert.stderr
    import spacy
    from spacy.tokens import DocBin

    docs = list(
        DocBin().from_disk(next(converted.glob("*.spacy"))).get_docs(spacy.blank("en").vocab)
    )
    assert sorted(e.text for d in docs for e in d.ents) == ["Ana Lee", "Ana Lee", "Oslo"]


def test_an_item_whose_label_and_boundaries_both_differ_says_so(tmp_path: Path) -> None:
    both = [("a", "Ana Lee", 0, "entity"), ("b", "Ana Lee", 0, "entity")]
    ann = [*both, ("a", "Bo Chen", 0, "entity"), ("a", "Oslo", 0, "entity")]
    bob = [*both, ("a", "Bo", 0, "claim"), ("a", "in Oslo", 0, "entity")]
    project, _ = open_project(team_project(tmp_path, {"ann": ann, "bob": bob}))
    kinds = [(i.kind, i.describe(project)) for i in adjudication.queue(project, ["ann", "bob"])]
    assert [k for k, _ in kinds] == ["label+boundaries", "boundaries"]
