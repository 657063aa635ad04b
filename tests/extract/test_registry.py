"""The extractor interface: built-ins by name, plug-ins through an entry point."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

from annotator import extract
from annotator.core.models import Span
from annotator.core.project import Document, Project
from annotator.core.suggestions import Candidate, suggestion_batch


def test_builtins_are_listed_and_load() -> None:
    names = extract.available()
    assert list(names)[:4] == ["quotes", "propagate", "claims", "spacy"]
    ex = extract.load("propagate", fuzzy=0.9, model="ignored")
    assert ex.name == "propagate"


def test_unknown_extractor_names_the_known_ones() -> None:
    with pytest.raises(extract.ExtractorUnavailable, match="quotes"):
        extract.load("nope")


def test_entry_point_plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "shouty_plugin.py").write_text(
        textwrap.dedent(
            """
            import re
            from annotator.core.suggestions import Candidate

            def shouty(text):
                for m in re.finditer(r"\\b[A-Z]{3,}\\b", text):
                    yield Candidate(m.start(), m.end(), "entity", 0.5)
            """
        )
    )
    dist = tmp_path / "shouty_plugin-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: shouty-plugin\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text(
        "[annotator.extractors]\nshouty = shouty_plugin:shouty\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    assert "shouty" in extract.available()
    ex = extract.load("shouty")
    project = Project(root=tmp_path, documents=[Document("d", "d.txt", "The GRU and NATO met.")])
    suggested = extract.suggest(project, ex, project.documents)
    batch = suggested.batch
    assert suggested.problems == []
    assert [c.after.text for c in batch.changes if c.after] == ["GRU", "NATO"]
    assert {c.after.origin for c in batch.changes if c.after} == {"shouty"}
    sys.modules.pop("shouty_plugin", None)


def test_suggestions_skip_what_the_document_has() -> None:
    doc = Document("d", "d.txt", "Alekseev met Alekseev and Lavrov.")
    manual = Span(id="s-1", start=0, end=8, label="claim", text="Alekseev")
    rejected = Span(
        id="s-2", start=26, end=32, label="entity", text="Lavrov", origin="x", status="rejected"
    )
    doc.put_span(manual)
    doc.put_span(rejected)
    cands = [
        Candidate(0, 8, "entity"),  # a person tagged this range: left alone
        Candidate(13, 21, "entity"),
        Candidate(13, 21, "entity"),  # duplicate in one run
        Candidate(26, 32, "entity"),  # rejected before: does not come back
        Candidate(30, 99, "entity"),  # outside the text: reported
    ]
    suggested = suggestion_batch([(doc, cands)], "test")
    batch, problems = suggested.batch, suggested.problems
    assert [(c.after.start, c.after.status) for c in batch.changes if c.after] == [(13, "pending")]
    assert len(problems) == 1 and "outside" in problems[0]
    assert suggested.skipped == {"already there": 1, "rejected before": 1}
    assert suggested.skipped_text() == "; skipped 2: 1 already there, 1 rejected before"
