"""export/import on the command line: every format name, splits, new projects from files."""

from __future__ import annotations

import json
from pathlib import Path

from annotator.core.project import Project
from annotator.formats import FORMATS
from tests.formats.conftest import expected
from tests.test_cli import run


def test_list_formats_names_every_format() -> None:
    result = run("export", "--list-formats")
    assert result.returncode == 0
    names = [line.split()[0] for line in result.stdout.splitlines()]
    assert names == list(FORMATS)  # test_exports checks FORMATS holds the names users type


def test_import_into_a_new_folder_creates_the_project(corpus: Project, tmp_path: Path) -> None:
    out = tmp_path / "all.jsonl"
    assert run("export", str(corpus.root), "-f", "jsonl", "-o", str(out)).returncode == 0
    target = tmp_path / "does" / "not" / "exist"
    result = run("import", str(target), str(out), "--format", "jsonl")
    assert result.returncode == 0, result.stderr
    assert f"{len(corpus.documents)} new documents" in result.stdout
    data = json.loads((target / "annotator.json").read_text(encoding="utf-8"))
    got = {
        (d["id"], s["start"], s["end"], s["label"], s["text"])
        for d in data["documents"]
        for s in d["spans"]
    }
    assert got == expected(corpus)
    for record in data["documents"]:  # article files written byte-exact, CRLF kept
        assert (target / record["path"]).read_bytes().decode("utf-8") == corpus.document(
            record["id"]
        ).text


def test_hostile_document_ids_become_safe_file_names(tmp_path: Path) -> None:
    records = tmp_path / "evil.jsonl"
    records.write_text(
        json.dumps({"id": "../../outside", "text": "Escaped?", "spans": []})
        + "\n"
        + json.dumps({"id": "/etc/passwd", "text": "Absolute?", "spans": []})
        + "\n",
        encoding="utf-8",
    )
    target = tmp_path / "proj"
    result = run("import", str(target), str(records))
    assert result.returncode == 0, result.stderr
    written = sorted(p.name for p in target.iterdir())
    assert not (tmp_path / "outside.txt").exists()
    assert all(p.resolve().parent == target.resolve() for p in target.iterdir())
    assert "annotator.json" in written and len(written) == 3


def test_conll_bilou_and_split_by_document(corpus: Project, tmp_path: Path) -> None:
    out = tmp_path / "out.conll"
    result = run(
        "export",
        str(corpus.root),
        "-f",
        "conll",
        "--scheme",
        "bilou",
        "-o",
        str(out),
        "--split",
        "0.5,0.25,0.25",
        "--seed",
        "3",
    )
    assert result.returncode == 0, result.stderr
    assert "overlaps a longer span" in result.stderr  # dropped spans are reported
    parts = {name: tmp_path / f"out.{name}.conll" for name in ("train", "dev", "test")}
    counts = {name: p.read_text("utf-8").count("-DOCSTART-") for name, p in parts.items()}
    assert sum(counts.values()) == len(corpus.documents)
    again = run(
        "export",
        str(corpus.root),
        "-f",
        "conll",
        "-o",
        str(tmp_path / "again.conll"),
        "--split",
        "0.5,0.25,0.25",
        "--seed",
        "3",
    )
    assert again.returncode == 0

    def words(path: Path) -> list[str]:
        return [line.split()[0] for line in path.read_text("utf-8").split("\n") if line.strip()]

    # the same seed, the same split (the tags differ: iob2 now, bilou before)
    assert words(tmp_path / "again.train.conll") == words(parts["train"])
    tags = {
        t
        for p in parts.values()
        for line in p.read_text("utf-8").split("\n")
        if line.strip() and not line.startswith("-DOCSTART-")
        for t in [line.split()[-1]]
    }
    assert any(t.startswith("U-") for t in tags) and any(t.startswith("L-") for t in tags)


def test_brat_and_hf_write_folders(corpus: Project, tmp_path: Path) -> None:
    brat = tmp_path / "brat"
    result = run("export", str(corpus.root), "-f", "brat", "-o", str(brat))
    assert result.returncode == 0, result.stderr
    assert (brat / "annotation.conf").is_file()
    assert len(list(brat.glob("*.ann"))) == len(corpus.documents)
