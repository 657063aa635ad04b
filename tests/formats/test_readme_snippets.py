"""The README's loading snippets run as written, on a real export."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from annotator.core.project import Project
from tests.test_cli import run

README = Path(__file__).resolve().parents[2] / "README.md"


def snippet(name: str) -> str:
    text = README.read_text(encoding="utf-8")
    match = re.search(
        r"<!-- README test: " + re.escape(name) + r" .*?-->\n```python\n(.*?)```", text, re.S
    )
    assert match, f"README has no snippet {name}"
    return match.group(1)


def test_the_hf_snippet_loads_the_export(corpus: Project, tmp_path: Path) -> None:
    pytest.importorskip("datasets")
    out = tmp_path / "hf-out"
    assert run("export", str(corpus.root), "-f", "hf", "-o", str(out)).returncode == 0
    code = snippet("hf-load").replace('"OUT"', repr(str(out)))
    scope: dict[str, object] = {}
    exec(compile(code, "README.md", "exec"), scope)  # the user's own snippet, as written
    names = scope["names"]
    assert isinstance(names, list) and names[0] == "O" and "B-entity" in names
    first = scope["first"]
    assert isinstance(first, dict) and len(scope["tags"]) == len(first["tokens"])  # type: ignore[arg-type]


def test_load_from_disk_is_not_the_way_and_says_why(corpus: Project, tmp_path: Path) -> None:
    datasets = pytest.importorskip("datasets")
    out = tmp_path / "hf-out"
    assert run("export", str(corpus.root), "-f", "hf", "-o", str(out)).returncode == 0
    with pytest.raises(FileNotFoundError):
        datasets.load_from_disk(str(out))
