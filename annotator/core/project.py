"""The in-memory project: documents with their text and spans, and the label set.

The project is plain Python: edits go through :mod:`annotator.core.commands`, which
call :meth:`Document.put_span` and :meth:`Document.pop_span` and report what changed.
Reading and writing the folder lives in :mod:`annotator.core.store`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotator.core.models import DEFAULT_LABELS, Label, Span
from annotator.core.spanindex import SpanIndex
from annotator.core.text import text_hash


@dataclass
class Document:
    id: str
    path: str
    text: str
    title: str = ""
    source: str = ""
    meta: dict[str, str] = field(default_factory=dict)
    # Spans whose text is no longer in the article: kept and saved, never shown or dropped.
    orphans: list[Span] = field(default_factory=list)
    # Spans the file holds but that cannot be read at all: written back exactly as they were.
    unreadable: list[Any] = field(default_factory=list)
    _spans: dict[str, Span] = field(default_factory=dict, repr=False)
    _index: SpanIndex = field(default_factory=SpanIndex, repr=False)
    _status: Counter[str] = field(default_factory=Counter, repr=False)

    @property
    def display_title(self) -> str:
        return self.title or self.id

    @property
    def text_hash(self) -> str:
        return text_hash(self.text)

    @property
    def span_count(self) -> int:
        return len(self._spans)

    def count(self, status: str) -> int:
        """How many spans have this review status (kept up to date on every change)."""
        return self._status[status]

    def span_values(self) -> list[Span]:
        """All spans in no particular order (cheaper than :meth:`spans`)."""
        return list(self._spans.values())

    def spans(self) -> list[Span]:
        """All spans, ordered by start (then longest first)."""
        return sorted(self._spans.values(), key=Span.sort_key)

    def span(self, span_id: str) -> Span:
        return self._spans[span_id]

    def has_span(self, span_id: str) -> bool:
        return span_id in self._spans

    def spans_overlapping(self, start: int, end: int) -> list[Span]:
        return [self._spans[i] for i in self._index.overlapping(start, end)]

    def put_span(self, span: Span) -> Span | None:
        """Insert or replace a span by id; returns the span it replaced."""
        old = self._spans.get(span.id)
        if old is not None:
            self._index.remove(old.id, old.start, old.end)
            self._status[old.status] -= 1
        self._spans[span.id] = span
        self._index.add(span.id, span.start, span.end)
        self._status[span.status] += 1
        return old

    def pop_span(self, span_id: str) -> Span:
        span = self._spans.pop(span_id)
        self._index.remove(span.id, span.start, span.end)
        self._status[span.status] -= 1
        return span


@dataclass
class Project:
    root: Path
    documents: list[Document] = field(default_factory=list)
    labels: list[Label] = field(default_factory=lambda: list(DEFAULT_LABELS))
    # Raw records of documents that cannot be shown (article unreadable, record broken):
    # written back exactly as they were.
    detached: list[Any] = field(default_factory=list)
    # (mtime_ns, size, inode) of annotator.json when last read or written; a save
    # refuses to replace a file whose stamp differs (someone else changed it).
    disk_stamp: tuple[int, int, int] | None = None

    def __post_init__(self) -> None:
        self._by_id = {d.id: d for d in self.documents}

    def add_document(self, document: Document) -> None:
        if document.id in self._by_id:
            raise ValueError(f"duplicate document id {document.id!r}")
        self.documents.append(document)
        self._by_id[document.id] = document

    def document(self, document_id: str) -> Document:
        return self._by_id[document_id]

    def has_document(self, document_id: str) -> bool:
        return document_id in self._by_id

    def label(self, name: str) -> Label | None:
        return next((lb for lb in self.labels if lb.name == name), None)

    def label_names(self) -> list[str]:
        return [lb.name for lb in self.labels]

    @property
    def span_count(self) -> int:
        return sum(d.span_count for d in self.documents)
