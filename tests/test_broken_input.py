"""Broken input, case by case (``tests/broken/``): a clear message saying what and where,
the rest of the project opens, and nothing on disk changes until the user saves.

Each case is checked in the command line (``annotator validate``) and in the window
(the error box, or the load report and what the panes show).
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from annotator.cli import main
from annotator.io.load import load_project
from annotator.io.paths import MAX_ARTICLE_BYTES
from annotator.io.save import save_project
from annotator.settings import load_settings
from annotator.ui.app import Launcher, ensure_application
from tests.ui.helpers import launch

BROKEN = Path(__file__).resolve().parent / "broken"


@dataclass(frozen=True)
class Case:
    refused: bool = False  # the project file as a whole cannot be used
    says: tuple[str, ...] = ()  # every piece must appear in one message
    span_id: str | None = None  # the message names this span and its line
    documents: int = 2  # documents shown when it opens
    spans: int = 5  # spans shown when it opens
    errors: bool = False
    text: dict[str, str] = field(default_factory=dict)  # document id -> a piece of its text
    # the loader reads it silently (converting a value); only validation reports it
    only_validate: bool = False


CASES = {
    "malformed-json": Case(refused=True, says=("annotator.json, line 3, column 14", "Nothing")),
    "truncated": Case(
        refused=True,
        says=("annotator.json, line 59", "ends early", "cut short by an interrupted copy"),
    ),
    "empty": Case(refused=True, says=("annotator.json", "the file is empty")),
    "newer-schema": Case(refused=True, says=("schema_version 99", "newer Annotator")),
    "broken-relations": Case(
        says=("relation r-000000000003", "span s-000000000099 of document ferry", "not there"),
        errors=True,
    ),
    "older-schema": Case(),
    "unknown-label": Case(says=("unknown label 'person'", "label added"), span_id="s-000000000002"),
    "duplicate-span-ids": Case(says=("s-000000000004 appears twice",), span_id="s-000000000004"),
    "offsets-past-end": Case(
        says=("ends at 914, past the end of the article (128 characters)", "orphan for review"),
        span_id="s-000000000006",
    ),
    "reversed-offsets": Case(
        says=("end (80) must be after start (90)", "finding it by its text"),
        span_id="s-000000000002",
    ),
    "article-edited": Case(
        says=("“Amira Osei” is not in the article", "orphan for review"),
        span_id="s-000000000002",
        spans=4,
    ),
    "unreadable-spans": Case(
        says=("start: Input should be a valid integer", "kept as it is, not shown"),
        span_id="s-000000000007",
        errors=True,
    ),
    "path-outside": Case(
        says=("document ferry", "must stay inside the project folder", "kept as it is"),
        errors=True,
        spans=3,  # ferry's record is kept aside; its article opens as a new, untagged document
    ),
    "bad-label": Case(says=("label 'quote'", "#rrggbb", "javascript:alert(1)", "shown grey")),
    "latin1-article": Case(
        says=("cafe-latin1.txt", "not valid UTF-8 (byte 3)", "Windows-1252"),
        documents=3,
        spans=6,
        text={"cafe": "Café owners on Quai Rosé"},
    ),
    "utf16-article": Case(documents=3, spans=6, text={"cafe": "“the worst in years”"}),
    "utf8-bom-article": Case(documents=3, spans=6, text={"cafe": "Café owners"}),
    "binary-article": Case(says=("photo.txt", "binary file"), errors=True),
    "unicode-file-name": Case(documents=3, spans=6, text={"cafe-notes": "Quai Rosé"}),
    "deeply-nested": Case(
        refused=True,
        says=("annotator.json, line 39, column 220", "nested more than 200 levels deep"),
    ),
    "huge-integer": Case(
        refused=True, says=("annotator.json, line 34, column 20", "a number with 5000 digits")
    ),
    "lone-surrogate": Case(
        refused=True, says=("annotator.json, line 38, column 27", "\\ud800", "lone surrogate")
    ),
    "string-offset": Case(
        says=(
            "span s-000000000001 in document harbour: start is the string '4' where the file "
            "format wants a whole number",
        ),
        span_id="s-000000000001",
        errors=True,
        only_validate=True,
    ),
    "project-file-folder": Case(
        refused=True, says=("annotator.json is a folder, not a project file", "Nothing was changed")
    ),
}


def copy_case(name: str, tmp_path: Path) -> Path:
    target = tmp_path / name
    shutil.copytree(BROKEN / name, target)
    return target


def fingerprint(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def line_of(folder: Path, span_id: str) -> int:
    for number, line in enumerate((folder / "annotator.json").read_text("utf-8").splitlines(), 1):
        if f'"id": "{span_id}"' in line:
            return number
    raise AssertionError(span_id)


def check_messages(case: Case, folder: Path, messages: list[str]) -> None:
    hits = [m for m in messages if all(piece in m for piece in case.says)]
    assert hits, f"no message says {case.says}: {messages}"
    if case.span_id is not None:
        where = f"annotator.json, line {line_of(folder, case.span_id)}"
        assert any(where in m and case.span_id in m for m in hits), (where, hits)


def test_every_case_in_the_corpus_is_tested() -> None:
    assert {p.name for p in BROKEN.iterdir() if p.is_dir()} == set(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_broken_input_in_the_command_line(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = CASES[name]
    folder = copy_case(name, tmp_path)
    before = fingerprint(folder)
    code = main(["validate", str(folder)])
    out = capsys.readouterr().out
    assert code == (1 if case.refused or case.errors else 0)
    if case.says:
        check_messages(case, folder, out.splitlines())
    else:
        assert "no problems found" in out
    assert fingerprint(folder) == before  # validating never writes


def _close_error_box(seen: list[str]) -> None:
    box = QApplication.activeModalWidget()
    if not isinstance(box, QMessageBox) or box.objectName() != "errorBox":
        QTimer.singleShot(20, lambda: _close_error_box(seen))
        return
    seen.append(box.text())
    box.accept()


@pytest.mark.parametrize("name", sorted(CASES))
def test_broken_input_in_the_window(name: str, tmp_path: Path, qtbot: QtBot) -> None:
    case = CASES[name]
    folder = copy_case(name, tmp_path)
    before = fingerprint(folder)
    if case.refused:
        ensure_application()
        seen: list[str] = []
        QTimer.singleShot(0, lambda: _close_error_box(seen))
        assert not Launcher(load_settings()).open(folder)
        assert len(seen) == 1
        check_messages(case, folder, seen)
        assert fingerprint(folder) == before
        return
    window = launch(qtbot, folder).window
    assert window is not None
    report = window.findChild(QMessageBox, "loadReport")
    if case.says and not case.only_validate:
        assert report is not None and report.isVisible()
        check_messages(case, folder, report.detailedText().splitlines())
    else:
        assert report is None
    project = window.session.project
    assert len(project.documents) == case.documents
    assert project.span_count == case.spans
    for doc_id, piece in case.text.items():
        window.documents.set_shown(doc_id, True)
        pane = window.panes.panes[doc_id]
        assert piece in pane.view.toPlainText()
    assert not window.session.is_dirty
    window.close()
    assert fingerprint(folder) == before  # opening and closing changed nothing on disk


def test_a_save_writes_back_what_could_not_be_read(tmp_path: Path) -> None:
    for name in ("unreadable-spans", "path-outside", "binary-article", "offsets-past-end"):
        folder = copy_case(name, tmp_path)
        original = json.loads((folder / "annotator.json").read_text("utf-8"))
        project, _ = load_project(folder)
        save_project(project)
        saved = json.loads((folder / "annotator.json").read_text("utf-8"))
        kept = [
            json.dumps(x, sort_keys=True)
            for d in saved["documents"]
            for x in [d, *d.get("spans", [])]
        ]
        for record in original["documents"]:
            spans = record.get("spans", [])
            for item in spans if isinstance(spans, list) else []:
                if not isinstance(item, dict) or not isinstance(item.get("start"), int):
                    assert json.dumps(item, sort_keys=True) in kept, (name, item)
            ids = {s.get("id") for s in spans if isinstance(s, dict)}
            saved_ids = {
                s.get("id")
                for d in saved["documents"]
                if d.get("id") == record["id"]
                for s in d.get("spans", [])
                if isinstance(s, dict)
            }
            assert ids <= saved_ids, (name, ids - saved_ids)  # no span dropped, orphans included
        again, _ = load_project(folder)
        assert again.span_count == project.span_count


def test_an_article_too_large_to_show_is_refused_and_the_rest_opens(
    tmp_path: Path, qtbot: QtBot, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = copy_case("older-schema", tmp_path)
    line = "The harbour council met again on Thursday and talked for hours. " * 16 + "\n"
    with open(folder / "huge.txt", "w", encoding="utf-8") as handle:
        for _ in range(50_000_000 // len(line) + 1):  # 50 MB
            handle.write(line)
    assert (folder / "huge.txt").stat().st_size > MAX_ARTICLE_BYTES
    before = fingerprint(folder)
    assert main(["validate", str(folder)]) == 1
    assert "huge.txt: the article is 50.0 MB; Annotator opens articles up to 10 MB" in (
        capsys.readouterr().out
    )
    window = launch(qtbot, folder).window
    assert window is not None
    report = window.findChild(QMessageBox, "loadReport")
    assert report is not None and "Split it into smaller files" in report.detailedText()
    assert [d.id for d in window.session.project.documents] == ["harbour", "ferry"]
    window.close()
    assert fingerprint(folder) == before


@pytest.mark.parametrize("name", sorted(n for n, c in CASES.items() if c.refused))
def test_export_refuses_what_validate_refuses(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = copy_case(name, tmp_path)
    before = fingerprint(folder)
    out = tmp_path / "out.jsonl"
    assert main(["export", str(folder), "-o", str(out)]) == 1
    assert "annotator: " in capsys.readouterr().err
    assert not out.exists() and fingerprint(folder) == before


def test_broken_relations_are_reported_and_written_back_as_they_were(tmp_path: Path) -> None:
    """The relation that can be placed is shown; the one naming a missing span, the one
    that cannot be read and the one of an unknown type are reported (the last gets a
    grey stand-in type); a save writes the unplaceable ones back unchanged."""
    folder = tmp_path / "case"
    shutil.copytree(BROKEN / "broken-relations", folder)
    before = json.loads((folder / "annotator.json").read_text(encoding="utf-8"))
    project, report = load_project(folder)
    assert sorted(r.id for r in project.relations()) == ["r-000000000001", "r-000000000004"]
    messages = " ".join(p.message for p in report.problems)
    assert "r-000000000002" in messages and "cannot be read" in messages
    assert "unknown type 'echoes'" in messages and project.relation_type("echoes") is not None
    save_project(project)
    after = json.loads((folder / "annotator.json").read_text(encoding="utf-8"))
    unplaced = [r for r in after["documents"][0]["relations"] if r["id"] == "r-000000000002"]
    assert unplaced == [before["documents"][0]["relations"][1]]
    assert before["links"][0] in after["links"]
