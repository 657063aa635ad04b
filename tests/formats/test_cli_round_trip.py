"""Every format that can carry spans back imports its own export from the command line:
a file, or the folder that ``annotator export`` wrote, into the same documents."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from annotator.core.project import Project
from annotator.formats import FORMATS
from annotator.formats.tokens import non_overlapping
from annotator.io.load import load_project, open_project
from annotator.io.save import save_project
from tests.formats.conftest import expected
from tests.test_cli import run

READABLE = [name for name, fmt in FORMATS.items() if fmt.read is not None and fmt.spans]
NEEDS = {"spacy": "spacy"}
SUFFIX = {"spacy": ".spacy", "conll": ".conll", "labelstudio": ".json", "w3c": ".jsonld"}


def untagged_copy(corpus: Project, tmp_path: Path) -> Path:
    """The corpus's articles and documents, without a single span."""
    target = tmp_path / "untagged"
    shutil.copytree(corpus.root, target)
    project, _ = open_project(target)
    for doc in project.documents:
        for span in doc.spans():
            doc.pop_span(span.id)
    save_project(project)
    return target


def spans_of(root: Path) -> set[tuple[str, int, int, str, str]]:
    project, _ = load_project(root)
    return {(d.id, s.start, s.end, s.label, s.text) for d in project.documents for s in d.spans()}


@pytest.mark.parametrize("fmt", READABLE)
def test_each_format_imports_its_own_export_from_the_command_line(
    corpus: Project, tmp_path: Path, fmt: str
) -> None:
    if fmt in NEEDS:
        pytest.importorskip(NEEDS[fmt])
    out = tmp_path / ("export-" + fmt + ("" if FORMATS[fmt].folder else SUFFIX.get(fmt, ".jsonl")))
    exported = run("export", str(corpus.root), "-f", fmt, "-o", str(out))
    assert exported.returncode == 0, exported.stderr
    assert out.is_dir() == FORMATS[fmt].folder
    target = untagged_copy(corpus, tmp_path)
    imported = run("import", str(target), str(out), "-f", fmt)
    assert imported.returncode == 0, imported.stderr
    assert "new document" not in imported.stdout  # the same documents, found again
    want = expected(corpus)
    if fmt == "conll":  # one tag per token: one layer
        want = {
            (d.id, s.start, s.end, s.label, s.text)
            for d in corpus.documents
            for s in non_overlapping([x for x in d.spans() if x.status == "accepted"])[0]
        }
    assert spans_of(target) == want


def test_a_brat_export_split_into_folders_imports_from_its_top_folder(
    corpus: Project, tmp_path: Path
) -> None:
    out = tmp_path / "brat"
    result = run("export", str(corpus.root), "-f", "brat", "-o", str(out), "--split", "0.5,0.5")
    assert result.returncode == 0, result.stderr
    target = untagged_copy(corpus, tmp_path)
    imported = run("import", str(target), str(out), "-f", "brat")
    assert imported.returncode == 0, imported.stderr
    assert spans_of(target) == expected(corpus)


def test_a_file_format_refuses_a_folder_with_a_message(corpus: Project, tmp_path: Path) -> None:
    result = run("import", str(corpus.root), str(tmp_path), "-f", "jsonl")
    assert result.returncode == 2
    assert "is a folder; jsonl imports from a file" in result.stderr


def test_import_into_an_existing_empty_folder_makes_a_project(
    corpus: Project, tmp_path: Path
) -> None:
    out = tmp_path / "all.jsonl"
    assert run("export", str(corpus.root), "-f", "jsonl", "-o", str(out)).returncode == 0
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run("import", str(empty), str(out))
    assert result.returncode == 0, result.stderr
    assert f"{len(corpus.documents)} new documents" in result.stdout
    assert spans_of(empty) == expected(corpus)
    assert not (empty / ".annotator.lock").exists()


def test_predictions_without_the_text_are_matched_by_id(corpus: Project, tmp_path: Path) -> None:
    """The README: a prediction needs only start, end and label (and its document's id)."""
    doc = corpus.document("tricky")
    start = doc.text.index("rates")
    preds = tmp_path / "preds.jsonl"
    preds.write_text(
        json.dumps(
            {"id": "tricky", "spans": [{"start": start, "end": start + 5, "label": "entity"}]}
        )
        + "\n",
        encoding="utf-8",
    )
    result = run("import", str(corpus.root), str(preds), "--as", "suggestions")
    assert result.returncode == 0, result.stderr
    assert "imported 1 suggestion into 1 document" in result.stdout
    project, _ = load_project(corpus.root)
    pending = [s for s in project.document("tricky").spans() if s.status == "pending"]
    assert ("rates", "entity") in [(s.text, s.label) for s in pending]
    # an id the project does not have, and no text: a clear message, nothing changes
    stray = tmp_path / "stray.jsonl"
    stray.write_text(json.dumps({"id": "nope", "spans": []}) + "\n", encoding="utf-8")
    result = run("import", str(corpus.root), str(stray))
    assert result.returncode == 1
    assert "'nope' is not in this project, and the file carries no article text" in result.stderr
    # into a new folder: refused the same way, and no folder is left behind
    result = run("import", str(tmp_path / "new"), str(stray))
    assert result.returncode == 1 and not (tmp_path / "new").exists()
