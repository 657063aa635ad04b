"""A project of tricky texts (and the seed articles when present) with nested and
overlapping spans of every label, for every exchange format."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.models import Span, new_span_id
from annotator.core.project import Project
from annotator.io.load import open_project
from annotator.io.save import save_project
from tests.conftest import SEEDS

TRICKY = {
    # combining accent, emoji, CRLF, curly quotes
    "tricky.txt": "Jose\u0301 met 😀 Ana in Paris.\r\nShe said “rates will rise”.\r\nEnd.",
    # right-to-left scripts, a flag (two non-BMP characters), a lone \n
    "rtl.txt": "قال الوزير أحمد إن المدينة آمنة.\nשלום from Tel Aviv 🇮🇱 and Zoë.\n",
    # an empty article: no tokens, zero-length arrays (the spaCy export once failed)
    "empty.txt": "",
}
# (document, text, nth occurrence, label)
TAGS = [
    ("tricky", "Jose\u0301", 0, "entity"),
    ("tricky", "Ana", 0, "entity"),
    ("tricky", "Paris", 0, "entity"),
    ("tricky", "Ana in Paris", 0, "claim"),  # around two entities
    ("tricky", "met 😀 Ana", 0, "claim"),  # overlaps "Ana in Paris" partly
    ("tricky", "rates will rise", 0, "quote"),
    ("tricky", "She said “rates will rise”", 0, "claim"),
    ("rtl", "أحمد", 0, "entity"),
    ("rtl", "المدينة آمنة", 0, "claim"),
    ("rtl", "Tel Aviv 🇮🇱", 0, "entity"),
    ("rtl", "Zoë", 0, "entity"),
]


def tag(
    project: Project, doc_id: str, text: str, label: str, nth: int = 0, **extra: object
) -> Span:
    doc = project.document(doc_id)
    start = -1
    for _ in range(nth + 1):
        start = doc.text.index(text, start + 1)
    span = Span(
        id=new_span_id(), start=start, end=start + len(text), label=label, text=text, **extra
    )
    doc.put_span(span)
    return span


@pytest.fixture
def corpus(tmp_path: Path) -> Project:
    """The tricky texts, tagged, plus the seed articles with a few spans if present."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name, text in TRICKY.items():
        (folder / name).write_text(text, encoding="utf-8", newline="")
    seeds = sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []
    for file in seeds:
        (folder / file.name).write_bytes(file.read_bytes())
    project, _ = open_project(folder)
    for doc_id, text, nth, label in TAGS:
        tag(project, doc_id, text, label, nth)
    for doc in project.documents:
        if doc.id in ("tricky", "rtl"):
            continue
        for word, label in (("Alekseev", "entity"), ("Moscow", "entity"), ("Prigozhin", "entity")):
            if word in doc.text:
                tag(project, doc.id, word, label)
        quote_start = doc.text.find("“")
        if quote_start >= 0:
            end = doc.text.index("”", quote_start)
            tag(project, doc.id, doc.text[quote_start + 1 : end], "quote")
    # a pending suggestion and a rejected one: never exported by default
    tag(project, "tricky", "End", "claim", origin="model", status="pending", score=0.4)
    tag(project, "rtl", "from", "claim", origin="model", status="rejected", score=0.2)
    save_project(project)
    return project


def expected(
    project: Project, *, statuses: tuple[str, ...] = ("accepted",)
) -> set[tuple[str, int, int, str, str]]:
    return {
        (d.id, s.start, s.end, s.label, s.text)
        for d in project.documents
        for s in d.spans()
        if s.status in statuses
    }
