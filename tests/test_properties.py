"""Property tests (hypothesis): random texts with random spans survive saving, loading and
every export that carries offsets; the loaders meet any input with a message, not a crash."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from annotator.core.models import Span
from annotator.core.project import Document, Project
from annotator.core.text import encode_article
from annotator.formats import FORMATS, ExportOptions
from annotator.formats.jsonl import read as read_jsonl
from annotator.formats.records import ImportOptions, RecordProblem, plan_import
from annotator.io.load import load_project, open_project
from annotator.io.recovery import read_journal
from annotator.io.report import ProjectError
from annotator.io.save import save_project
from annotator.ops.importing import apply_import

PROFILE = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

PIECES = st.sampled_from(
    [
        "a",
        "Varga",
        " ",
        "\t",
        "\u00a0",
        "e\u0301",
        "é",
        "😀",
        "🇮🇱",
        "\U0001d400",
        "\r\n",
        "\n",
        "\r",
        "אב",
        "“",
        "’",
        "\ufeff",
        "<b>",
        "&amp;",
        "\u2029",
        "ß",
        "İ",
    ]
)
WORDS = st.lists(
    st.one_of(PIECES, st.characters(exclude_categories=("Cs", "Cc"))), min_size=1, max_size=60
).map("".join)
LABELS = st.sampled_from(["entity", "claim", "quote"])


@st.composite
def documents(draw: st.DrawFn) -> tuple[str, list[tuple[int, int, str]]]:
    text = draw(WORDS)
    spans = []
    for _ in range(draw(st.integers(0, 8))):
        start = draw(st.integers(0, len(text) - 1))
        end = draw(st.integers(start + 1, len(text)))
        spans.append((start, end, draw(LABELS)))
    return text, spans


def build(root: Path, docs: list[tuple[str, list[tuple[int, int, str]]]]) -> Project:
    root.mkdir(parents=True)
    project = Project(root=root)
    for i, (text, spans) in enumerate(docs):
        (root / f"d{i}.txt").write_bytes(encode_article(text))
        doc = Document(id=f"d{i}", path=f"d{i}.txt", text=text)
        for j, (start, end, label) in enumerate(spans):
            doc.put_span(
                Span(id=f"s-{i}-{j}", start=start, end=end, label=label, text=text[start:end])
            )
        project.add_document(doc)
    return project


def spans_of(project: Project) -> set[tuple[str, int, int, str, str]]:
    return {(d.id, s.start, s.end, s.label, s.text) for d in project.documents for s in d.spans()}


@PROFILE
@given(st.lists(documents(), min_size=1, max_size=3))
def test_random_spans_survive_save_and_load(
    docs: list[tuple[str, list[tuple[int, int, str]]]],
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        project = build(Path(tmp) / "p", docs)
        save_project(project)
        again, report = load_project(project.root)
        assert report.problems == []
        assert [d.text for d in again.documents] == [d.text for d in project.documents]
        assert spans_of(again) == spans_of(project)


def _utf16_slice(text: str, start: int, end: int) -> str:
    return text.encode("utf-16-le")[start * 2 : end * 2].decode("utf-16-le")


@PROFILE
@given(st.lists(documents(), min_size=1, max_size=3))
# found by hypothesis: a span ending between the \r and the \n of a line break
@example([("aaaaaaaVarga" + "e\u0301" + " \r\n", [(0, 16, "entity")])])
def test_random_spans_survive_every_export_that_carries_offsets(
    docs: list[tuple[str, list[tuple[int, int, str]]]],
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        project = build(Path(tmp) / "p", docs)
        expected = spans_of(project)
        labelled = {(d, label, t) for d, _s, _e, label, t in expected}
        for name in ("jsonl", "doccano", "labelstudio", "w3c", "brat"):
            out = Path(tmp) / f"out-{name}"
            FORMATS[name].write(project, out, ExportOptions())
            # the offsets as the format's own readers count them
            if name == "jsonl":
                got = {
                    (r["id"], label, r["text"][a:b])
                    for r in map(json.loads, out.read_text("utf-8").splitlines())
                    for a, b, label in ((s["start"], s["end"], s["label"]) for s in r["spans"])
                }
                assert got == labelled
            elif name == "doccano":
                got = {
                    (r["id"], label, _utf16_slice(r["text"], a, b))
                    for r in map(json.loads, out.read_text("utf-8").splitlines())
                    for a, b, label in r["label"]
                }
                assert got == labelled
            elif name == "labelstudio":
                got = {
                    (t["data"]["doc_id"], v["labels"][0], t["data"]["text"][v["start"] : v["end"]])
                    for t in json.loads(out.read_text("utf-8"))
                    for a in t["annotations"]
                    for v in (r["value"] for r in a["result"])
                }
                assert got == labelled
            # and back in through the importer, onto a fresh project
            reader = FORMATS[name].read
            assert reader is not None
            if name in ("w3c", "brat"):  # no text, or \n-only text: back onto the same articles
                fresh, _ = open_project(project.root)
                for doc in fresh.documents:
                    for span in doc.spans():
                        doc.pop_span(span.id)
            else:  # carries the text: it makes a new project
                fresh = Project(root=Path(tmp) / f"import-{name}")
                fresh.root.mkdir()
            plan = plan_import(fresh, reader(out), ImportOptions(add_documents=True))
            assert plan.problems == []
            apply_import(fresh, plan)
            save_project(fresh)
            reopened, report = open_project(fresh.root)
            assert report.problems == []
            texts = {d.id: d.text for d in project.documents}
            want = _trimmed(expected, texts) if name == "brat" else expected
            assert spans_of(reopened) == want, name


def _trimmed(
    spans: set[tuple[str, int, int, str, str]], texts: dict[str, str]
) -> set[tuple[str, int, int, str, str]]:
    """What brat carries (docs/formats.md): every span exactly, but for an edge on a
    line break (brat's ``.txt`` has ``\\n`` only, and a fragment holds no break),
    which moves inward past the breaks and white space there; a span of only white
    space is left out."""
    out = set()
    for doc, start, end, label, text in spans:
        if not text.strip():
            continue
        full = texts[doc]
        if full[start] == "\n" or full[start : start + 2] == "\r\n":
            start += len(text) - len(text.lstrip())
        if full[end - 1] == "\n" or full[end - 1 : end + 1] == "\r\n":
            end -= len(text) - len(text.rstrip())
        out.add((doc, start, end, label, full[start:end]))
    return out


JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 10**6) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=10,
)


def _mutate(node: object, path: list[int], value: object) -> object:
    """``node`` with one nested value (chosen by ``path``) replaced by ``value``."""
    if not path or not isinstance(node, dict | list) or not node:
        return value
    keys = list(node) if isinstance(node, dict) else list(range(len(node)))
    key = keys[path[0] % len(keys)]
    copy = dict(node) if isinstance(node, dict) else list(node)
    copy[key] = _mutate(copy[key], path[1:], value)  # type: ignore[index]
    return copy


@PROFILE
@given(path=st.lists(st.integers(0, 50), max_size=6), value=JSON)
def test_the_project_loader_meets_any_mutation_with_a_report_or_an_error(
    path: list[int], value: object
) -> None:
    base = Path(__file__).resolve().parent / "broken" / "older-schema"
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "p"
        folder.mkdir()
        for file in base.iterdir():
            (folder / file.name).write_bytes(file.read_bytes())
        raw = json.loads((folder / "annotator.json").read_text("utf-8"))
        (folder / "annotator.json").write_text(json.dumps(_mutate(raw, path, value)), "utf-8")
        before = (folder / "annotator.json").read_bytes()
        try:
            project, _report = load_project(folder)
        except ProjectError as exc:
            message = str(exc)
        else:
            save_project(project)  # whatever opened can be saved and opened again
            load_project(folder)
            return
        assert "annotator.json" in message
        assert (folder / "annotator.json").read_bytes() == before  # refused: left as it was


@PROFILE
@given(st.binary(max_size=300))
def test_the_project_loader_meets_any_bytes_with_an_error(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "a.txt").write_text("Some text.", encoding="utf-8")
        (folder / "annotator.json").write_bytes(data)
        message = "annotator.json"
        try:
            load_project(folder)
        except ProjectError as exc:
            message = str(exc)
        assert "annotator.json" in message


@PROFILE
@given(
    st.lists(
        st.one_of(st.binary(max_size=60).map(lambda b: b.decode("latin-1")), JSON.map(json.dumps)),
        max_size=6,
    )
)
def test_journal_and_jsonl_readers_meet_any_lines_without_crashing(lines: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / ".annotator.journal").write_text("\n".join(lines), encoding="utf-8")
        contents = read_journal(folder)
        assert contents is not None
        (folder / "in.jsonl").write_text("\n".join(lines), encoding="utf-8")
        for item in read_jsonl(folder / "in.jsonl"):
            assert isinstance(item, RecordProblem) or item.text is not None
