"""suggest, import --as suggestions and export --status, run as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.core.history import History
from annotator.core.review import decide
from annotator.io.load import open_project
from annotator.io.save import save_project
from tests.test_cli import run

ARTICLES = {
    "a.txt": "“We will rebuild,” Mayor Zoë Varga said on Monday. Varga visited 140 homes.\n",
    "b.txt": "Mayor Warga said the river rose 2.4 metres. Varga's office declined to comment. "
    "At least 30 roads closed on Tuesday, police said.\n",
}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    folder = tmp_path / "proj"
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    loaded, _ = open_project(folder)
    save_project(loaded)
    return folder


def spans(folder: Path) -> list[dict[str, object]]:
    data = json.loads((folder / "annotator.json").read_text(encoding="utf-8"))
    return [dict(s, doc=d["id"]) for d in data["documents"] for s in d["spans"]]


def test_suggest_quotes_twice_adds_nothing_the_second_time(project: Path) -> None:
    first = run("suggest", str(project), "--extractor", "quotes")
    assert first.returncode == 0, first.stderr
    # the quote, and its speaker: a suggested entity span and a suggested speaker relation
    assert "quotes: 2 new suggestions (with 1 relation) in" in first.stdout
    quote, speaker = sorted(spans(project), key=lambda s: s["label"] != "quote")
    assert quote["text"] == "We will rebuild" and quote["status"] == "pending"
    assert quote["origin"] == "quotes" and quote["attributes"] == {"speaker": "Zoë Varga"}
    assert (speaker["text"], speaker["label"], speaker["status"]) == (
        "Zoë Varga",
        "entity",
        "pending",
    )
    data = json.loads((project / "annotator.json").read_text(encoding="utf-8"))
    [relation] = [r for d in data["documents"] for r in d["relations"]]
    assert (relation["type"], relation["status"], relation["origin"]) == (
        "speaker",
        "pending",
        "quotes",
    )
    assert (relation["source"]["span"], relation["target"]["span"]) == (quote["id"], speaker["id"])
    second = run("suggest", str(project), "--extractor", "quotes")
    assert "0 new suggestions" in second.stdout
    assert len(spans(project)) == 2


def test_suggest_propagate_with_fuzzy_never_touches_manual_spans(project: Path) -> None:
    loaded, _ = open_project(project)
    doc = loaded.document("a")
    from annotator.core.commands import make_span

    start = ARTICLES["a.txt"].index("Varga visited")
    manual = make_span(doc, start, start + 5, "entity")
    doc.put_span(manual)
    save_project(loaded)
    result = run("suggest", str(project), "-e", "propagate", "--fuzzy", "0.75")
    assert result.returncode == 0, result.stderr
    found = {(s["doc"], s["text"], s["status"]) for s in spans(project)}
    assert ("a", "Varga", "accepted") in found  # the person's span, unchanged
    assert ("a", "Varga", "pending") in found  # the other "Varga" in a
    assert ("b", "Warga", "pending") in found  # a variant spelling, scored
    assert ("b", "Varga", "pending") in found  # before the apostrophe
    manual_now = next(s for s in spans(project) if s["id"] == manual.id)
    assert manual_now["status"] == "accepted" and manual_now["origin"] == "manual"


def test_spacy_without_a_model_is_a_clear_message(project: Path) -> None:
    result = run("suggest", str(project), "-e", "spacy", "--model", "no_such_model_xyz")
    assert result.returncode == 2
    assert "-m spacy download no_such_model_xyz" in result.stderr or "pip install" in result.stderr
    assert spans(project) == []


def test_list_extractors() -> None:
    result = run("suggest", "--list-extractors")
    assert result.returncode == 0
    assert [line.split()[0] for line in result.stdout.splitlines()][:4] == [
        "quotes",
        "propagate",
        "claims",
        "spacy",
    ]


def write_jsonl(path: Path, records: list[dict[str, object]]) -> Path:
    path.write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8"
    )
    return path


def test_import_suggestions_reports_bad_predictions_and_changes_nothing(
    project: Path, tmp_path: Path
) -> None:
    text_a = ARTICLES["a.txt"]
    zoe = text_a.index("Zoë Varga")
    preds = write_jsonl(
        tmp_path / "preds.jsonl",
        [
            {
                "id": "a",
                "text": text_a,
                "spans": [
                    {"start": zoe, "end": zoe + 9, "label": "PER", "score": 0.91},
                    {"start": zoe, "end": zoe + 9, "label": "PER", "text": "Zoe Varga"},
                    {"start": 5, "end": 500, "label": "PER"},
                ],
            },
            {"text": "a document this project does not have", "spans": []},
        ],
    )
    before = (project / "annotator.json").read_bytes()
    refused = run("import", str(project), str(preds), "--format", "jsonl", "--as", "suggestions")
    assert refused.returncode == 1
    err = refused.stderr
    assert "preds.jsonl, line 1, span 1: unknown label 'PER'" in err
    assert "line 1, span 2: text 'Zoe Varga' does not match a" in err
    assert "line 1, span 3: offsets 5-500 run past the end" in err
    assert "line 2" not in err  # a document the project lacks is added, not refused
    assert "nothing was imported" in err
    assert (project / "annotator.json").read_bytes() == before

    kept = run(
        "import",
        str(project),
        str(preds),
        "--as",
        "suggestions",
        "--map",
        "PER=entity",
        "--keep-good",
    )
    assert kept.returncode == 0, kept.stderr
    assert "imported 1 suggestion into" in kept.stdout and "1 new document;" in kept.stdout
    data = json.loads((project / "annotator.json").read_text(encoding="utf-8"))
    added = [d for d in data["documents"] if d["id"] not in ("a", "b")]
    assert len(added) == 1 and (project / added[0]["path"]).read_text(encoding="utf-8") == (
        "a document this project does not have"
    )
    [span] = spans(project)
    assert (span["text"], span["label"], span["score"]) == ("Zoë Varga", "entity", 0.91)
    assert (span["status"], span["origin"]) == ("pending", "preds.jsonl")


def test_malformed_lines_are_reported_by_number(project: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "text": "x", "spans": []}\n{not json\n[1, 2]\n', encoding="utf-8")
    result = run("import", str(project), str(bad), "--as", "suggestions")
    assert result.returncode == 1
    assert "bad.jsonl, line 2: not JSON" in result.stderr
    assert "bad.jsonl, line 3: expected a JSON object" in result.stderr


def test_export_status_keeps_unreviewed_out_by_default(project: Path, tmp_path: Path) -> None:
    assert run("suggest", str(project), "-e", "claims").returncode == 0
    loaded, _ = open_project(project)
    history = History(loaded)
    claims = [(d.id, s) for d in loaded.documents for s in d.spans()]
    assert len(claims) >= 2
    history.execute(decide(loaded, (claims[0][0], claims[0][1].id), "accepted"))
    history.execute(decide(loaded, (claims[1][0], claims[1][1].id), "rejected"))
    save_project(loaded)
    out = tmp_path / "out.jsonl"

    def exported(*extra: str) -> list[dict[str, object]]:
        result = run("export", str(project), "-f", "jsonl", "-o", str(out), *extra)
        assert result.returncode == 0, result.stderr
        lines = out.read_text(encoding="utf-8").splitlines()
        return [s for line in lines for s in json.loads(line)["spans"]]

    assert [s["id"] for s in exported()] == [claims[0][1].id]
    assert {s["status"] for s in exported("--status", "all")} == {
        "accepted",
        "rejected",
        "pending",
    }
    assert {s["status"] for s in exported("--status", "pending,rejected")} == {
        "pending",
        "rejected",
    }
    bad = run("export", str(project), "-o", str(out), "--status", "maybe")
    assert bad.returncode == 2 and "unknown status" in bad.stderr


def test_jsonl_round_trip_keeps_review_fields(project: Path, tmp_path: Path) -> None:
    assert run("suggest", str(project), "-e", "quotes").returncode == 0
    out = tmp_path / "all.jsonl"
    assert run("export", str(project), "-o", str(out), "--status", "all").returncode == 0
    other = tmp_path / "other"
    other.mkdir()
    for name, text in ARTICLES.items():
        (other / name).write_text(text, encoding="utf-8")
    result = run("import", str(other), str(out))
    assert result.returncode == 0, result.stderr
    strip = lambda s: {k: v for k, v in s.items() if k not in {"id", "created", "modified"}}  # noqa: E731
    assert [strip(s) for s in spans(other)] == [strip(s) for s in spans(project)]
