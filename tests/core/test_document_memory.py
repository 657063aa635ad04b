"""Documents keep non-ASCII texts as UTF-8 and decode them on use; the span index is
built on the first position query. Both must be invisible to everything else."""

from __future__ import annotations

import gc
import random
import weakref

import pytest

from annotator.core import project as project_module
from annotator.core.models import Span
from annotator.core.project import Document
from annotator.core.text import text_hash

TEXTS = [
    "plain ASCII text",
    "Zoë said “we will rebuild” 🙂 and left",
    "𝔘nicode 🌊 only\r\nsecond line",
    "漢字とかなの文",  # UTF-8 is longer than the string here: kept as a string
    "",
]


@pytest.fixture
def tiny_budget(monkeypatch: pytest.MonkeyPatch) -> project_module._DecodedTexts:
    texts = project_module._DecodedTexts(budget=200)  # bytes: keeps about one text
    monkeypatch.setattr(project_module, "_DECODED", texts)
    return texts


@pytest.mark.parametrize("text", TEXTS)
def test_text_reads_back_exactly_after_being_forgotten(tiny_budget: object, text: str) -> None:
    doc = Document("d", "d.txt", text)
    others = [Document(f"o{i}", "o.txt", "émoji 🙂 " * 20) for i in range(3)]
    for other in others:
        assert other.text.startswith("émoji")  # decoding these pushes ``doc`` out
    assert doc.text == text
    assert doc.length == len(text)
    assert doc.text_hash == text_hash(text)


def test_only_the_budget_stays_decoded(tiny_budget: object) -> None:
    docs = [Document(f"d{i}", "d.txt", f"text {i} 🙂 " * 10) for i in range(5)]
    for doc in docs:
        _ = doc.text
    decoded = [doc for doc in docs if doc._text is not None]
    assert 1 <= len(decoded) < len(docs)
    assert decoded[-1] is docs[-1]  # the most recently used one is kept


def test_the_cache_does_not_keep_documents_alive() -> None:
    doc = Document("d", "d.txt", "gone 🙂 soon")
    ref = weakref.ref(doc)
    del doc
    gc.collect()
    assert ref() is None


def _span(i: int, start: int, end: int) -> Span:
    return Span(id=f"s{i}", start=start, end=end, label="entity", text="x" * (end - start))


def test_position_queries_match_a_scan_before_and_after_the_index_exists() -> None:
    rng = random.Random(3)
    doc = Document("d", "d.txt", "x" * 500)
    live: dict[str, Span] = {}

    def check() -> None:
        for _ in range(20):
            a = rng.randrange(500)
            b = a + rng.randrange(1, 40)
            expected = {s.id for s in live.values() if s.start < b and s.end > a}
            assert {s.id for s in doc.spans_overlapping(a, b)} == expected

    for i in range(60):  # no query yet: no index
        start = rng.randrange(490)
        span = _span(i, start, start + rng.randrange(1, 10))
        doc.put_span(span)
        live[span.id] = span
    check()  # builds the index
    for i in range(60, 120):  # now kept up to date edit by edit
        if live and rng.random() < 0.4:
            gone = rng.choice(sorted(live))
            doc.pop_span(gone)
            del live[gone]
        else:
            start = rng.randrange(490)
            span = _span(i, start, start + rng.randrange(1, 10))
            doc.put_span(span)
            live[span.id] = span
        check()
