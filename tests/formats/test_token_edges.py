"""Token formats: CoNLL that spaCy's own converter reads, tokens that never split a
user-perceived character, and every span an export had to change counted and named."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.models import Span, new_span_id
from annotator.core.project import Project
from annotator.formats import FORMATS, ExportOptions
from annotator.formats.records import ImportedDocument
from annotator.formats.tokens import non_overlapping, tokenize
from annotator.io.load import load_project, open_project
from annotator.io.save import save_project
from tests.formats.conftest import tag
from tests.test_cli import run

# flags, ZWJ sequences, skin tones, combining marks, keycaps
HARD = [
    "🇺🇦",
    "🇮🇱",
    "👩\u200d👩\u200d👧",
    "👍🏽",
    "🏳\ufe0f\u200d🌈",
    "e\u0301",
    "Zo\u0308e\u0308",
    "1\ufe0f\u20e3",
    "\u0915\u094d\u0937",  # Devanagari conjunct
    "한\u1100",
]


def boundaries(text: str) -> set[int]:
    """Every grapheme cluster boundary, by the regex library's \\X over the whole text."""
    out = {0}
    for match in regex.finditer(r"\X", text):
        out.add(match.end())
    return out


pieces = st.sampled_from([*HARD, " ", "\n", "\r\n", "Kyiv", "’s", ",", ".", "-", "x", "\u0301"])


@settings(max_examples=300, deadline=None)
@given(st.lists(pieces, min_size=1, max_size=30))
def test_tokens_never_split_a_grapheme_cluster(parts: list[str]) -> None:
    text = "".join(parts)
    edges = boundaries(text)
    for a, b in tokenize(text):
        assert a in edges and b in edges, (text, text[a:b])
        assert text[a:b].strip() == text[a:b]  # never white space inside a token's edges
        assert not any(c.isspace() for c in text[a:b])


def test_a_span_edge_inside_a_cluster_does_not_cut_it() -> None:
    text = "We flew the 🇺🇦 flag."
    start = text.index("🇺🇦")
    inside = Span(id="s-1", start=start + 1, end=start + 2, label="entity", text=text[start + 1])
    tokens = tokenize(text, [inside])
    assert (start, start + 2) in tokens


@pytest.mark.parametrize("tokenizer", ["simple", "spacy"])
def test_every_token_format_keeps_clusters_whole(
    tmp_path: Path, tokenizer: str, write_articles: object
) -> None:
    if tokenizer == "spacy":
        pytest.importorskip("spacy")
    text = (
        "Flags: 🇺🇦 and 🇮🇱; a family 👩\u200d👩\u200d👧, a thumb 👍🏽, "
        "and Jose\u0301 in Zo\u0308e.\n"
    )
    folder = tmp_path / "graphemes"
    folder.mkdir()
    (folder / "g.txt").write_text(text, encoding="utf-8")
    project, _ = open_project(folder)
    tag(project, "g", "Jose\u0301", "entity")
    tag(project, "g", "🇺🇦", "entity")
    save_project(project)
    edges = boundaries(text)
    # CoNLL: the words of the file
    out = tmp_path / "g.conll"
    FORMATS["conll"].write(project, out, ExportOptions(tokenizer=tokenizer))
    words = [
        line.split()[0]
        for line in out.read_text("utf-8").split("\n")
        if line.strip() and not line.startswith("-DOCSTART-")
    ]
    assert "🇺🇦" in words and "👩\u200d👩\u200d👧" in words and "👍🏽" in words
    assert "Jose\u0301" in words
    assert "".join(words) == "".join(text.split())
    # Prodigy: token offsets
    out = tmp_path / "g.jsonl"
    FORMATS["prodigy"].write(project, out, ExportOptions(tokenizer=tokenizer))
    import json

    record = json.loads(out.read_text("utf-8"))
    assert all(t["start"] in edges and t["end"] in edges for t in record["tokens"])
    # spaCy: the Doc's tokens
    if tokenizer == "spacy":
        import spacy
        from spacy.tokens import DocBin

        out = tmp_path / "g.spacy"
        FORMATS["spacy"].write(project, out, ExportOptions())
        doc = next(iter(DocBin().from_disk(out).get_docs(spacy.blank("en").vocab)))
        assert all(t.idx in edges and t.idx + len(t.text) in edges for t in doc)
        assert [e.text for e in doc.ents] == ["🇺🇦", "Jose\u0301"]


