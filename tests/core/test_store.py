"""Saving and loading a project folder: round trips, stable output, bad input, re-anchoring."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.core.commands import make_span
from annotator.core.models import PROJECT_FILE_NAME, ProjectFile, replace_span
from annotator.io import atomic
from annotator.io.load import load_project, open_project
from annotator.io.report import ProjectError
from annotator.io.save import save_project

TEXT = "Mayor Ilona Varga 😀 said\r\n“we will rebuild” on Tuesday.\tZoe\u0308 agreed.\u00a0End."


def make_project(tmp_path: Path, text: str = TEXT) -> Path:
    folder = tmp_path / "proj"
    folder.mkdir()
    (folder / "a.txt").write_text(text, encoding="utf-8", newline="")
    (folder / "b.md").write_text("# Second\n\nIlona Varga again.", encoding="utf-8")
    project, report = open_project(folder)
    assert report.created
    doc = project.document("a")
    for word, label in (
        ("Ilona Varga", "entity"),
        ("“we will rebuild”", "quote"),
        ("rebuild", "claim"),
        ("Zoe\u0308", "entity"),
    ):
        start = text.index(word)
        span = make_span(doc, start, start + len(word), label, snap=False)
        doc.put_span(replace_span(span, note="n <b>", attributes={"z": 1, "a": "x"}))
    save_project(project)
    return folder


def test_round_trip_is_identical(tmp_path: Path) -> None:
    folder = make_project(tmp_path)
    first = (folder / PROJECT_FILE_NAME).read_bytes()
    project, report = load_project(folder)
    assert report.problems == []
    for doc in project.documents:
        for span in doc.spans():
            assert doc.text[span.start : span.end] == span.text
    save_project(project)
    assert (folder / PROJECT_FILE_NAME).read_bytes() == first
    again, _ = load_project(folder)
    assert [d.spans() for d in again.documents] == [d.spans() for d in project.documents]


def test_file_is_stable_sorted_and_human_readable(tmp_path: Path) -> None:
    folder = make_project(tmp_path)
    text = (folder / PROJECT_FILE_NAME).read_text(encoding="utf-8")
    assert text.endswith("\n") and "\n  " in text and "😀" not in text  # text stays in articles
    data = json.loads(text)
    assert list(data) == [
        "schema_version",
        "labels",
        "relation_types",
        "links",
        "clusters",
        "work",
        "documents",
    ]
    spans = data["documents"][0]["spans"]
    assert [s["start"] for s in spans] == sorted(s["start"] for s in spans)
    assert list(spans[0]["attributes"]) == ["a", "z"]
    assert list(spans[0])[:5] == ["id", "start", "end", "label", "text"]
    ProjectFile.model_validate(data)


def test_backup_of_the_previous_file_is_kept(tmp_path: Path) -> None:
    folder = make_project(tmp_path)
    first = (folder / PROJECT_FILE_NAME).read_bytes()
    project, _ = load_project(folder)
    project.document("a").pop_span(project.document("a").spans()[0].id)
    save_project(project)
    assert (folder / f".{PROJECT_FILE_NAME}.bak").read_bytes() == first


def test_a_failing_write_leaves_the_old_file_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = make_project(tmp_path)
    before = (folder / PROJECT_FILE_NAME).read_bytes()
    project, _ = load_project(folder)
    project.document("a").pop_span(project.document("a").spans()[0].id)

    def crash(*_args: object) -> None:
        raise OSError("disk pulled out")

    monkeypatch.setattr(atomic.os, "replace", crash)
    with pytest.raises(OSError, match="disk pulled out"):
        save_project(project)
    monkeypatch.undo()
    assert (folder / PROJECT_FILE_NAME).read_bytes() == before
    assert not [p for p in folder.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "empty"),
        ('{"schema_version": 1, "labels": [', "line 1, column"),
        ("[1, 2]", "JSON object"),
        ('{"schema_version": 9, "labels": [], "documents": []}', "newer"),
    ],
)
def test_bad_project_files_give_clear_errors_and_stay_untouched(
    tmp_path: Path, content: str, message: str
) -> None:
    folder = tmp_path / "p"
    folder.mkdir()
    (folder / "a.txt").write_text("Some text here.", encoding="utf-8")
    (folder / PROJECT_FILE_NAME).write_text(content, encoding="utf-8")
    with pytest.raises(
        ProjectError,
        match=message.replace("(", r"\(")
        .replace(")", r"\)")
        .replace("[", r"\[")
        .replace("]", r"\]"),
    ):
        open_project(folder)
    assert (folder / PROJECT_FILE_NAME).read_text(encoding="utf-8") == content


def test_changed_article_reanchors_or_keeps_orphans(tmp_path: Path) -> None:
    folder = make_project(tmp_path)
    edited = "Breaking: " + TEXT.replace("Zoe\u0308 agreed.", "Nobody agreed.")
    (folder / "a.txt").write_text(edited, encoding="utf-8", newline="")
    project, report = load_project(folder)
    doc = project.document("a")
    assert {s.text for s in doc.spans()} == {"Ilona Varga", "“we will rebuild”", "rebuild"}
    for span in doc.spans():
        assert edited[span.start : span.end] == span.text
    assert [s.text for s in doc.orphans] == ["Zoe\u0308"]
    messages = " ".join(p.message for p in report.problems)
    assert "changed since the last save" in messages and "orphan" in messages
    save_project(project)
    saved = json.loads((folder / PROJECT_FILE_NAME).read_text(encoding="utf-8"))
    assert len(saved["documents"][0]["spans"]) == 4  # the orphan is kept, not dropped


def test_missing_article_keeps_its_record(tmp_path: Path) -> None:
    folder = make_project(tmp_path)
    (folder / "a.txt").unlink()
    project, report = load_project(folder)
    assert [d.id for d in project.documents] == ["b"]
    assert report.errors and "cannot read" in report.errors[0].message
    save_project(project)
    saved = json.loads((folder / PROJECT_FILE_NAME).read_text(encoding="utf-8"))
    assert {d["id"]: len(d["spans"]) for d in saved["documents"]} == {"b": 0, "a": 4}


def test_unknown_labels_and_duplicate_ids_are_kept_and_reported(tmp_path: Path) -> None:
    folder = make_project(tmp_path)
    data = json.loads((folder / PROJECT_FILE_NAME).read_text(encoding="utf-8"))
    spans = data["documents"][0]["spans"]
    spans[0]["label"] = "person"
    spans[1]["id"] = spans[0]["id"]
    (folder / PROJECT_FILE_NAME).write_text(json.dumps(data), encoding="utf-8")
    project, report = load_project(folder)
    assert project.label("person") is not None
    assert len(project.document("a").spans()) == 4
    text = " ".join(p.message for p in report.problems)
    assert "unknown label 'person'" in text and "appears twice" in text


def test_symlink_out_of_the_project_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "secret.txt"
    outside.write_text("secret", encoding="utf-8")
    folder = make_project(tmp_path)
    (folder / "link.txt").symlink_to(outside)
    project, report = load_project(folder)
    assert not project.has_document("link")
    assert any("outside the project folder" in p.message for p in report.problems)


def test_folder_without_articles_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ProjectError, match=r"holds no articles \(\.txt, \.md, saved web pages"):
        open_project(tmp_path)


def test_loading_reports_progress_and_can_be_cancelled(tmp_path: Path) -> None:
    from annotator.core.commands import make_span
    from annotator.core.progress import Cancelled
    from annotator.io.load import load_project

    root = make_project(tmp_path)
    project, _ = open_project(root)
    doc = project.documents[0]
    for start in range(0, 40, 8):
        doc.put_span(make_span(doc, start, start + 4, "entity"))
    save_project(project)

    seen: list[tuple[int, int]] = []
    loaded, _ = load_project(root, progress=lambda done, total: seen.append((done, total)))
    assert loaded.span_count == project.span_count
    assert seen and seen[-1][0] == seen[-1][1]  # ends at the total
    assert [d for d, _t in seen] == sorted(d for d, _t in seen)  # never goes back

    with pytest.raises(Cancelled):
        load_project(root, cancelled=lambda: True)


def test_a_saved_file_is_parsed_a_document_at_a_time_with_the_same_result(
    tmp_path: Path,
) -> None:
    import pydantic_core

    from annotator.io.parse import _parse_in_pieces
    from annotator.io.paths import project_file

    root = make_project(tmp_path)
    project, _ = open_project(root)
    doc = project.documents[0]
    doc.put_span(make_span(doc, 0, 5, "entity"))
    doc.meta["source"] = '"},\n    {"'  # structure-like text inside a string
    save_project(project)
    data = project_file(root).read_bytes()
    pieces = _parse_in_pieces(data)
    assert pieces is not None and len(pieces["documents"]) == 2
    assert pieces == pydantic_core.from_json(data)

    # the same content laid out differently is parsed whole, with the same project
    compact = json.dumps(json.loads(data))
    assert _parse_in_pieces(compact.encode()) is None
    project_file(root).write_text(compact, encoding="utf-8")
    again, report = open_project(root)
    assert not report.problems
    assert [(s.id, s.start, s.end) for s in again.documents[0].spans()] == [
        (s.id, s.start, s.end) for s in doc.spans()
    ]


@pytest.mark.parametrize("piece", [1, 40, 300, 10**6])
def test_a_big_records_spans_parsed_in_pieces_are_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, piece: int
) -> None:
    import pydantic_core

    from annotator.io import parse
    from annotator.io.paths import project_file

    root = make_project(tmp_path)
    project, _ = open_project(root)
    doc = project.documents[0]
    text = doc.text
    for start in range(0, len(text) - 3, 3):  # many spans, some with nested attributes
        if text[start : start + 3].strip():
            span = make_span(doc, start, start + 3, "claim", snap=False)
            doc.put_span(replace_span(span, attributes={"k": "},\n        {"}, note="a\nb"))
    save_project(project)
    data = project_file(root).read_bytes()
    monkeypatch.setattr(parse, "_BIG_RECORD", 0)  # every record counts as big
    monkeypatch.setattr(parse, "_PIECE", piece)
    assert parse._parse_in_pieces(data) == pydantic_core.from_json(data)


def test_documents_is_the_last_key_of_a_saved_file(tmp_path: Path) -> None:
    """The fast parser relies on it (annotator.io.parse._parse_in_pieces): a saver that
    wrote another key after ``documents`` would silently send every open down the slow,
    whole-file path. The model's field order is what the saver follows."""
    from annotator.core.models import ProjectFile
    from annotator.io.parse import _parse_in_pieces
    from annotator.io.paths import project_file

    assert list(ProjectFile.model_fields)[-1] == "documents"
    root = make_project(tmp_path)
    project, _ = open_project(root)
    save_project(project)
    data = project_file(root).read_bytes()
    assert list(json.loads(data)) == list(ProjectFile.model_fields)  # same keys, same order
    assert _parse_in_pieces(data) is not None  # the fast path takes it

    # a file with another key after "documents" still opens, by the careful path
    moved = json.loads(data)
    moved = {"documents": moved.pop("documents"), **moved}
    project_file(root).write_text(json.dumps(moved, indent=2), encoding="utf-8")
    assert _parse_in_pieces(project_file(root).read_bytes()) is None
    again, report = open_project(root)
    assert not report.problems and len(again.documents) == len(project.documents)
