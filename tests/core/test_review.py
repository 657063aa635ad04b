"""Review decisions, bulk actions, queue and progress, and the version-1 migration."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.core.commands import relabel
from annotator.core.history import History
from annotator.core.models import SCHEMA_VERSION, Span
from annotator.core.project import Document, Project
from annotator.core.review import (
    ReviewFilter,
    accept_above,
    changed_span,
    decide,
    progress,
    queue,
    reject_origin,
)
from annotator.core.suggestions import Candidate, suggestion_batch
from annotator.io.load import load_project
from annotator.io.save import save_project

TEXT = "Alekseev met Lavrov in Moscow on Friday."


def project_with_suggestions(tmp_path: Path) -> tuple[Project, History]:
    doc = Document("d", "d.txt", TEXT)
    (tmp_path / "d.txt").write_text(TEXT, encoding="utf-8")
    project = Project(root=tmp_path, documents=[doc])
    doc.put_span(Span(id="s-manual", start=0, end=8, label="entity", text="Alekseev"))
    history = History(project)
    batch = suggestion_batch(
        [(doc, [Candidate(13, 19, "entity", 0.9), Candidate(23, 29, "entity", 0.4)])], "model-a"
    ).batch
    history.execute(batch)
    batch = suggestion_batch([(doc, [Candidate(0, 40, "claim", 0.7)])], "model-b").batch
    history.execute(batch)
    return project, history


def key_of(project: Project, text: str) -> tuple[str, str]:
    doc = project.document("d")
    return ("d", next(s.id for s in doc.spans() if s.text == text))


def test_queue_in_reading_order_with_filters(tmp_path: Path) -> None:
    project, _ = project_with_suggestions(tmp_path)
    texts = lambda keys: [project.document(d).span(s).text for d, s in keys]  # noqa: E731
    assert texts(queue(project, ["d"], ReviewFilter())) == [TEXT, "Lavrov", "Moscow"]
    assert texts(queue(project, ["d"], ReviewFilter(labels=frozenset({"entity"})))) == [
        "Lavrov",
        "Moscow",
    ]
    assert texts(queue(project, ["d"], ReviewFilter(min_score=0.5))) == [TEXT, "Lavrov"]
    assert texts(queue(project, ["d"], ReviewFilter(origins=frozenset({"model-b"})))) == [TEXT]
    assert queue(project, ["d"], ReviewFilter(documents=frozenset({"x"}))) == []


def test_accept_reject_and_undo(tmp_path: Path) -> None:
    project, history = project_with_suggestions(tmp_path)
    lavrov = key_of(project, "Lavrov")
    history.execute(decide(project, lavrov, "accepted"))
    assert project.document("d").span(lavrov[1]).review == "accepted"
    history.execute(decide(project, key_of(project, "Moscow"), "rejected"))
    counts = progress(project, ["d"], ReviewFilter())
    assert counts["entity"] == {"accepted": 1, "rejected": 1}
    assert counts["claim"] == {"pending": 1}
    history.undo()
    history.undo()
    assert progress(project, ["d"], ReviewFilter())["entity"] == {"pending": 2}


def test_changing_a_suggestion_keeps_the_proposal(tmp_path: Path) -> None:
    project, history = project_with_suggestions(tmp_path)
    key = key_of(project, "Moscow")
    history.execute(decide(project, key, "accepted", start=20, label="claim"))
    span = project.document("d").span(key[1])
    assert (span.text, span.label, span.review) == ("in Moscow", "claim", "corrected")
    assert span.proposed is not None
    assert (span.proposed.start, span.proposed.end, span.proposed.label) == (23, 29, "entity")
    # a second change keeps the first proposal; going back to it clears it
    doc = project.document("d")
    again = changed_span(doc, span, start=23, label="entity")
    assert again.proposed is None and again.review == "accepted"
    relabelled = relabel("d", doc.span(key_of(project, "Lavrov")[1]), "claim").after
    assert relabelled.proposed is not None and relabelled.proposed.label == "entity"


def test_manual_spans_are_never_in_the_queue_or_bulk(tmp_path: Path) -> None:
    project, history = project_with_suggestions(tmp_path)
    keys = queue(project, ["d"], ReviewFilter())
    history.execute(accept_above(project, keys, 0.6))
    statuses = {s.text: s.status for s in project.document("d").spans()}
    assert statuses == {
        "Alekseev": "accepted",
        TEXT: "accepted",
        "Lavrov": "accepted",
        "Moscow": "pending",
    }
    history.execute(reject_origin(project, keys, "model-a"))
    assert project.document("d").span(key_of(project, "Moscow")[1]).status == "rejected"
    assert project.document("d").span(key_of(project, "Lavrov")[1]).status == "accepted"
    history.undo()
    history.undo()
    assert {s.status for s in project.document("d").spans() if s.is_suggestion} == {"pending"}


def test_review_fields_survive_save_and_load(tmp_path: Path) -> None:
    project, history = project_with_suggestions(tmp_path)
    history.execute(decide(project, key_of(project, "Moscow"), "accepted", label="claim"))
    save_project(project)
    loaded, report = load_project(tmp_path)
    assert not report.problems
    spans = {s.text: s for s in loaded.document("d").spans()}
    assert spans["Moscow"].review == "corrected" and spans["Moscow"].score == 0.4
    assert spans["Lavrov"].status == "pending" and spans["Lavrov"].origin == "model-a"
    raw = json.loads((tmp_path / "annotator.json").read_text())
    manual = next(s for s in raw["documents"][0]["spans"] if s["id"] == "s-manual")
    assert "score" not in manual and "proposed" not in manual  # no clutter on manual spans


def test_version_1_files_migrate(tmp_path: Path) -> None:
    (tmp_path / "d.txt").write_text(TEXT, encoding="utf-8")
    v1 = {
        "schema_version": 1,
        "labels": [{"name": "entity", "key": "1", "color": "#4c9be8"}],
        "documents": [
            {
                "id": "d",
                "path": "d.txt",
                "spans": [
                    {"id": "s-1", "start": 0, "end": 8, "label": "entity", "text": "Alekseev"}
                ],
            }
        ],
    }
    (tmp_path / "annotator.json").write_text(json.dumps(v1), encoding="utf-8")
    project, report = load_project(tmp_path)
    span = project.document("d").span("s-1")
    assert (span.status, span.review, span.score) == ("accepted", "manual", None)
    assert not report.errors
    save_project(project)
    assert json.loads((tmp_path / "annotator.json").read_text())["schema_version"] == SCHEMA_VERSION


@pytest.mark.parametrize("status", ["accepted", "rejected"])
def test_decision_descriptions_for_undo_menu(tmp_path: Path, status: str) -> None:
    project, _ = project_with_suggestions(tmp_path)
    cmd = decide(project, key_of(project, "Lavrov"), status)  # type: ignore[arg-type]
    assert cmd.description.startswith(("Accept", "Reject")) and "Lavrov" in cmd.description
