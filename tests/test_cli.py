"""The command line, run as a user runs it: a subprocess with no display."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema

from annotator import __version__
from annotator.core.commands import make_span
from annotator.core.models import PROJECT_FILE_NAME
from annotator.io.load import open_project
from annotator.io.save import save_project
from annotator.resources import resource_path

TEXT = (
    "Zoe\u0308 met \U0001f600 Ana in Par\u00eds.\r\n"
    "She said \u201crates will rise\u201d.\tEnd\u00a0now."
)


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ}
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    return subprocess.run(
        [sys.executable, "-m", "annotator", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=cwd,
        timeout=60,
    )


def tagged_project(tmp_path: Path) -> Path:
    folder = tmp_path / "proj"
    folder.mkdir()
    (folder / "a.txt").write_text(TEXT, encoding="utf-8", newline="")
    (folder / "b.txt").write_text("Ana again.", encoding="utf-8")
    project, _ = open_project(folder)
    doc = project.document("a")
    for word, label in (
        ("Ana", "entity"),
        ("\u201crates will rise\u201d", "quote"),
        ("rates", "claim"),
        ("Par\u00eds", "entity"),
        ("End\u00a0now", "claim"),
    ):
        start = TEXT.index(word)
        doc.put_span(make_span(doc, start, start + len(word), label, snap=False))
    save_project(project)
    return folder


def test_version() -> None:
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"annotator {__version__}"


def test_export_jsonl_offsets_are_python_code_points(tmp_path: Path) -> None:
    folder = tagged_project(tmp_path)
    out = tmp_path / "out.jsonl"
    result = run("export", str(folder), "--format", "jsonl", "--output", str(out))
    assert result.returncode == 0, result.stderr
    lines = out.read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert [r["id"] for r in records] == ["a", "b"]
    first = records[0]
    assert set(first) == {"id", "text", "spans", "relations", "status", "meta"}
    assert first["status"] == "new"  # nobody marked it done
    assert first["text"] == TEXT
    assert len(first["spans"]) == 5
    for span in first["spans"]:
        assert first["text"][span["start"] : span["end"]] == span["text"]
        assert {"start", "end", "label", "text"} <= set(span)
    assert first["meta"]["path"] == "a.txt"


def test_export_filters_labels_and_lists_formats(tmp_path: Path) -> None:
    folder = tagged_project(tmp_path)
    out = tmp_path / "claims.jsonl"
    assert (
        run("export", str(folder), "-f", "jsonl", "-o", str(out), "--labels", "claim").returncode
        == 0
    )
    spans = json.loads(out.read_text(encoding="utf-8").splitlines()[0])["spans"]
    assert {s["label"] for s in spans} == {"claim"}
    listing = run("export", "--list-formats")
    assert listing.returncode == 0 and listing.stdout.startswith("jsonl")
    bad = run("export", str(folder), "-f", "nope", "-o", str(out))
    assert bad.returncode == 2 and "unknown format" in bad.stderr


def test_validate_reports_in_plain_words(tmp_path: Path) -> None:
    folder = tagged_project(tmp_path)
    ok = run("validate", str(folder))
    assert ok.returncode == 0 and "no problems" in ok.stdout
    data = json.loads((folder / PROJECT_FILE_NAME).read_text(encoding="utf-8"))
    data["documents"][0]["spans"][0]["label"] = "mystery"
    (folder / "a.txt").write_text(TEXT.replace("Ana", "Anna"), encoding="utf-8", newline="")
    (folder / PROJECT_FILE_NAME).write_text(json.dumps(data), encoding="utf-8")
    warned = run("validate", str(folder))
    assert warned.returncode == 0
    assert "unknown label 'mystery'" in warned.stdout
    assert "changed since the last save" in warned.stdout
    (folder / PROJECT_FILE_NAME).write_text("{not json", encoding="utf-8")
    broken = run("validate", str(folder))
    assert broken.returncode == 1
    assert "line 1, column 2" in broken.stdout


def test_cli_and_core_never_import_qt(tmp_path: Path) -> None:
    folder = tagged_project(tmp_path)
    code = (
        "import sys, annotator.cli as c, annotator.io.validate, annotator.formats;"
        f"c.main(['export', {str(folder)!r}, '-o', {str(tmp_path / 'x.jsonl')!r}]);"
        f"c.main(['validate', {str(folder)!r}]);"
        "assert not [m for m in sys.modules if m.startswith('PySide6')], 'Qt imported'"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr


def test_shipped_schema_matches_the_models_and_validates_projects(tmp_path: Path) -> None:
    generated = run("schema")
    shipped = resource_path("schema", "project.schema.json").read_text(encoding="utf-8")
    assert generated.stdout == shipped, (
        "run: annotator schema -o resources/schema/project.schema.json"
    )
    schema = json.loads(shipped)
    folder = tagged_project(tmp_path)
    jsonschema.validate(
        json.loads((folder / PROJECT_FILE_NAME).read_text(encoding="utf-8")), schema
    )
    jsonschema.validate(json.loads(resource_path("sample", PROJECT_FILE_NAME).read_text()), schema)