def test_spacy_convert_reads_our_conll(corpus: Project, tmp_path: Path) -> None:
    """The CoNLL export is what ``python -m spacy convert FILE OUT -c ner`` reads."""
    pytest.importorskip("spacy")
    import spacy
    from spacy.tokens import DocBin

    out = tmp_path / "out.conll"
    assert run("export", str(corpus.root), "-f", "conll", "-o", str(out)).returncode == 0
    converted = tmp_path / "converted"
    converted.mkdir()
    result = subprocess.run(
        [sys.executable, "-m", "spacy", "convert", str(out), str(converted), "-c", "ner"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    docs = list(DocBin().from_disk(converted / "out.spacy").get_docs(spacy.blank("xx").vocab))
    # -DOCSTART- separates the documents; spaCy's converter skips one with no tokens
    with_tokens = [d for d in corpus.documents if d.text.strip()]
    assert len(docs) == len(with_tokens)
    for doc, document in zip(docs, with_tokens, strict=True):
        kept, _ = non_overlapping([s for s in document.spans() if s.status == "accepted"])
        want = [(s.label, "".join(s.text.split())) for s in kept]
        got = [(e.label_, "".join(e.text.split())) for e in doc.ents]
        assert got == want, document.id


def test_conll_files_of_the_earlier_layout_still_import(tmp_path: Path) -> None:
    old = tmp_path / "old.conll"
    old.write_text(
        "# id = harbour\nThe\tO\nHarbourside\tB-entity\ncouncil\tO\nmet\tO\n.\tO\n\n",
        encoding="utf-8",
    )
    target = tmp_path / "proj"
    result = run("import", str(target), str(old), "-f", "conll", "--add-labels")
    assert result.returncode == 0, result.stderr
    project, _ = load_project(target)
    doc = project.document("harbour")
    assert [(s.text, s.label) for s in doc.spans()] == [("Harbourside", "entity")]


def test_a_hashtag_token_is_not_a_comment(tmp_path: Path) -> None:
    folder = tmp_path / "p"
    folder.mkdir()
    (folder / "tags.txt").write_text("Use # for Kyiv news.\n", encoding="utf-8")
    project, _ = open_project(folder)
    tag(project, "tags", "Kyiv", "entity")
    save_project(project)
    out = tmp_path / "t.conll"
    FORMATS["conll"].write(project, out, ExportOptions())
    reader = FORMATS["conll"].read
    assert reader is not None
    records = list(reader(out))
    assert len(records) == 1
    assert isinstance(records[0], ImportedDocument)
    assert records[0].tokens[:3] == ("Use", "#", "for")


def test_exports_count_the_spans_they_moved(tmp_path: Path) -> None:
    pytest.importorskip("spacy")
    folder = tmp_path / "p"
    folder.mkdir()
    text = "The mayor said the pier will reopen.\n"
    (folder / "pier.txt").write_text(text, encoding="utf-8")
    project, _ = open_project(folder)
    doc = project.documents[0]
    start = text.index(" the pier")  # starts with a space
    doc.put_span(
        Span(
            id=new_span_id(),
            start=start,
            end=start + 9,
            label="entity",
            text=text[start : start + 9],
        )
    )
    save_project(project)
    for fmt, suffix in (("spacy", ".spacy"), ("conll", ".conll"), ("prodigy", ".jsonl")):
        out = tmp_path / f"out{suffix}"
        result = run("export", str(folder), "-f", fmt, "-o", str(out))
        assert result.returncode == 0, result.stderr
        assert "moved to token edges" in result.stderr, fmt
        assert "(1 span moved to token edges)" in result.stdout, (fmt, result.stdout)
    clean = tmp_path / "clean.jsonl"
    result = run("export", str(folder), "-f", "jsonl", "-o", str(clean))
    assert result.stdout.strip().endswith(str(clean))  # nothing changed: no count


# --- the fast paths of tokenizing give what the plain ones give ----------------------

TEXT = st.text(
    alphabet=st.sampled_from(
        [*"ab Z'’-.,\n\r\t", "\u00a0", "\u0301", "\u200d", "\x1c", "👩", "🇺", "🇦", "ë", "𝔘", "한"]
    ),
    max_size=80,
)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_simple_tokens_are_the_regular_expressions_matches(text: str) -> None:
    from annotator.formats.tokens import _SIMPLE, _WORLD, _simple_tokens

    pattern = _SIMPLE if text.isascii() else _WORLD
    assert _simple_tokens(text) == [m.span() for m in pattern.finditer(text)]


@settings(max_examples=300, deadline=None)
@given(TEXT, st.data())
def test_split_at_by_bisection_equals_token_by_token(text: str, data: st.DataObject) -> None:
    from annotator.formats.tokens import _split_each, clusters, split_at, whole_graphemes

    raw = data.draw(
        st.lists(
            st.tuples(st.integers(0, len(text)), st.integers(0, 6)).map(
                lambda t: (t[0], min(len(text), t[0] + t[1]))
            ),
            max_size=12,
        )
    )
    tokens = sorted(set(raw))
    kept: list[tuple[int, int]] = []  # tokens do not overlap: each after the last kept
    for t in tokens:
        if not kept or t[0] >= kept[-1][1]:
            kept.append(t)
    tokens = kept
    cuts = sorted(set(data.draw(st.lists(st.integers(0, len(text)), max_size=8))))
    assert split_at(tokens, cuts, text) == _split_each(tokens, cuts, text)
    # and a tokenizer's tokens, which take the fast path
    tokens = whole_graphemes(list(_simple_spans(text)), clusters(text))
    assert split_at(tokens, cuts, text) == _split_each(tokens, cuts, text)


def _simple_spans(text: str) -> list[tuple[int, int]]:
    from annotator.formats.tokens import _SIMPLE

    return [m.span() for m in _SIMPLE.finditer(text)]


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_clusters_skip_texts_with_nothing_that_joins(text: str) -> None:
    from annotator.formats.tokens import clusters

    expected = {}
    for match in regex.finditer(r"\X", text):
        a, b = match.span()
        if b - a > 1 and match.group() != "\r\n":  # a line break is no token's inside
            edges = (b, b) if text[a].isspace() else (a, b)
            expected.update(dict.fromkeys(range(a + 1, b), edges))
    assert clusters(text) == expected


@settings(max_examples=300, deadline=None)
@given(TEXT, st.data())
def test_token_range_by_bisection_equals_a_scan_of_every_token(
    text: str, data: st.DataObject
) -> None:
    """A span's first and last token, also where its edges fall in white space or
    between tokens, as the plain scan over every token finds them."""
    from annotator.formats.tokens import edges, token_range

    tokens = tokenize(text)
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    span = Span(
        id="s",
        start=start,
        end=max(end, start + 1),
        label="x",
        text="x" * (max(end, start + 1) - start),
    )

    exact_first = {a: i for i, (a, _b) in enumerate(tokens)}.get(span.start)
    exact_last = {b: i for i, (_a, b) in enumerate(tokens)}.get(span.end)
    first = exact_first
    if first is None:
        first = next((i for i, (a, _b) in enumerate(tokens) if a >= span.start), None)
    last = exact_last
    if last is None:
        last = next((i for i in range(len(tokens) - 1, -1, -1) if tokens[i][1] <= span.end), None)
    expected = (None, None) if first is None or last is None or last < first else (first, last)
    assert token_range(span, *edges(tokens), tokens) == expected
    starts, ends = edges(tokens)
    for i, (a, b) in enumerate(tokens):
        assert starts[a] == i and ends[b] == i and a in starts and b in ends
