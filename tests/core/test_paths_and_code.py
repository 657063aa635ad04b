"""Paths stay inside the project and the chosen export folder; loading runs no code and
opens no connection."""

from __future__ import annotations

import ast
import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.core.models import MANUAL, Span
from annotator.core.project import Document, Project
from annotator.formats import FORMATS, ExportOptions
from annotator.io.load import load_project, open_project
from annotator.io.save import save_project

PACKAGE = Path(__file__).resolve().parents[2] / "annotator"


def project_with_records(tmp_path: Path, paths: list[str]) -> tuple[Path, Path]:
    outside = tmp_path / "secret.txt"
    outside.write_text("SECRET outside the project", encoding="utf-8")
    folder = tmp_path / "proj"
    folder.mkdir()
    (folder / "a.txt").write_text("An ordinary article.", encoding="utf-8")
    (folder / "link.txt").symlink_to(outside)
    records = [{"id": f"d{i}", "path": p, "spans": []} for i, p in enumerate(paths)]
    records.append({"id": "a", "path": "a.txt", "spans": []})
    (folder / "annotator.json").write_text(
        json.dumps({"schema_version": 2, "documents": records}), encoding="utf-8"
    )
    return folder, outside


def test_paths_in_a_project_file_cannot_leave_the_folder(tmp_path: Path) -> None:
    escapes = [
        "../secret.txt",
        str(tmp_path / "secret.txt"),
        "..\\secret.txt",
        "link.txt",
        "sub/../../secret.txt",
        "C:\\secret.txt",
    ]
    folder, _outside = project_with_records(tmp_path, escapes)
    project, report = load_project(folder)
    assert [d.id for d in project.documents] == ["a"]  # only the real article is shown
    assert all("SECRET" not in d.text for d in project.documents)
    lines = [str(p) for p in report.problems]
    refusals = ("outside the project folder", "must stay inside", "must be relative")
    for i, path in enumerate(escapes):
        assert any(
            (f"document d{i} " in line or f"{path}:" in line) and any(r in line for r in refusals)
            for line in lines
        ), (path, lines)
    save_project(project)  # the refused records are written back as they were
    saved = json.loads((folder / "annotator.json").read_text("utf-8"))
    assert [r["path"] for r in saved["documents"]] == ["a.txt", *escapes]


@pytest.mark.parametrize("name", [n for n, f in FORMATS.items() if f.folder and f.write])
def test_folder_exports_write_only_inside_the_chosen_folder(tmp_path: Path, name: str) -> None:
    project = Project(root=tmp_path / "p")
    hostile_ids = ["../../escape", "/etc/passwd", "a/b/c", "..", "CON", "x" * 300, "é 💥 <b>"]
    for i, doc_id in enumerate(hostile_ids):
        text = f"Document {i} mentions Varga."
        doc = Document(id=doc_id, path=f"{i}.txt", text=text)
        start = text.index("Varga")
        doc.put_span(
            Span(
                id=f"s-{i}", start=start, end=start + 5, label="entity", text="Varga", origin=MANUAL
            )
        )
        project.add_document(doc)
    out = tmp_path / "deep" / "out"
    before = set(tmp_path.rglob("*"))
    FORMATS[name].write(project, out, ExportOptions())
    written = set(tmp_path.rglob("*")) - before
    assert written and all(p == out or out in p.parents or p in out.parents for p in written)
    files = [p for p in written if p.is_file()]
    assert all(out in p.parents for p in files)
    assert all(len(p.name) <= 255 for p in files)


