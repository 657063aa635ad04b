"""Relations inside a document, links across documents and clusters: the commands, one
undo step each, the file format (version 3, migrated from 2), what is kept when an end
is missing, and recovery from the journal."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.core.clusters import cluster_of, clusters
from annotator.core.commands import AddSpan, EditError, make_span
from annotator.core.history import History
from annotator.core.models import SCHEMA_VERSION, Span, relation_to_json, replace_relation
from annotator.core.project import Project
from annotator.core.relating import (
    link,
    merge_clusters,
    remove_relation,
    remove_span,
    rename_cluster,
    retype,
    take_out_of_cluster,
)
from annotator.io.journal import Journal
from annotator.io.load import load_project, open_project
from annotator.io.recovery import read_journal, recovery_changes
from annotator.io.save import save_project

A = "General Viktor Alekseev, 64, said: “We will not leave.” Alekseev spoke in Kyiv."
B = "Gen. Alekseyev, 65, told reporters he would stay. Prigozhin was not there."
C = 'Alekseyev (65) said "we will not go". Prigokhin left.'


def _tag(history: History, project: Project, doc: str, word: str, label: str, nth: int = 0) -> Span:
    text = project.document(doc).text
    start = -1
    for _ in range(nth + 1):
        start = text.index(word, start + 1)
    span = make_span(project.document(doc), start, start + len(word), label)
    history.execute(AddSpan(doc, span))
    return span


@pytest.fixture
def three(tmp_path: Path) -> tuple[Project, History]:
    for name, text in (("a", A), ("b", B), ("c", C)):
        (tmp_path / f"{name}.txt").write_text(text, encoding="utf-8")
    project, _report = open_project(tmp_path)
    return project, History(project)


def test_a_speaker_relation_is_one_undo_step_and_checks_its_labels(three) -> None:
    project, history = three
    quote = _tag(history, project, "a", "We will not leave.", "quote")
    general = _tag(history, project, "a", "Viktor Alekseev", "entity")
    claim = _tag(history, project, "a", "64", "claim")
    history.execute(link(project, "speaker", ("a", quote.id), ("a", general.id)))
    (relation,) = project.relations()
    assert (relation.type, relation.across) == ("speaker", False)
    assert project.relations_of("a", general.id) == [relation]
    with pytest.raises(EditError, match="cannot end at a claim"):
        link(project, "speaker", ("a", quote.id), ("a", claim.id))
    with pytest.raises(EditError, match="already speaker"):
        link(project, "speaker", ("a", quote.id), ("a", general.id))
    history.undo()
    assert project.relations() == [] and project.relations_of("a", general.id) == []
    history.redo()
    assert project.relations() == [relation]


def test_speaker_cannot_cross_documents_but_same_can(three) -> None:
    project, history = three
    quote = _tag(history, project, "a", "We will not leave.", "quote")
    other = _tag(history, project, "b", "Alekseyev", "entity")
    with pytest.raises(EditError, match="cannot join two documents"):
        link(project, "speaker", ("a", quote.id), ("b", other.id))
    general = _tag(history, project, "a", "Viktor Alekseev", "entity")
    history.execute(link(project, "same", ("a", general.id), ("b", other.id)))
    assert project.relations()[0].across


def test_same_links_make_clusters_and_deleting_a_span_takes_its_links_along(three) -> None:
    project, history = three
    a1 = _tag(history, project, "a", "Viktor Alekseev", "entity")
    a2 = _tag(history, project, "a", "Alekseev", "entity", nth=1)
    b1 = _tag(history, project, "b", "Alekseyev", "entity")
    c1 = _tag(history, project, "c", "Alekseyev", "entity")
    history.execute(link(project, "same", ("a", a1.id), ("b", b1.id)))
    history.execute(link(project, "same", ("b", b1.id), ("c", c1.id)))
    history.execute(link(project, "same", ("a", a2.id), ("b", b1.id)))
    (cluster,) = clusters(project)
    assert len(cluster.members) == 4 and cluster.name == "Viktor Alekseev"
    assert set(cluster.documents) == {"a", "b", "c"}
    with pytest.raises(EditError, match="already in one cluster"):
        link(project, "same", ("a", a1.id), ("c", c1.id))
    before = project.relations()
    # b1 holds the cluster together: deleting it keeps the other three one cluster
    history.execute(remove_span(project, "b", b1))
    assert not project.document("b").has_span(b1.id)
    assert project.relations_of("b", b1.id) == []
    (left,) = clusters(project)
    assert set(left.members) == {("a", a1.id), ("a", a2.id), ("c", c1.id)}
    history.undo()
    assert sorted(r.id for r in project.relations()) == sorted(r.id for r in before)
    assert project.document("b").has_span(b1.id)


def test_take_out_merge_and_name_clusters(three) -> None:
    project, history = three
    a1 = _tag(history, project, "a", "Viktor Alekseev", "entity")
    b1 = _tag(history, project, "b", "Alekseyev", "entity")
    c1 = _tag(history, project, "c", "Alekseyev", "entity")
    p1 = _tag(history, project, "b", "Prigozhin", "entity")
    p2 = _tag(history, project, "c", "Prigokhin", "entity")
    history.execute(link(project, "same", ("a", a1.id), ("b", b1.id)))
    history.execute(link(project, "same", ("b", b1.id), ("c", c1.id)))
    history.execute(link(project, "same", ("b", p1.id), ("c", p2.id)))
    general = cluster_of(project, ("a", a1.id))
    assert general is not None
    history.execute(rename_cluster(project, general, "Gen. Viktor Alekseev"))
    renamed = cluster_of(project, ("c", c1.id))
    assert renamed is not None and (renamed.name, renamed.named) == ("Gen. Viktor Alekseev", True)
    # taking the middle span out keeps the other two together, and the name with them
    history.execute(take_out_of_cluster(project, ("b", b1.id)))
    assert cluster_of(project, ("b", b1.id)) is None
    rest = cluster_of(project, ("a", a1.id))
    assert rest is not None and set(rest.members) == {("a", a1.id), ("c", c1.id)}
    history.undo()
    wagner = cluster_of(project, ("b", p1.id))
    general = cluster_of(project, ("a", a1.id))
    assert wagner is not None and general is not None
    history.execute(merge_clusters(project, general, wagner))
    merged = cluster_of(project, ("c", p2.id))
    assert merged is not None and len(merged.members) == 5
    assert merged.name == "Gen. Viktor Alekseev"
    history.undo()
    assert len(clusters(project)) == 2


def test_retype_and_remove_a_link(three) -> None:
    project, history = three
    a = _tag(history, project, "a", "64", "claim")
    b = _tag(history, project, "b", "65", "claim")
    history.execute(link(project, "differs", ("a", a.id), ("b", b.id)))
    (relation,) = project.relations()
    history.execute(retype(project, relation, "contradicts"))
    assert project.relation(relation.id).type == "contradicts"
    history.execute(remove_relation(project, project.relation(relation.id)))
    assert project.relation_count == 0
    history.undo()
    history.undo()
    assert project.relation(relation.id).type == "differs"


def test_relations_links_and_cluster_names_survive_save_and_reopen(three) -> None:
    project, history = three
    quote = _tag(history, project, "a", "We will not leave.", "quote")
    general = _tag(history, project, "a", "Viktor Alekseev", "entity")
    other = _tag(history, project, "b", "Alekseyev", "entity")
    history.execute(link(project, "speaker", ("a", quote.id), ("a", general.id)))
    history.execute(link(project, "same", ("a", general.id), ("b", other.id)))
    cluster = cluster_of(project, ("a", general.id))
    assert cluster is not None
    history.execute(rename_cluster(project, cluster, "The general"))
    save_project(project)
    raw = json.loads((project.root / "annotator.json").read_text(encoding="utf-8"))
    assert raw["schema_version"] == SCHEMA_VERSION
    assert [r["type"] for r in raw["links"]] == ["same"]
    doc_a = next(d for d in raw["documents"] if d["id"] == "a")
    assert [r["type"] for r in doc_a["relations"]] == ["speaker"]
    assert raw["clusters"][0]["name"] == "The general" and raw["clusters"][0]["named"]
    reopened, report = load_project(project.root)
    assert not report.errors
    assert sorted(
        json.dumps(relation_to_json(r), sort_keys=True) for r in reopened.relations()
    ) == sorted(json.dumps(relation_to_json(r), sort_keys=True) for r in project.relations())
    again = cluster_of(reopened, ("b", other.id))
    assert again is not None and again.name == "The general"


def test_a_version_2_file_migrates_to_the_current_version(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(A, encoding="utf-8")
    v2 = {
        "schema_version": 2,
        "labels": [{"name": "entity", "key": "1", "color": "#4c9be8"}],
        "documents": [
            {
                "id": "a",
                "path": "a.txt",
                "spans": [
                    {"id": "s-1", "start": 15, "end": 23, "label": "entity", "text": "Alekseev"}
                ],
            }
        ],
    }
    (tmp_path / "annotator.json").write_text(json.dumps(v2), encoding="utf-8")
    project, report = load_project(tmp_path)
    assert not report.errors and project.relation_type("same") is not None
    save_project(project)
    saved = json.loads((tmp_path / "annotator.json").read_text(encoding="utf-8"))
    assert saved["schema_version"] == SCHEMA_VERSION
    assert [t["name"] for t in saved["relation_types"]] == [
        "speaker",
        "source",
        "same",
        "contradicts",
        "differs",
    ]


def test_a_relation_whose_end_is_missing_is_reported_and_kept_as_it_was(three) -> None:
    project, history = three
    a = _tag(history, project, "a", "Viktor Alekseev", "entity")
    b = _tag(history, project, "b", "Alekseyev", "entity")
    history.execute(link(project, "same", ("a", a.id), ("b", b.id)))
    save_project(project)
    file = project.root / "annotator.json"
    raw = json.loads(file.read_text(encoding="utf-8"))
    for record in raw["documents"]:
        if record["id"] == "b":
            record["spans"] = []  # the span the link points at is gone
    dangling = raw["links"][0]
    file.write_text(json.dumps(raw, indent=2), encoding="utf-8")
    reopened, report = load_project(project.root)
    assert reopened.relation_count == 0
    message = " ".join(p.message for p in report.errors)
    assert dangling["id"] in message and "not there" in message
    save_project(reopened)
    assert json.loads(file.read_text(encoding="utf-8"))["links"] == [dangling]


def test_duplicate_span_ids_keep_relations_pointing_at_the_first(three) -> None:
    project, history = three
    a = _tag(history, project, "a", "Viktor Alekseev", "entity")
    q = _tag(history, project, "a", "We will not leave.", "quote")
    history.execute(link(project, "speaker", ("a", q.id), ("a", a.id)))
    save_project(project)
    file = project.root / "annotator.json"
    raw = json.loads(file.read_text(encoding="utf-8"))
    record = next(d for d in raw["documents"] if d["id"] == "a")
    twin = dict(next(s for s in record["spans"] if s["id"] == a.id))
    twin.update(start=A.index("Alekseev", 30), end=A.index("Alekseev", 30) + 8, text="Alekseev")
    record["spans"].append(twin)
    file.write_text(json.dumps(raw, indent=2), encoding="utf-8")
    reopened, report = load_project(project.root)
    assert any("appears twice" in p.message for p in report.problems)
    (relation,) = reopened.relations()
    assert reopened.span_of(relation.target.key) is not None
    assert reopened.span_of(relation.target.key).text == "Viktor Alekseev"  # type: ignore[union-attr]


def test_the_journal_brings_back_links_and_names_after_a_crash(three) -> None:
    project, history = three
    a = _tag(history, project, "a", "Viktor Alekseev", "entity")
    b = _tag(history, project, "b", "Alekseyev", "entity")
    save_project(project)
    journal = Journal(project.root)
    for command in (link(project, "same", ("a", a.id), ("b", b.id)),):
        journal.record(history.execute(command), command.description)
    cluster = cluster_of(project, ("a", a.id))
    assert cluster is not None
    naming = rename_cluster(project, cluster, "The general")
    journal.record(history.execute(naming), naming.description)
    journal.close()
    reopened, _report = load_project(project.root)
    assert reopened.relation_count == 0
    contents = read_journal(project.root)
    assert contents is not None
    changes, problems = recovery_changes(reopened, contents.unsaved)
    assert problems == []
    History(reopened).execute(_batch(changes))
    restored = cluster_of(reopened, ("b", b.id))
    assert restored is not None and restored.name == "The general"


def _batch(changes):  # type: ignore[no-untyped-def]
    from annotator.core.commands import Batch

    return Batch("Restore", changes)


def test_relation_types_are_edited_like_labels(three) -> None:
    from annotator.core.relating import edit_relation_types

    project, history = three
    a = _tag(history, project, "a", "64", "claim")
    b = _tag(history, project, "b", "65", "claim")
    history.execute(link(project, "contradicts", ("a", a.id), ("b", b.id)))
    rows = [(t.name, t) for t in project.relation_types]
    # contradicts renamed: its link follows; a new type added
    rows = [
        (old, kind.model_copy(update={"name": "conflicts"}) if old == "contradicts" else kind)
        for old, kind in rows
    ]
    from annotator.core.models import RelationType

    rows.append((None, RelationType(name="cites", key="t", across_documents=True)))
    history.execute(edit_relation_types(project, rows))
    assert [r.type for r in project.relations()] == ["conflicts"]
    assert project.relation_type("cites") is not None
    with pytest.raises(EditError, match="is on 1 relation"):
        edit_relation_types(
            project, [(t.name, t) for t in project.relation_types if t.name != "conflicts"]
        )
    kinds = [(t.name, t) for t in project.relation_types]
    kinds.append((None, RelationType(name="x", key="s")))
    with pytest.raises(EditError, match="same key"):
        edit_relation_types(project, kinds)
    history.undo()
    assert [r.type for r in project.relations()] == ["contradicts"]
    assert project.relation_type("cites") is None


def test_a_key_is_a_label_or_a_relation_type_never_both(three) -> None:
    from annotator.core.commands import edit_labels
    from annotator.core.models import Label, RelationType
    from annotator.core.relating import edit_relation_types

    project, _history = three
    labels = [(lb.name, lb) for lb in project.labels]
    labels.append((None, Label(name="place", key="s")))  # s is speaker's key
    with pytest.raises(EditError, match="relation type's key"):
        edit_labels(project, labels)
    kinds = [(t.name, t) for t in project.relation_types]
    kinds.append((None, RelationType(name="cites", key="1")))  # 1 is entity's key
    with pytest.raises(EditError, match="label's key"):
        edit_relation_types(project, kinds)


def test_rejecting_a_span_rejects_the_links_that_end_on_it_in_one_step(three) -> None:
    """No accepted link ever ends on a rejected span (issue 30: 'Moscow' rejected,
    two accepted links still ending on it, the report listing it twice)."""
    from annotator.core.models import Span
    from annotator.core.review import bulk, decide

    project, history = three
    a = _tag(history, project, "a", "Viktor Alekseev", "entity")
    from annotator.core.models import replace_span

    suggested = replace_span(
        make_span(project.document("b"), 5, 14, "entity", origin="align-entities"),
        status="pending",
    )
    history.execute(AddSpan("b", suggested))
    c = _tag(history, project, "c", "Alekseyev", "entity")
    history.execute(link(project, "same", ("a", a.id), ("b", suggested.id)))
    history.execute(link(project, "same", ("b", suggested.id), ("c", c.id)))
    assert {r.status for r in project.relations()} == {"accepted"}

    history.execute(decide(project, ("b", suggested.id), "rejected"))

    assert project.document("b").span(suggested.id).status == "rejected"
    assert {r.status for r in project.relations()} == {"rejected"}
    history.undo()  # one step: the span and both links come back as they were
    assert project.document("b").span(suggested.id).status == "pending"
    assert {r.status for r in project.relations()} == {"accepted"}
    # the bulk rejection (Reject All From the origin) does the same
    history.execute(bulk(project, [("b", suggested.id)], "rejected", "Reject"))
    assert {r.status for r in project.relations()} == {"rejected"}
    assert isinstance(project.document("a").span(a.id), Span)


def test_a_link_retyped_from_contradicts_to_same_loses_its_difference_note(three) -> None:
    project, history = three
    a = _tag(history, project, "a", "64", "claim")
    b = _tag(history, project, "b", "65", "claim")
    history.execute(link(project, "contradicts", ("a", a.id), ("b", b.id)))
    (relation,) = project.relations()
    noted = replace_relation(relation, note="age: 64 / 65")
    project.put_relation(noted)

    history.execute(retype(project, noted, "same"))

    (after,) = project.relations()
    assert after.type == "same" and after.note is None
    history.undo()
    assert project.relations()[0].note == "age: 64 / 65"
    history.execute(retype(project, project.relations()[0], "differs"))
    assert project.relations()[0].note == "age: 64 / 65"  # still a disagreement: kept
