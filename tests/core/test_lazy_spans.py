"""A large project's spans stay in the file until something needs them
(annotator.io.lazy): reading them later must give exactly what reading them at load
gives, a save must copy them exactly, and a file changed under the project must be
noticed, never misread."""

from __future__ import annotations

import random
import threading
from pathlib import Path

import pytest

from annotator.core.commands import make_span
from annotator.core.models import Label, replace_span
from annotator.core.project import Document, Project
from annotator.io import lazy
from annotator.io.load import load_project, open_project
from annotator.io.save import save_project

PIECES = ["Varga", "said", "🙂", "naïve", "“rebuild”", "\r\n", "𝔘nicode", "the", "harbour", "Zoë"]
# a label that needs escaping in JSON, and one that looks like a field
LABELS = ["entity", "claim", "quote", 'say "hi"', "status"]


def _text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(PIECES) for _ in range(words)) + "."


def make_corpus(folder: Path, documents: int = 12, seed: int = 3) -> Path:
    """A saved project: spans of every status and label, attributes named like fields,
    notes with quotes and newlines, one empty document."""
    rng = random.Random(seed)
    folder.mkdir()
    for i in range(documents):
        (folder / f"d{i:02}.txt").write_text(_text(rng, 0 if i == 3 else 60), "utf-8", newline="")
    project, _ = open_project(folder)
    project.labels.extend(Label(name=n, color="#336699") for n in LABELS[3:])
    for doc in project.documents:
        if not doc.text.strip(" ."):
            continue
        for _ in range(rng.randint(1, 15)):
            start = rng.randrange(0, len(doc.text) - 1)
            end = rng.randrange(start + 1, min(len(doc.text), start + 30) + 1)
            if not doc.text[start:end].strip():
                continue
            span = make_span(doc, start, end, rng.choice(LABELS), snap=False)
            doc.put_span(
                replace_span(
                    span,
                    status=rng.choice(["pending", "accepted", "rejected"]),
                    origin=rng.choice(["manual", "model"]),
                    note=rng.choice([None, 'a "note"\nwith a line']),
                    attributes=rng.choice([{}, {"status": "pending", "label": "entity"}]),
                    score=rng.choice([None, 0.5]),
                )
            )
    save_project(project)
    return folder


