"""Exports read back into a new, empty folder keep every article's text and every span
exactly: ``\\r\\n`` and lone ``\\r`` line ends, spans that begin with a space or cross a
line break. W3C annotations carry no text: importing them where the articles are
missing says which article to put where; with the articles, links come back too."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from annotator.core.project import Project
from annotator.io.load import load_project, open_project
from annotator.io.save import save_project
from tests.formats.conftest import tag
from tests.formats.test_relation_exports import _relate, accepted
from tests.test_cli import run

ARTICLES = {
    "crlf.txt": "Mayor Varga spoke.\r\nThe river rose  in Moscow.\r\n\r\nEnd of report.\r\n",
    "lone-cr.txt": "Old Mac file.\rA line in Kyiv.\rLast\n",
}
TAGS = [
    ("crlf", "Varga", "entity"),
    ("crlf", " Moscow", "entity"),  # begins with a space
    ("crlf", "spoke.\r\nThe river", "claim"),  # crosses a \r\n
    ("crlf", "End of report.", "claim"),
    ("lone-cr", "file.\rA line", "claim"),  # crosses a lone \r
    ("lone-cr", "Kyiv", "entity"),
]


@pytest.fixture
def project(tmp_path: Path) -> Project:
    folder = tmp_path / "project"
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8", newline="")
    project, _ = open_project(folder)
    for doc_id, text, label in TAGS:
        tag(project, doc_id, text, label)
    _relate(project, "same", ("crlf", "Varga"), ("lone-cr", "Kyiv"))  # a link
    save_project(project)
    return project


def contents(root: Path) -> tuple[dict[str, str], set[tuple[str, int, int, str, str]]]:
    project, _ = load_project(root)
    texts = {d.id: d.text for d in project.documents}
    spans = {(d.id, s.start, s.end, s.label, s.text) for d in project.documents for s in d.spans()}
    return texts, spans


@pytest.mark.parametrize("fmt", ["brat", "jsonl", "labelstudio"])
def test_an_export_imported_into_a_new_folder_is_the_same_text_and_spans(
    project: Project, tmp_path: Path, fmt: str
) -> None:
    out = tmp_path / ("export" if fmt == "brat" else "export.json")
    done = run("export", str(project.root), "-f", fmt, "-o", str(out))
    assert done.returncode == 0, done.stderr
    new = tmp_path / "new"
    new.mkdir()
    imported = run("import", str(new), str(out), "-f", fmt)
    assert imported.returncode == 0, imported.stderr
    assert "2 new documents" in imported.stdout
    texts, spans = contents(new)
    want_texts, want_spans = contents(project.root)
    assert sorted(texts.values()) == sorted(want_texts.values())
    assert len(spans) == len(want_spans) == len(TAGS)
    by_text = {t: i for i, t in want_texts.items()}
    renamed = {(by_text[texts[d]], a, b, label, text) for d, a, b, label, text in spans}
    assert renamed == want_spans


def test_brat_keeps_its_txt_with_newlines_only_and_tells_where_crlf_was(
    project: Project, tmp_path: Path
) -> None:
    out = tmp_path / "brat"
    assert run("export", str(project.root), "-f", "brat", "-o", str(out)).returncode == 0
    txt = (out / "crlf.txt").read_bytes().decode("utf-8")
    assert "\r\n" not in txt
    ann = (out / "crlf.ann").read_text(encoding="utf-8")
    assert "#CRLF\tAnnotatorNotes T0\tcrlf " in ann
    # brat's own reading: each T line's fragments cover its text in the .txt
    for line in ann.splitlines():
        if line.startswith("T"):
            _, frag, covered = line.split("\t")
            pieces = [tuple(map(int, f.split())) for f in frag.split(" ", 1)[1].split(";")]
            assert " ".join(txt[a:b] for a, b in pieces) == covered


def test_a_brat_ann_whose_crlf_note_does_not_fit_is_named(project: Project, tmp_path: Path) -> None:
    out = tmp_path / "brat"
    assert run("export", str(project.root), "-f", "brat", "-o", str(out)).returncode == 0
    ann = out / "crlf.ann"
    ann.write_text(ann.read_text(encoding="utf-8").replace("crlf ", "crlf 2 "), encoding="utf-8")
    new = tmp_path / "new"
    new.mkdir()
    imported = run("import", str(new), str(out), "-f", "brat")
    assert imported.returncode != 0
    assert "crlf.ann: its #CRLF line does not fit crlf.txt" in imported.stderr


def test_w3c_into_a_folder_without_the_articles_says_where_to_put_them(
    project: Project, tmp_path: Path
) -> None:
    out = tmp_path / "anno.jsonld"
    assert run("export", str(project.root), "-f", "w3c", "-o", str(out)).returncode == 0
    new = tmp_path / "new"
    new.mkdir()
    imported = run("import", str(new), str(out), "-f", "w3c")
    assert imported.returncode != 0
    assert "document 'crlf' is not in this project" in imported.stderr
    assert "as crlf.txt" in imported.stderr
    # done as it says: the articles in, then the same file brings spans and the link
    for name in ARTICLES:
        shutil.copyfile(project.root / name, new / name)
    again = run("import", str(new), str(out), "-f", "w3c")
    assert again.returncode == 0, again.stderr
    assert contents(new) == contents(project.root)
    back, _ = load_project(new)
    assert accepted(back) == accepted(project)
    assert json.loads(out.read_text(encoding="utf-8"))["type"] == "AnnotationCollection"
