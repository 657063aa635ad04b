"""The one check every edit passes, from the window or the command line
(annotator.ops.editing): another annotator's work is theirs to change; an import and
signing one's own earlier work pass; a refused command leaves the project unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.annotators import claim
from annotator.core.commands import EditError, RemoveSpan, make_span
from annotator.core.history import History
from annotator.io.load import open_project
from annotator.ops import editing
from tests.agreement.test_agree_cli import ANN, BOB, team_project


def test_another_annotators_span_is_refused_and_nothing_changes(tmp_path: Path) -> None:
    project, _ = open_project(team_project(tmp_path, {"ann": ANN, "bob": BOB}))
    project.annotator = "bob"
    doc = project.document("a")
    anns = next(s for s in doc.spans() if s.author == "ann")
    history = History(project)
    with pytest.raises(EditError, match="ann's work is read-only here: you work as bob"):
        editing.apply(project, RemoveSpan("a", anns), history)
    assert doc.has_span(anns.id) and not history.can_undo
    # one's own work passes, through the same call
    bobs = next(s for s in doc.spans() if s.author == "bob")
    editing.apply(project, RemoveSpan("a", bobs), history)
    assert not doc.has_span(bobs.id) and history.can_undo


def test_signing_ones_own_earlier_work_passes_the_check(tmp_path: Path) -> None:
    project, _ = open_project(team_project(tmp_path, {"ann": ANN, "bob": BOB}))
    doc = project.document("b")
    start = doc.text.index("Oslo")
    earlier = make_span(doc, start, start + 4, "entity", snap=False, author="acct")
    doc.put_span(earlier)
    project.annotator = "Cleo"
    batch = claim(project, "Cleo", previous="acct")
    assert batch is not None
    editing.apply(project, batch)
    assert doc.span(earlier.id).author == "Cleo"
    assert {s.author for s in doc.spans()} == {"ann", "bob", "Cleo"}


def test_the_command_line_works_as_the_windows_person(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No name chosen: the command line records the account's name, as the window
    does (annotator.ops.opening), here on the gold decisions it takes."""
    from annotator.core.models import GOLD, layer_name
    from annotator.io.load import load_project
    from tests.test_cli import run

    folder = team_project(tmp_path, {"ann": ANN, "bob": BOB})
    monkeypatch.setenv("ANNOTATOR_NAME", "Cleo Park")
    done = run("adjudicate", str(folder), "--accept-agreed")
    assert done.returncode == 0, done.stderr
    project, _ = load_project(folder)
    gold = [s for d in project.documents for s in d.spans() if layer_name(s) == GOLD]
    assert gold and {s.author for s in gold} == {"Cleo Park"}