@pytest.fixture
def apart(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every project counts as large: spans are left in the file."""
    monkeypatch.setattr(lazy, "LAZY_FROM_BYTES", 0)


def _spans(project: Project) -> dict[str, list[object]]:
    return {d.id: d.spans() for d in project.documents}


def _unread(project: Project) -> list[Document]:
    return [d for d in project.documents if not d.is_read]


def test_small_projects_read_every_span_at_load(tmp_path: Path) -> None:
    project, _ = load_project(make_corpus(tmp_path / "p"))
    assert not _unread(project)


def test_spans_read_later_are_the_spans_read_at_load(tmp_path: Path, apart: None) -> None:
    for seed in range(5):
        folder = make_corpus(tmp_path / f"p{seed}", seed=seed)
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(lazy, "LAZY_FROM_BYTES", 10**12)
            eager, _ = load_project(folder)
        late, report = load_project(folder)
        assert not report.problems
        # nothing read yet (a document without spans has nothing to leave in the file)
        assert len(_unread(late)) == sum(1 for d in eager.documents if d.span_count)
        for doc in late.documents:  # counts known without reading
            other = eager.document(doc.id)
            assert doc.span_count == other.span_count
            for status in ("pending", "accepted", "rejected"):
                assert doc.count(status) == other.count(status)
        assert not _unread(late) or late.span_count == eager.span_count
        assert _spans(late) == _spans(eager)
        assert not _unread(late)
        assert not late.late_problems


def test_every_way_in_reads_them(tmp_path: Path, apart: None) -> None:
    folder = make_corpus(tmp_path / "p")
    eager = {d.id: d.spans() for d in load_project(folder)[0].documents}
    project, _ = load_project(folder)
    for doc in project.documents:
        first = eager[doc.id][0] if eager[doc.id] else None
        if first is None:
            continue
        fresh, _ = load_project(folder)
        ways = [
            lambda d, f: d.span(f.id),
            lambda d, f: d.has_span(f.id) and d.get_span(f.id),
            lambda d, f: d.spans_overlapping(f.start, f.end),
            lambda d, f: d.span_values(),
            lambda d, f: d.pop_span(f.id),
        ]
        for way in ways:
            again, _ = load_project(folder)
            target = again.document(doc.id)
            assert not target.is_read
            way(target, first)
            assert target.is_read
        assert fresh.span_of((doc.id, first.id)) == first


def test_a_save_copies_unread_spans_exactly(tmp_path: Path, apart: None) -> None:
    folder = make_corpus(tmp_path / "p")
    before = (folder / "annotator.json").read_bytes()
    project, _ = load_project(folder)
    unread = len(_unread(project))
    save_project(project)
    assert (folder / "annotator.json").read_bytes() == before
    assert len(_unread(project)) == unread  # a save does not read them
    # one document read and changed: the others are still copied, the file reads the same
    doc = project.documents[1]
    gone = doc.spans()[0]
    doc.pop_span(gone.id)
    save_project(project)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(lazy, "LAZY_FROM_BYTES", 10**12)
        again, report = load_project(folder)
    assert not report.problems
    original, _ = load_project(tmp_path / "p")  # the saved file, spans left in it
    assert not again.document(doc.id).has_span(gone.id)
    for other in again.documents:
        if other.id != doc.id:
            assert other.spans() == project.document(other.id).spans()
    assert len(_unread(original)) == sum(1 for d in original.documents if d.span_count)


def test_a_save_copies_spans_in_another_writers_layout_as_they_are(
    tmp_path: Path, apart: None
) -> None:
    """Spans written without the optional fields (another tool, an older writer) are
    copied as they are, not rewritten with every field."""
    import json

    folder = make_corpus(tmp_path / "p")
    file = folder / "annotator.json"
    data = file.read_text("utf-8")
    data = data.replace('          "author": null,\n', "")  # a field the writer always puts
    file.write_text(data, "utf-8")
    project, report = load_project(folder)
    assert not report.problems
    first = project.documents[0]
    gone = first.spans()[0].id
    first.pop_span(gone)
    save_project(project)
    saved = file.read_text("utf-8")
    records = {r["id"]: r for r in json.loads(saved)["documents"]}
    for doc in project.documents[1:]:
        for span in records[doc.id]["spans"]:
            assert "author" not in span  # copied, not read and written again
    assert all("author" in span for span in records[first.id]["spans"])
    assert gone not in saved


def test_unread_spans_outlive_the_file_a_save_replaced(tmp_path: Path, apart: None) -> None:
    folder = make_corpus(tmp_path / "p")
    eager = {d.id: d.spans() for d in load_project(folder)[0].documents}
    project, _ = load_project(folder)
    first = project.documents[0]
    first.pop_span(first.spans()[0].id)
    save_project(project)  # a new file renamed over the one the spans are in
    save_project(project)  # and again: the backup is gone too
    for doc in project.documents[1:]:
        assert doc.spans() == eager[doc.id]


def test_a_file_overwritten_in_place_is_noticed(tmp_path: Path, apart: None) -> None:
    folder = make_corpus(tmp_path / "p")
    project, _ = load_project(folder)
    file = folder / "annotator.json"
    data = bytearray(file.read_bytes())
    spot = data.index(b'"text": "', data.index(b'"spans": [\n')) + 9
    data[spot] = ord("X") if data[spot] != ord("X") else ord("Y")
    with open(file, "r+b") as handle:  # the same file, written in place
        handle.write(bytes(data))
    doc = project.documents[0]
    with pytest.raises(lazy.FileChanged, match="overwritten by another program"):
        doc.spans()
    assert not doc.is_read  # not read as something it is not
    with pytest.raises(OSError, match=r"changed by another program|overwritten"):
        save_project(project)  # changed on disk: refused, and the file stays as it is
    assert file.read_bytes() == bytes(data)


def test_a_changed_article_is_read_and_reported_at_load(tmp_path: Path, apart: None) -> None:
    folder = make_corpus(tmp_path / "p")
    path = folder / "d01.txt"
    path.write_text("A new first sentence. " + path.read_text("utf-8"), "utf-8", newline="")
    project, report = load_project(folder)
    assert any("article text changed" in p.message for p in report.problems)
    assert project.document("d01").is_read
    assert not project.document("d02").is_read


def test_an_unknown_label_is_read_and_reported_at_load(tmp_path: Path, apart: None) -> None:
    folder = make_corpus(tmp_path / "p")
    file = folder / "annotator.json"
    data = file.read_text("utf-8")
    at = data.index('"label": "', data.index('"id": "d05"'))
    label = data[at + 10 : data.index('"', at + 10)]
    file.write_text(data[:at] + data[at:].replace(f'"label": "{label}"', '"label": "new"', 1))
    project, report = load_project(folder)
    assert any("unknown label 'new'" in p.message for p in report.problems)
    assert project.document("d05").is_read
    assert project.label("new") is not None


def test_what_is_wrong_in_spans_read_later_is_kept_for_the_window(
    tmp_path: Path, apart: None
) -> None:
    folder = make_corpus(tmp_path / "p")
    break_an_id(folder, "d06")  # two spans, one id
    project, report = load_project(folder)
    assert not report.problems and not project.document("d06").is_read
    count = project.document("d06").span_count
    assert len(project.document("d06").spans()) == count  # renumbered, not dropped
    assert any("appears twice" in p.message for p in project.late_problems)


def test_two_threads_read_a_document_once(tmp_path: Path, apart: None) -> None:
    folder = make_corpus(tmp_path / "p", documents=4)
    for _ in range(20):
        project, _ = load_project(folder)
        doc = project.documents[0]
        results: list[int] = []

        def read(doc: Document = doc, results: list[int] = results) -> None:
            results.append(len(doc.spans()))

        threads = [threading.Thread(target=read) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert len(set(results)) == 1 and results[0] == doc.span_count


def test_a_file_not_laid_out_as_saved_is_read_whole(tmp_path: Path, apart: None) -> None:
    import json

    folder = make_corpus(tmp_path / "p")
    file = folder / "annotator.json"
    file.write_text(json.dumps(json.loads(file.read_text("utf-8"))), "utf-8")  # one line
    project, report = load_project(folder)
    assert not report.problems
    assert not _unread(project)


def break_an_id(folder: Path, document: str) -> None:
    """Give a document's second span the first one's id, keeping the file's layout."""
    file = folder / "annotator.json"
    data = file.read_text("utf-8")
    record = data.index(f'"id": "{document}"')
    ids = [data.index('"id": "s-', record)]
    ids.append(data.index('"id": "s-', ids[0] + 1))
    first_id = data[ids[0] + 7 : ids[0] + 21]
    file.write_text(data[: ids[1] + 7] + first_id + data[ids[1] + 21 :], "utf-8")


def test_validate_reads_every_span_of_a_large_project(tmp_path: Path, apart: None) -> None:
    from annotator.io.validate import validate_project

    folder = make_corpus(tmp_path / "p")
    break_an_id(folder, "d06")
    problems = validate_project(folder)
    assert any("appears twice" in p.message for p in problems)


def test_validate_checks_types_in_a_second_process_with_the_same_result(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large file's type check runs in a forked process while this one loads it
    (issue 27: validate at 100,000 links); what it finds is what the check finds here."""
    from annotator.io import validate

    folder = make_corpus(tmp_path / "p")
    file = folder / "annotator.json"
    data = file.read_text("utf-8")
    at = data.index('"start": ') + len('"start": ')
    end = data.index(",", at)
    file.write_text(f'{data[:at]}"{data[at:end]}"{data[end:]}', "utf-8")  # a number as text

    monkeypatch.setattr(validate, "TYPES_ELSEWHERE_FROM", 0)
    elsewhere = validate.validate_project(folder)
    monkeypatch.setattr(validate, "TYPES_ELSEWHERE_FROM", 10**12)
    here = validate.validate_project(folder)
    assert [str(p) for p in elsewhere] == [str(p) for p in here]
    assert any("where the file format wants a whole number" in p.message for p in here)