def test_loading_opens_no_connection(monkeypatch: pytest.MonkeyPatch, sample_copy: Path) -> None:
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("a network connection was attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    raw = json.loads((sample_copy / "annotator.json").read_text("utf-8"))
    raw["documents"][0]["source"] = "http://example.com/article"
    raw["labels"][0]["description"] = '<img src="http://example.com/pixel.png">'
    (sample_copy / "annotator.json").write_text(json.dumps(raw), encoding="utf-8")
    project, _report = open_project(sample_copy)
    assert project.documents[0].source == "http://example.com/article"
    for name, fmt in FORMATS.items():
        if name in {"spacy", "hf"} or fmt.write is None:
            continue  # need optional libraries; they are exported offline in tests/formats
        target = sample_copy.parent / f"out-{name}"
        fmt.write(project, target, ExportOptions(statuses=frozenset({"accepted", "pending"})))


FORBIDDEN_MODULES = {"pickle", "cPickle", "marshal", "shelve", "dill", "yaml", "jsonpickle"}
FORBIDDEN_CALLS = {"eval", "exec", "compile", "__import__"}


def test_no_code_runs_from_data() -> None:
    """No pickle, marshal, shelve or YAML; no eval, exec or compile anywhere in the package."""
    found = []
    for file in PACKAGE.rglob("*.py"):
        tree = ast.parse(file.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found += [
                    (file, a.name) for a in node.names if a.name.split(".")[0] in FORBIDDEN_MODULES
                ]
            elif isinstance(node, ast.ImportFrom) and node.module:
                if node.module.split(".")[0] in FORBIDDEN_MODULES:
                    found.append((file, node.module))
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in FORBIDDEN_CALLS
            ):
                found.append((file, node.func.id))
    assert found == []


def test_a_symlink_that_stays_inside_is_read_and_a_linked_folder_out_is_not(
    tmp_path: Path,
) -> None:
    """Articles are opened without following a last-part symlink (O_NOFOLLOW); one that
    points inside the folder is still read, through a checked real path."""
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "b.txt").write_text("SECRET in a folder outside", encoding="utf-8")
    folder = tmp_path / "proj"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "real.txt").write_text("The real article.", encoding="utf-8")
    (folder / "alias.txt").symlink_to(folder / "sub" / "real.txt")
    (folder / "out").symlink_to(outside, target_is_directory=True)
    records = [
        {"id": "alias", "path": "alias.txt", "spans": []},
        {"id": "real", "path": "sub/real.txt", "spans": []},
        {"id": "out", "path": "out/b.txt", "spans": []},
    ]
    (folder / "annotator.json").write_text(
        json.dumps({"schema_version": 2, "documents": records}), encoding="utf-8"
    )
    project, report = load_project(folder)
    texts = {d.id: d.text for d in project.documents}
    assert texts["alias"] == texts["real"] == "The real article."
    assert "out" not in texts
    assert any("outside the project folder" in str(p) for p in report.problems)


def _one_article(tmp_path: Path) -> Path:
    folder = tmp_path / "proj"
    folder.mkdir()
    (folder / "a.txt").write_text("An ordinary article.", encoding="utf-8")
    return folder


def _export_process(folder: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """``annotator export`` of ``folder`` as a process (a minute at most: a hang fails)."""
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "annotator",
            "export",
            str(folder),
            "-o",
            str(folder.parent / "o.jsonl"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **env},
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_pipe_named_like_an_article_is_refused_not_waited_on(tmp_path: Path) -> None:
    """Opening a folder holding a FIFO called ``evil.txt`` used to wait forever for a
    writer; now the pipe is named as no regular file and the rest opens."""
    folder = _one_article(tmp_path)
    os.mkfifo(folder / "evil.txt")
    done = _export_process(folder)
    assert done.returncode == 0, done.stderr
    assert "evil.txt: not a regular file" in done.stderr
    assert "wrote 1 document" in done.stdout


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_pipes_where_the_journal_the_lock_and_the_settings_go_are_not_waited_on(
    tmp_path: Path,
) -> None:
    """A journal, a lock or settings that is a pipe is said to be unreadable (the
    journal), taken as stale (the lock) or as no settings, never waited on."""
    from annotator.io.atomic import read_regular
    from annotator.io.journal import journal_path
    from annotator.io.lock import lock_path, read_owner
    from annotator.io.recovery import read_journal

    folder = _one_article(tmp_path)
    os.mkfifo(journal_path(folder))
    os.mkfifo(lock_path(folder))
    with pytest.raises(OSError, match="not a regular file"):
        read_regular(journal_path(folder))
    contents = read_journal(folder)
    assert contents is not None and "not a regular file" in contents.problems[0]
    assert read_owner(folder) is None  # unreadable: stale
    config = tmp_path / "config" / "annotator"
    config.mkdir(parents=True)
    os.mkfifo(config / "settings.json")
    done = _export_process(folder, XDG_CONFIG_HOME=str(tmp_path / "config"))
    assert done.returncode == 0, done.stderr
