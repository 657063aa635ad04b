"""Every reader of user files meets hostile input with a message, never a traceback:
the project file (tests/broken), the edit journal, and every import format.

Each payload goes through ``annotator import`` as a user runs it; the message must name
the file (and the line, where the format has lines), and nothing on disk may change.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from annotator.formats import FORMATS
from annotator.io.journal import journal_path
from annotator.io.recovery import read_journal
from tests.test_broken_input import BROKEN, fingerprint
from tests.test_cli import run

PAYLOADS: dict[str, bytes] = {
    "deep-nesting": b"[" * 200_000 + b"]" * 200_000 + b"\n",
    "deep-object": b'{"a": ' * 50_000 + b"1" + b"}" * 50_000 + b"\n",
    "huge-integer": b'{"id": "harbour", "spans": [{"start": ' + b"9" * 5000 + b"}]}\n",
    "lone-surrogate": b'{"id": "harbour", "text": "a \\ud800 b", "spans": []}\n',
    "truncated": b'{"id": "harbour", "text": "The Harbourside council met on Thurs',
    "not-utf8": b'{"id": "harbour", "text": "caf\xe9", "spans": []}\n',
    "binary": bytes(range(256)) * 4,
    "wrong-shape": b'[{"data": 5, "annotations": [7, {"result": "x"}]}, 3, null]\n',
    "empty": b"",
}
LINE_FORMATS = {"jsonl", "prodigy", "doccano", "labelstudio", "w3c", "conll"}
# (plain text takes any text as an article: its hostile input is binary, tested apart)
READERS = [name for name, fmt in FORMATS.items() if fmt.read is not None and fmt.spans]


def project(tmp_path: Path) -> Path:
    target = tmp_path / "project"
    shutil.copytree(BROKEN / "older-schema", target)
    run("validate", str(target))
    return target


def place(tmp_path: Path, fmt: str, payload: bytes) -> Path:
    if fmt == "brat":
        folder = tmp_path / "brat-in"
        folder.mkdir()
        (folder / "harbour.ann").write_bytes(payload)
        (folder / "harbour.txt").write_bytes(payload)
        return folder
    path = tmp_path / f"hostile.{fmt}"
    path.write_bytes(payload)
    return path


@pytest.mark.parametrize("payload", sorted(PAYLOADS))
@pytest.mark.parametrize("fmt", READERS)
def test_every_import_format_meets_hostile_files_with_a_message(
    tmp_path: Path, fmt: str, payload: str
) -> None:
    if fmt == "spacy":
        pytest.importorskip("spacy")
    target = project(tmp_path)
    source = place(tmp_path, fmt, PAYLOADS[payload])
    before = fingerprint(target)
    result = run("import", str(target), str(source), "-f", fmt, "--add-labels")
    assert "Traceback" not in result.stderr, result.stderr
    assert fingerprint(target) == before  # nothing imported, nothing changed
    if payload == "empty" and result.returncode == 0:
        assert "imported 0 spans" in result.stdout
        return
    assert result.returncode in (1, 2), (result.stdout, result.stderr)
    named = "harbour.ann" if fmt == "brat" else source.name
    assert named in result.stderr, result.stderr
    if fmt in LINE_FORMATS and payload not in ("binary", "empty"):
        # where: the line, or for a JSON document of the wrong shape the task or item
        places = [f"{source.name}, {unit} " for unit in ("line", "task", "item")]
        assert any(place in result.stderr for place in places), result.stderr


@pytest.mark.parametrize("payload", sorted(PAYLOADS))
def test_the_journal_meets_hostile_lines_with_a_message(tmp_path: Path, payload: str) -> None:
    target = project(tmp_path)
    journal_path(target).write_bytes(PAYLOADS[payload])
    contents = read_journal(target)
    assert contents is not None
    assert contents.edits == []
    if PAYLOADS[payload].strip():
        assert contents.problems and all(", line " in p for p in contents.problems)
        assert contents.skipped == len(contents.problems)
    result = run("validate", str(target))
    assert "Traceback" not in result.stderr


def test_doccano_offsets_outside_the_text_are_said_so_not_a_split_character(
    tmp_path: Path,
) -> None:
    from annotator.formats import FORMATS
    from annotator.formats.records import RecordProblem

    file = tmp_path / "in.jsonl"
    file.write_text(
        '{"id": 1, "text": "a😀b", "label": [[1, 2, "entity"], [-1, 2, "entity"], '
        '[2, 9, "entity"], [0, 1, "entity"]]}\n',
        encoding="utf-8",
    )
    reader = FORMATS["doccano"].read
    assert reader is not None
    problems = [str(p) for p in reader(file) if isinstance(p, RecordProblem)]
    assert problems == [
        "in.jsonl, line 1: span 1: offset 1-2 splits a character",
        "in.jsonl, line 1: span 2: offset -1-2 is outside the text (0-4, in UTF-16 units "
        "as doccano counts)",
        "in.jsonl, line 1: span 3: offset 2-9 is outside the text (0-4, in UTF-16 units "
        "as doccano counts)",
    ]


def test_label_studio_a_bad_result_costs_that_result_not_the_task(tmp_path: Path) -> None:
    """A result whose start is not a number is reported as that result; the task's
    other results are still checked and, with --keep-good, imported."""
    from tests.test_cli import run

    file = tmp_path / "tasks.json"
    result = [
        {"type": "labels", "value": {"start": 0, "end": 3, "labels": ["entity"]}},
        {"type": "labels", "value": {"start": 4, "end": 99, "labels": ["entity"]}},
        {"type": "labels", "value": {"start": -2, "end": 1, "labels": ["entity"]}},
        {"type": "labels", "value": {"start": "x", "end": 1, "labels": ["entity"]}},
    ]
    tasks = [{"id": 1, "data": {"text": "Ana met Bo."}, "annotations": [{"result": result}]}]
    file.write_text(json.dumps(tasks), encoding="utf-8")
    refused = run("import", str(tmp_path / "p"), str(file), "-f", "labelstudio")
    assert refused.returncode == 1
    lines = refused.stderr.splitlines()
    assert any("result 4: start and end must be whole numbers, not 'x' and 1" in x for x in lines)
    assert any("offsets 4-99 run past the end" in x for x in lines)
    assert any("offsets -2-1 start before the text" in x for x in lines)
    kept = run("import", str(tmp_path / "p"), str(file), "-f", "labelstudio", "--keep-good")
    assert kept.returncode == 0, kept.stderr
    assert "imported 1 span" in kept.stdout


@pytest.mark.parametrize("fmt", ["jsonl", "prodigy", "doccano"])
def test_a_bad_span_costs_that_span_not_the_records_others(tmp_path: Path, fmt: str) -> None:
    """Each bad span of a record is named; --keep-good imports the record's good one."""
    from tests.test_cli import run

    file = tmp_path / "in.jsonl"
    if fmt == "doccano":
        record: dict[str, object] = {
            "id": 1,
            "text": "Ana met Bo.",
            "label": [[0, 3, "entity"], ["x", 1, "entity"], [4, 7]],
        }
    else:
        spans = [
            {"start": 0, "end": 3, "label": "entity"},
            {"start": "x", "end": 1, "label": "entity"},
            {"start": 4, "end": 7},
        ]
        record = {"id": "a", "text": "Ana met Bo.", "spans": spans}
    file.write_text(json.dumps(record) + "\n", encoding="utf-8")
    refused = run("import", str(tmp_path / "p"), str(file), "-f", fmt)
    assert refused.returncode == 1
    problems = [x for x in refused.stderr.splitlines() if x.startswith("in.jsonl, line 1: span")]
    assert [x.split(":")[1].strip() for x in problems] == ["span 2", "span 3"], problems
    assert "span 3: no 'label'" in refused.stderr or fmt == "doccano"
    kept = run("import", str(tmp_path / "p"), str(file), "-f", fmt, "--keep-good")
    assert kept.returncode == 0, kept.stderr
    assert "imported 1 span" in kept.stdout
