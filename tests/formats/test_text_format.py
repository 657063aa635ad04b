"""Plain articles in and out: ``--format text`` and File ▸ Add Articles…."""

from __future__ import annotations

from pathlib import Path

from annotator.io.load import load_project
from tests.test_cli import run


def test_a_folder_of_articles_joins_a_project_and_nothing_twice(
    sample_copy: Path, tmp_path: Path
) -> None:
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    (incoming / "ferry-report.txt").write_text("Ferries stopped for three days.\n", "utf-8")
    (incoming / "9f3a2b7c1d.md").write_text("# Pier reopens\nThe pier reopened.\n", "utf-8")
    (incoming / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    before = len(load_project(sample_copy)[0].documents)
    refused = run("import", str(sample_copy), str(incoming), "-f", "text")
    assert refused.returncode == 1 and "photo.txt: this looks like a binary file" in refused.stderr
    result = run("import", str(sample_copy), str(incoming), "-f", "text", "--keep-good")
    assert result.returncode == 0, result.stderr
    assert "2 new documents" in result.stdout
    project, _ = load_project(sample_copy)
    assert len(project.documents) == before + 2
    titles = {d.id: d.title for d in project.documents}
    assert titles["ferry-report"] == "ferry-report"
    assert titles["9f3a2b7c1d"] == "Pier reopens"  # a file named by an id: its first line
    again = run("import", str(sample_copy), str(incoming), "-f", "text", "--keep-good")
    assert "0 new" not in again.stdout and "new document" not in again.stdout  # matched


def test_text_export_writes_each_article_as_the_project_holds_it(
    sample_copy: Path, tmp_path: Path
) -> None:
    out = tmp_path / "articles"
    result = run("export", str(sample_copy), "-f", "text", "-o", str(out))
    assert result.returncode == 0, result.stderr
    project, _ = load_project(sample_copy)
    for doc in project.documents:
        assert (out / f"{doc.id}.txt").read_bytes().decode("utf-8") == doc.text
