"""``annotator agree`` run as a user runs it: on a project with two annotators' work,
on their JSONL exports, and after importing a colleague's export as their layer."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from annotator.core.commands import make_span
from annotator.core.models import End, Relation, new_relation_id
from annotator.io.load import open_project
from annotator.io.save import save_project
from tests.test_cli import run

A = "Ana Lee met Bo Chen in Oslo. She said rates will rise soon. Bo Chen agreed."
B = "Ana Lee spoke in Oslo on Monday."

ANN = [
    ("a", "Ana Lee", 0, "entity"),
    ("a", "Bo Chen", 0, "entity"),
    ("a", "Oslo", 0, "entity"),
    ("a", "rates will rise soon", 0, "quote"),
    ("b", "Ana Lee", 0, "entity"),
]
BOB = [
    ("a", "Ana Lee", 0, "entity"),
    ("a", "Bo", 0, "entity"),
    ("a", "Oslo", 0, "claim"),
    ("a", "rates will rise", 0, "quote"),
    ("a", "Bo Chen", 1, "entity"),
    ("b", "Ana Lee", 0, "entity"),
]


def _at(text: str, word: str, nth: int) -> int:
    at = -1
    for _ in range(nth + 1):
        at = text.index(word, at + 1)
    return at


def team_project(tmp_path: Path, people: dict[str, list[tuple[str, str, int, str]]]) -> Path:
    folder = tmp_path / "team"
    folder.mkdir(parents=True)
    (folder / "a.txt").write_text(A, encoding="utf-8")
    (folder / "b.txt").write_text(B, encoding="utf-8")
    project, _ = open_project(folder)
    for author, marks in people.items():
        ids = {}
        for doc_id, word, nth, label in marks:
            doc = project.document(doc_id)
            start = _at(doc.text, word, nth)
            span = make_span(doc, start, start + len(word), label, snap=False, author=author)
            doc.put_span(span)
            ids[(doc_id, word)] = span.id
        # both link Ana Lee across the two articles
        project.put_relation(
            Relation(
                id=new_relation_id(),
                type="same",
                source=End(document="a", span=ids[("a", "Ana Lee")]),
                target=End(document="b", span=ids[("b", "Ana Lee")]),
                author=author,
            )
        )
    save_project(project)
    return folder


def test_agree_on_a_project_matches_hand_counts(tmp_path: Path) -> None:
    folder = team_project(tmp_path, {"ann": ANN, "bob": BOB})
    done = run("agree", str(folder), "--format", "json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["annotators"] == ["ann", "bob"]
    pair = report["pairs"][0]
    exact, overlap = pair["overall"]["exact"], pair["overall"]["overlap"]
    # exact: only the two "Ana Lee" match; ann has 5 spans, bob 6
    assert (exact["matched"], exact["only_reference"], exact["only_other"]) == (2, 3, 4)
    assert exact["precision"] == pytest.approx(2 / 6)
    assert exact["recall"] == pytest.approx(2 / 5)
    # overlapping, same label: Ana Lee ×2, Bo ~ Bo Chen, the quotes; Oslo's labels differ
    assert (overlap["matched"], overlap["only_reference"], overlap["only_other"]) == (4, 1, 2)
    assert pair["labels"]["quote"]["exact"]["matched"] == 0
    assert pair["labels"]["quote"]["overlap"]["matched"] == 1
    assert pair["documents"]["b"]["exact"]["f1"] == pytest.approx(1.0)
    links = pair["relations"]["links"]
    assert links["typed"]["f1"] == pytest.approx(1.0)
    assert pair["clusters"]["muc"]["f1"] == pytest.approx(1.0)
    assert pair["clusters"]["lea"]["f1"] == pytest.approx(1.0)
    kappa = pair["overall"]["kappa"]
    assert kappa["units"] > 0
    assert -1.0 <= kappa["value"] < 1.0
    assert report["group"]["overall"]["alpha"]["value"] < 1.0
    assert any("fewer than 10" in w for w in report["warnings"])


def _near(text: str) -> float:
    return round(float(text), 9)


def test_agree_on_exports_equals_agree_on_the_project(tmp_path: Path) -> None:
    folder = team_project(tmp_path, {"ann": ANN, "bob": BOB})
    for who in ("ann", "bob"):
        done = run(
            "export",
            str(folder),
            "--format",
            "jsonl",
            "--authors",
            who,
            "-o",
            str(tmp_path / f"{who}.jsonl"),
        )
        assert done.returncode == 0, done.stderr
    # figures equal up to float rounding (categories may be numbered in another order)
    on_project = json.loads(run("agree", str(folder), "--format", "json").stdout, parse_float=_near)
    done = run(
        "agree", str(tmp_path / "ann.jsonl"), str(tmp_path / "bob.jsonl"), "--format", "json"
    )
    assert done.returncode == 0, done.stderr
    on_files = json.loads(done.stdout, parse_float=_near)
    assert on_files["annotators"] == ["ann", "bob"]
    for key in ("overall", "labels"):
        assert on_files["pairs"][0][key] == on_project["pairs"][0][key]
    assert on_files["pairs"][0]["relations"] == on_project["pairs"][0]["relations"]
    assert on_files["group"]["overall"] == on_project["group"]["overall"]
    # the first file is the reference: turned round, precision and recall swap
    turned = json.loads(
        run(
            "agree", str(tmp_path / "bob.jsonl"), str(tmp_path / "ann.jsonl"), "--format", "json"
        ).stdout
    )
    assert turned["pairs"][0]["overall"]["exact"]["precision"] == pytest.approx(
        on_files["pairs"][0]["overall"]["exact"]["recall"]
    )


def test_cluster_scores_not_computed_are_said_to_be_so(tmp_path: Path) -> None:
    """Exports without links: MUC, B³, CEAF-e, CoNLL and LEA are present as null, with
    why, in JSON; the table says it in words; the CSV has no rows for them."""
    folder = team_project(tmp_path, {"ann": ANN, "bob": BOB})
    files = []
    for who in ("ann", "bob"):
        out = tmp_path / f"{who}.jsonl"
        run("export", str(folder), "--format", "jsonl", "--authors", who, "-o", str(out))
        records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
        for record in records:  # as a tool that writes no relations would
            record.pop("relations", None)
        out.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
        out.with_name(f"{who}.links.jsonl").unlink(missing_ok=True)
        files.append(str(out))
    done = run("agree", *files, "--format", "json")
    assert done.returncode == 0, done.stderr
    clusters = json.loads(done.stdout)["pairs"][0]["clusters"]
    assert clusters["computed"] is False and "neither side has clusters" in clusters["reason"]
    assert all(clusters[m] is None for m in ("muc", "b3", "ceaf_e", "conll", "lea"))
    table = run("agree", *files)
    assert "not computed: neither side has clusters" in table.stdout
    csv_out = run("agree", *files, "--format", "csv")
    assert "clusters_muc" not in csv_out.stdout


def test_a_colleagues_export_imports_as_their_layer(tmp_path: Path) -> None:
    theirs = team_project(tmp_path / "bob", {"bob": BOB})
    assert (
        run("export", str(theirs), "-f", "jsonl", "-o", str(tmp_path / "bob.jsonl")).returncode == 0
    )
    mine = team_project(tmp_path / "ann", {"ann": ANN})
    done = run("import", str(mine), str(tmp_path / "bob.jsonl"), "--annotator", "bob")
    assert done.returncode == 0, done.stderr
    project, _ = open_project(mine)
    authors = [s.author for d in project.documents for s in d.spans()]
    # bob's "Ana Lee" spans come in beside ann's identical ones: each is its own layer's
    assert authors.count("bob") == len(BOB)
    assert authors.count("ann") == len(ANN)
    assert {r.author for r in project.relations()} == {"ann", "bob"}
    report = json.loads(run("agree", str(mine), "--format", "json").stdout)
    expected = json.loads(
        run(
            "agree", str(team_project(tmp_path, {"ann": ANN, "bob": BOB})), "--format", "json"
        ).stdout
    )
    assert report["pairs"][0]["overall"] == expected["pairs"][0]["overall"]
    assert report["pairs"][0]["relations"] == expected["pairs"][0]["relations"]
    # importing it again adds nothing: bob's work is already there, also when the name
    # is typed in another case (on Windows and macOS disks Bob.json is bob.json)
    again = run("import", str(mine), str(tmp_path / "bob.jsonl"), "--annotator", "Bob")
    assert again.returncode == 0
    project, _ = open_project(mine)
    assert sum(s.author == "bob" for d in project.documents for s in d.spans()) == len(BOB)
    assert not any(s.author == "Bob" for d in project.documents for s in d.spans())
    assert sorted(p.name for p in (mine / "annotations").iterdir()) == ["ann.json", "bob.json"]


def test_csv_and_table(tmp_path: Path) -> None:
    import pandas as pd

    folder = team_project(tmp_path, {"ann": ANN, "bob": BOB})
    done = run("agree", str(folder), "--format", "csv")
    assert done.returncode == 0, done.stderr
    frame = pd.read_csv(io.StringIO(done.stdout))
    row = frame[(frame.measure == "exact_f1") & frame.label.isna() & frame.document.isna()]
    assert row["value"].iloc[0] == pytest.approx(2 * 2 / (5 + 6), abs=1e-6)
    assert set(frame.measure) >= {
        "cohen_kappa",
        "krippendorff_alpha",
        "links_typed_f1",
        "clusters_lea_f1",
    }
    table = run("agree", str(folder), "--annotators", "bob,ann", "--labels", "entity")
    assert table.returncode == 0, table.stderr
    assert "bob (A) ↔ ann (B): spans" in table.stdout
    assert "quote" not in table.stdout.split("Warnings")[0]


def test_bad_requests_say_why(tmp_path: Path) -> None:
    folder = team_project(tmp_path, {"ann": ANN})
    done = run("agree", str(folder))
    assert done.returncode == 2
    assert "two annotators" in done.stderr
    folder2 = team_project(tmp_path / "x", {"ann": ANN, "bob": BOB})
    done = run("agree", str(folder2), "--annotators", "ann,zed")
    assert done.returncode == 2
    assert "'zed'" in done.stderr
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"id": "a", "text": "x", "spans": [}\n', encoding="utf-8")
    done = run("agree", str(broken), str(broken))
    assert done.returncode == 2  # nobody's work could be read: no two layers
    bad_name = run("import", str(folder), str(broken), "--annotator", "../evil")
    assert bad_name.returncode == 2
    assert "--annotator" in bad_name.stderr


def test_label_studio_with_an_annotation_per_annotator_comes_back_as_layers(
    tmp_path: Path,
) -> None:
    """Label Studio tasks with several annotations: validated by its SDK, imported as
    one layer each, the agreement the same as on the project they came from."""
    folder = team_project(tmp_path, {"ann": ANN, "bob": BOB})
    out = tmp_path / "tasks.json"
    done = run("export", str(folder), "-f", "labelstudio", "-o", str(out))
    assert done.returncode == 0, done.stderr
    tasks = json.loads(out.read_text(encoding="utf-8"))
    assert {a["created_username"] for t in tasks for a in t["annotations"]} == {"ann", "bob"}
    sdk = pytest.importorskip("label_studio_sdk.label_interface")
    interface = sdk.LabelInterface((tmp_path / "tasks.config.xml").read_text(encoding="utf-8"))
    for task in tasks:
        for annotation in task["annotations"]:
            assert interface.validate_annotation(annotation)
    # as Label Studio itself exports them: user ids, "email, id" names
    for task in tasks:
        for n, annotation in enumerate(task["annotations"], start=1):
            annotation["created_username"] = f"{annotation['created_username']}@example.org, {n}"
            annotation["completed_by"] = n
    out.write_text(json.dumps(tasks), encoding="utf-8")
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    for name in ("a.txt", "b.txt"):
        (fresh / name).write_bytes((folder / name).read_bytes())
    done = run("import", str(fresh), str(out), "-f", "labelstudio")
    assert done.returncode == 0, done.stderr
    project, _ = open_project(fresh)
    assert {s.author for d in project.documents for s in d.spans()} == {
        "ann@example.org",
        "bob@example.org",
    }
    theirs = json.loads(run("agree", str(folder), "-f", "json").stdout, parse_float=_near)
    ours = json.loads(run("agree", str(fresh), "-f", "json").stdout, parse_float=_near)
    assert ours["pairs"][0]["overall"] == theirs["pairs"][0]["overall"]
    assert ours["pairs"][0]["labels"] == theirs["pairs"][0]["labels"]


def test_authors_in_a_file_that_differ_only_in_case_are_the_projects_annotators(
    tmp_path: Path,
) -> None:
    """A file whose spans and relations say "BOB" where the project has bob: on
    Windows and macOS disks BOB.json would be bob.json, so it is bob's work."""
    mine = team_project(tmp_path, {"ann": ANN, "bob": BOB})
    a = _at(A, "Bo", 0), _at(A, "Oslo", 0)
    record = {
        "id": "a",
        "text": A,
        "spans": [
            {"id": "x", "start": a[0], "end": a[0] + 2, "label": "entity", "author": "BOB"},
            {"id": "y", "start": a[1], "end": a[1] + 4, "label": "claim", "author": "BOB"},
            {
                "id": "z",
                "start": _at(A, "agreed", 0),
                "end": _at(A, "agreed", 0) + 6,
                "label": "claim",
                "author": "BOB",
            },
        ],
        "relations": [
            {"type": "speaker", "source": {"span": "x"}, "target": {"span": "y"}, "author": "BOB"}
        ],
    }
    path = tmp_path / "bob.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    done = run("import", str(mine), str(path))
    assert done.returncode == 0, done.stderr
    project, _ = open_project(mine)
    authors = {s.author for d in project.documents for s in d.spans()}
    assert authors == {"ann", "bob"}
    agreed = [s for s in project.document("a").spans() if s.text == "agreed"]
    assert [s.author for s in agreed] == ["bob"]  # the new span, in bob's layer
    speaker = [r for r in project.relations() if r.type == "speaker"]
    assert [r.author for r in speaker] == ["bob"]
    assert sorted(p.name for p in (mine / "annotations").iterdir()) == ["ann.json", "bob.json"]
