"""export/import on the command line: every format name, splits, new projects from files."""

from __future__ import annotations

import json
from pathlib import Path

from annotator.core.models import Span
from annotator.core.project import Project
from annotator.formats import FORMATS
from annotator.io.load import open_project
from annotator.io.save import save_project
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
    assert "overlaps a span kept in its place" in result.stderr  # left out, and said
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


def test_an_export_lists_the_first_changed_spans_and_counts_the_rest(tmp_path: Path) -> None:
    """CoNLL of a corpus with many overlapping spans: the first 20 spans left out are
    named, then how many more; --verbose names every one; the last line counts them,
    by label, with the flag that exports them."""
    from annotator.cli import NOTES_SHOWN

    folder = tmp_path / "p"
    folder.mkdir()
    (folder / "a.txt").write_text("word " * 200, encoding="utf-8")
    project, _ = open_project(folder)
    doc = project.documents[0]
    for k in range(30):  # entities inside longer claims: the claims give way
        start = k * 15
        for span_id, label, length in ((f"l{k}", "claim", 14), (f"s{k}", "entity", 9)):
            text = doc.text[start : start + length]
            doc.put_span(Span(id=span_id, start=start, end=start + length, label=label, text=text))
    save_project(project)
    out = tmp_path / "out.conll"
    short = run("export", str(folder), "-f", "conll", "-o", str(out))
    named = [line for line in short.stderr.splitlines() if "left out claim" in line]
    assert len(named) == NOTES_SHOWN
    assert f"… and {30 - NOTES_SHOWN} more (--verbose shows them all)" in short.stderr
    assert "30 spans labelled claim left out (" in short.stdout
    assert "--labels claim exports them" in short.stdout
    tags = [line.split()[-1] for line in out.read_text("utf-8").splitlines() if line.strip()]
    assert tags.count("B-entity") == 30 and not any(t.endswith("claim") for t in tags)
    full = run("export", str(folder), "-f", "conll", "-o", str(out), "--verbose")
    assert len([line for line in full.stderr.splitlines() if "left out claim" in line]) == 30
    assert "more (--verbose" not in full.stderr
