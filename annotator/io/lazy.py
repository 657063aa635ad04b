"""Spans left in the project file until they are used.

A large project opens without reading most of its spans: a document whose record is
laid out as Annotator writes it, whose article is unchanged (its hash matches) and
whose spans' labels and statuses can be counted from the stored text keeps them in
``annotator.json``; :class:`StoredSpans` reads them when something first needs them
(a pane shows the document, a search, an export), with the same checks loading
applies. A save copies the stored text of spans never read as it is.

The file is read through a descriptor held open for the project's life, with
``os.pread``: a save replaces ``annotator.json`` by renaming a new file over it, and
the descriptor keeps the version that was read. Each stored piece carries a CRC-32,
so a file overwritten in place by another program is noticed rather than misread.
Where ``os.pread`` is missing (Windows), every span is read at load, as before.
"""

from __future__ import annotations

import json
import os
import weakref
import zlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pydantic_core

from annotator.core.models import STATUSES, Span
from annotator.core.project import Document

# Projects whose file is at least this big keep unread documents' spans in the file.
# Below it everything is read at load (and every problem reported at once).
LAZY_FROM_BYTES = 24 * 1024 * 1024

# How the saved file lays out a record's spans (see annotator.io.save): the list opens
# on the "spans" key's own line at six spaces, items start at eight, fields at ten.
SPANS_OPEN = b'\n      "spans": [\n        '
SPANS_CLOSE = b"\n      ]"
_ITEM = b"\n        {"
_STATUS_PATTERNS = [
    (s, b'\n          "status": "' + s.encode() + b'"') for s in STATUSES if s != "accepted"
]


class LabelPatterns:
    """What each label name looks like in a saved span: as a save writes it
    (``json.dumps``, not ASCII-escaped), followed by the ``"text"`` field."""

    def __init__(self, labels: list[str]) -> None:
        self.patterns = [
            (
                label,
                b'\n          "label": ' + json.dumps(label, ensure_ascii=False).encode() + b",",
            )
            for label in dict.fromkeys(labels)
        ]


def can_defer() -> bool:
    return hasattr(os, "pread")


@dataclass(frozen=True)
class SpansAt:
    """A record's spans left in the file: the text of its items is at ``start:end``,
    with what could be counted on it (how many, of which status and label) and its
    CRC-32."""

    start: int
    end: int
    count: int
    statuses: Counter[str]
    labels: dict[str, int]
    crc: int

    @classmethod
    def of(cls, piece: bytes, start: int, end: int, offset: int, labels: LabelPatterns) -> SpansAt:
        """The spans at ``piece[start:end]``, ``offset`` the piece's place in the file."""
        if start == end:
            return cls(offset + start, offset + end, 0, Counter(), {}, 0)
        count = piece.count(_ITEM, start, end) + 1
        # "accepted" is what is left: a status that is none of the three is found (and
        # reported) when the spans are read
        statuses: Counter[str] = Counter()
        for status, pattern in _STATUS_PATTERNS:
            found = piece.count(pattern, start, end)
            if found:
                statuses[status] = found
        statuses["accepted"] = count - statuses["pending"] - statuses["rejected"]
        by_label = {label: piece.count(pattern, start, end) for label, pattern in labels.patterns}
        crc = zlib.crc32(memoryview(piece)[start:end])
        return cls(offset + start, offset + end, count, statuses, by_label, crc)

    def counted(self, labels: list[str]) -> tuple[int, Counter[str]] | None:
        """How many spans there are and of which status, if every one of them has one
        of ``labels``; else None (the document is read at load, where whatever is
        wrong is reported)."""
        if sum(self.labels.get(label, 0) for label in set(labels)) != self.count:
            return None
        return self.count, self.statuses


class StoredFile:
    """A descriptor on the version of ``annotator.json`` that was loaded."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
        weakref.finalize(self, os.close, self.fd)
        self.size = os.fstat(self.fd).st_size

    def read(self, start: int, length: int) -> bytes:
        """``length`` bytes from ``start`` (fewer only at the end of the file)."""
        out = b""
        while len(out) < length:
            piece = os.pread(self.fd, length - len(out), start + len(out))
            if not piece:
                break
            out += piece
        return out

    def stored(self, at: SpansAt) -> bytes:
        """The text of the spans at ``at``, checked against its CRC-32."""
        data = self.read(at.start, at.end - at.start)
        if len(data) != at.end - at.start or zlib.crc32(data) != at.crc:
            raise FileChanged(
                f"{self.path} was overwritten by another program while the project was "
                "open, so spans Annotator had not read yet cannot be read now; reopen the "
                "project (nothing was written)"
            )
        return data

    def parse(self, at: SpansAt) -> list[Any]:
        """The spans at ``at`` parsed, as raw items."""
        items = self.stored(at)
        return pydantic_core.from_json(b"[" + items + b"]", cache_strings="all") if items else []  # type: ignore[no-any-return]


class FileChanged(OSError):
    """The stored spans are no longer what was read: another program overwrote
    ``annotator.json`` in place while the project was open."""


class StoredSpans:
    """One document's spans, still in the file (an
    :class:`~annotator.core.project.UnreadSpans`)."""

    __slots__ = ("at", "count", "file", "reader", "statuses")

    def __init__(
        self,
        file: StoredFile,
        at: SpansAt,
        count: int,
        statuses: Counter[str],
        reader: Callable[[Document, list[Any]], list[Span]],
    ) -> None:
        self.file = file
        self.at = at
        self.count = count
        self.statuses = statuses
        self.reader = reader

    def stored(self) -> bytes:
        return self.file.stored(self.at)

    def read(self, doc: Document) -> list[Span]:
        return self.reader(doc, self.file.parse(self.at))
