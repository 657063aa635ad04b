"""The in-memory project: documents with their text and spans, the label set, the
relation types, and the relations and links between spans (with the names people gave
clusters).

The project is plain Python: edits go through :mod:`annotator.core.commands`, which
call :meth:`Document.put_span`, :meth:`Project.put_relation` and their pops and report
what changed. Reading and writing the folder lives in :mod:`annotator.io`.
"""

from __future__ import annotations

import hashlib
import sys
import threading
import weakref
from collections import Counter, OrderedDict
from collections.abc import Callable, KeysView
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from annotator.core.models import (
    DEFAULT_LABELS,
    DEFAULT_RELATION_TYPES,
    Label,
    Relation,
    RelationType,
    Span,
)
from annotator.core.spanindex import SpanIndex
from annotator.core.text import text_hash
from annotator.core.work import WorkBook


class UnreadSpans(Protocol):
    """A document's spans still in the project file, read when first used (see
    :mod:`annotator.io.lazy`): how many there are of each status, their stored text
    (for a save to copy as it is), and the spans themselves."""

    count: int
    statuses: Counter[str]

    def stored(self) -> bytes: ...

    def read(self, doc: Document) -> list[Span]: ...


# Reading unread spans happens once per document, on whichever thread first asks.
_READING = threading.RLock()


class Document:
    """One article: its text, its spans (indexed by id and by position) and its details.

    The spans of a document nobody has looked at yet may still be in the project file
    (``_unread``, a large project's documents): they are read on the first call that
    needs them; counts are known without reading them.

    A text that is not plain ASCII is kept as UTF-8 bytes and decoded when used, with
    the most recently used texts kept decoded (:class:`_DecodedTexts`): Python stores
    a whole string at four bytes per character once one emoji is in it, so 10,000
    such articles took 160 MB as strings and take 40 MB this way.
    """

    def __init__(
        self,
        id: str,
        path: str,
        text: str,
        title: str = "",
        source: str = "",
        meta: dict[str, str] | None = None,
        orphans: list[Span] | None = None,
        unreadable: list[Any] | None = None,
        utf8: bytes | None = None,
    ) -> None:
        """``utf8``: the text's UTF-8 encoding when the caller has it (an article
        file's bytes): not encoded again, and the text is decoded again when used
        rather than kept decoded (loading makes thousands of documents at once)."""
        self.id = id
        self.path = path
        self.title = title
        self.source = source
        self.meta: dict[str, str] = {} if meta is None else meta
        # the annotators this document is given to (``annotator assign``), in order
        self.assigned: tuple[str, ...] = ()
        # Spans whose text is no longer in the article: kept and saved, never shown or dropped.
        self.orphans: list[Span] = [] if orphans is None else orphans
        # Spans the file holds but that cannot be read at all: written back exactly as they were.
        self.unreadable: list[Any] = [] if unreadable is None else unreadable
        # Relations the file holds in this record that cannot be placed (an end missing):
        # reported on load, written back exactly as they were.
        self.unplaced_relations: list[Any] = []
        self._spans: dict[str, Span] = {}
        self._unread: UnreadSpans | None = None
        self._index: SpanIndex | None = None  # built on the first query
        self._status: Counter[str] = Counter()
        self._length = len(text)
        self._utf8: bytes | None = None
        self._text: str | None = text
        if not text.isascii():
            given = utf8 is not None
            utf8 = text.encode("utf-8") if utf8 is None else utf8
            if len(utf8) < sys.getsizeof(text):
                self._utf8 = utf8
                if given:
                    self._text = None
                else:
                    _DECODED.keep(self)

    def __repr__(self) -> str:
        return f"Document(id={self.id!r}, path={self.path!r}, {self.span_count} spans)"

    @property
    def text(self) -> str:
        """The article text (code points; ``\\r\\n`` kept as in the file)."""
        text = self._text
        if text is None:
            assert self._utf8 is not None
            text = self._text = self._utf8.decode("utf-8")
            _DECODED.keep(self)
        elif self._utf8 is not None:
            _DECODED.touch(self)
        return text

    def _forget_text(self) -> None:
        if self._utf8 is not None:
            self._text = None

    @property
    def length(self) -> int:
        """``len(self.text)``, without decoding it."""
        return self._length

    @property
    def display_title(self) -> str:
        return self.title or self.id

    def utf8(self) -> bytes:
        """The text as UTF-8, without decoding a text kept as UTF-8 (a save hashes it)."""
        return self._utf8 if self._utf8 is not None else self.text.encode("utf-8")

    @property
    def text_hash(self) -> str:
        if self._utf8 is not None:
            return "sha256:" + hashlib.sha256(self._utf8).hexdigest()
        return text_hash(self.text)

    def leave_unread(self, unread: UnreadSpans) -> None:
        """Keep this document's spans in the file until something needs them."""
        assert not self._spans
        self._unread = unread

    def unread(self) -> UnreadSpans | None:
        """The spans not read yet (a save copies their stored text), else None."""
        return self._unread

    @property
    def is_read(self) -> bool:
        return self._unread is None

    def _read(self) -> dict[str, Span]:
        """``_spans``, read from the file first if they are still there."""
        if self._unread is not None:
            with _READING:
                unread = self._unread
                if unread is not None:
                    spans = unread.read(self)
                    self._unread = None
                    for span in spans:
                        self._put(span)
        return self._spans

    @property
    def span_count(self) -> int:
        unread = self._unread
        return len(self._spans) if unread is None else unread.count

    def count(self, status: str) -> int:
        """How many spans have this review status (kept up to date on every change)."""
        unread = self._unread
        return self._status[status] if unread is None else unread.statuses[status]

    def span_values(self) -> list[Span]:
        """All spans in no particular order (cheaper than :meth:`spans`)."""
        return list(self._read().values())

    def spans(self) -> list[Span]:
        """All spans, ordered by start (then longest first)."""
        return sorted(self._read().values(), key=Span.sort_key)

    def span(self, span_id: str) -> Span:
        return self._read()[span_id]

    def span_ids(self) -> KeysView[str]:
        """The ids of the spans (a live view: it follows every change)."""
        return self._read().keys()

    def has_span(self, span_id: str) -> bool:
        return span_id in self._read()

    def get_span(self, span_id: str) -> Span | None:
        return self._read().get(span_id)

    def spans_overlapping(self, start: int, end: int) -> list[Span]:
        self._read()
        index = self._index
        if index is None:
            # Built when first asked (one sort), not kept up to date from the start:
            # most documents of a large project are never shown or searched by position.
            index = self._index = SpanIndex([(s.start, s.end, s.id) for s in self._spans.values()])
        return [self._spans[i] for i in index.overlapping(start, end)]

    def put_span(self, span: Span) -> Span | None:
        """Insert or replace a span by id; returns the span it replaced."""
        self._read()
        return self._put(span)

    def _put(self, span: Span) -> Span | None:
        old = self._spans.get(span.id)
        if old is not None:
            if self._index is not None:
                self._index.remove(old.id, old.start, old.end)
            self._status[old.status] -= 1
        self._spans[span.id] = span
        if self._index is not None:
            self._index.add(span.id, span.start, span.end)
        self._status[span.status] += 1
        return old

    def pop_span(self, span_id: str) -> Span:
        span = self._read().pop(span_id)
        if self._index is not None:
            self._index.remove(span.id, span.start, span.end)
        self._status[span.status] -= 1
        return span


class _DecodedTexts:
    """The most recently used decoded texts, up to a memory budget (any thread may use it).

    Documents are held weakly: a closed project's documents are not kept alive here.
    """

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self._docs: OrderedDict[int, tuple[weakref.ref[Document], int]] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def keep(self, doc: Document) -> None:
        size = sys.getsizeof(doc._text)
        with self._lock:
            old = self._docs.pop(id(doc), None)
            if old is not None:
                self._size -= old[1]
            self._docs[id(doc)] = (weakref.ref(doc), size)
            self._size += size
            while self._size > self.budget and len(self._docs) > 1:
                _key, (ref, gone_size) = self._docs.popitem(last=False)
                self._size -= gone_size
                gone = ref()
                if gone is not None:
                    gone._forget_text()

    def touch(self, doc: Document) -> None:
        with self._lock:
            if id(doc) in self._docs:
                self._docs.move_to_end(id(doc))


# 32 MB of decoded text: the shown articles, even long ones, and a working set of others.
_DECODED = _DecodedTexts(32 * 1024 * 1024)


@dataclass
class LayerFile:
    """What was read of one annotator's file (``annotations/NAME.json``): the spans and
    relations its layer had then (the very objects: they are immutable, so a layer
    holding the same objects is unchanged, and a save skips it), the file's version,
    what could not be read (written back as it was), and whether it could be read."""

    baseline: tuple[Any, ...] | None = None
    stamp: tuple[int, int, int] | None = None
    kept: list[Any] = field(default_factory=list)
    broken: bool = False
    # the file's name in annotations/ when it was read under an older naming (the
    # annotator's name as it is, "Ann.json"): the next save writes the derived name
    # ("ann.json") and removes this one
    legacy: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)  # fields of the file we do not know


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
    relation_types: list[RelationType] = field(default_factory=lambda: list(DEFAULT_RELATION_TYPES))
    # Raw relations that cannot be placed (an end missing, a record broken): reported
    # on load and written back exactly as they were.
    detached_relations: list[Any] = field(default_factory=list)
    # What was found wrong in spans read after loading (see Document): io's Problems;
    # ``on_late_problems`` is called (on the thread that read them) when some are added.
    late_problems: list[Any] = field(default_factory=list)
    on_late_problems: Callable[[], None] | None = None
    # Saved pages and PDFs the folder held when it was opened (annotator.io.paths
    # scan_folder): what opening offers to import, found in the walk that finds articles
    pages_found: list[str] = field(default_factory=list)
    # A team project (annotator.io.layers): each annotator's work in its own file.
    team: bool = False
    layer_files: dict[str, LayerFile] = field(default_factory=dict)
    # Who is working on the project now (the window's or the command's annotator, never
    # saved): review decisions record it as the decided span's or relation's author.
    annotator: str | None = None
    # each annotator's status, time and review decisions per document (core.work)
    work: WorkBook = field(default_factory=WorkBook)

    def __post_init__(self) -> None:
        self._by_id = {d.id: d for d in self.documents}
        self._relations: dict[str, Relation] = {}
        self._by_end: dict[tuple[str, str], set[str]] = {}
        # names people gave clusters, kept on one member span (see annotator.core.clusters)
        self.cluster_names: dict[tuple[str, str], str] = {}

    # --- relations and links ---------------------------------------------------------

    def relation_type(self, name: str) -> RelationType | None:
        return next((t for t in self.relation_types if t.name == name), None)

    @property
    def relation_count(self) -> int:
        return len(self._relations)

    def relations(self) -> list[Relation]:
        """Every relation and link, in the order they were made."""
        return list(self._relations.values())

    def relation(self, relation_id: str) -> Relation:
        return self._relations[relation_id]

    def has_relation(self, relation_id: str) -> bool:
        return relation_id in self._relations

    def relations_of(self, document_id: str, span_id: str) -> list[Relation]:
        """The relations and links with an end at this span."""
        ids = self._by_end.get((document_id, span_id), ())
        return [self._relations[i] for i in ids]

    def put_relation(self, relation: Relation) -> Relation | None:
        """Insert or replace a relation by id; returns the one it replaced."""
        old = self._relations.get(relation.id)
        if old is not None:
            self._unindex(old)
        self._relations[relation.id] = relation
        by_end = self._by_end
        for end in (relation.source, relation.target):
            key = (end.document, end.span)
            ids = by_end.get(key)
            if ids is None:
                by_end[key] = {relation.id}
            else:
                ids.add(relation.id)
        return old

    def put_relations(self, relations: list[Relation]) -> None:
        """Insert relations whose ids are new, at once (loading 100,000 links)."""
        by_id, by_end = self._relations, self._by_end
        for relation in relations:
            ident = relation.id
            by_id[ident] = relation
            for end in (relation.source, relation.target):
                key = (end.document, end.span)
                ids = by_end.get(key)
                if ids is None:
                    by_end[key] = {ident}
                else:
                    ids.add(ident)

    def pop_relation(self, relation_id: str) -> Relation:
        relation = self._relations.pop(relation_id)
        self._unindex(relation)
        return relation

    def _unindex(self, relation: Relation) -> None:
        for end in (relation.source, relation.target):
            ids = self._by_end.get(end.key)
            if ids is not None:
                ids.discard(relation.id)
                if not ids:
                    del self._by_end[end.key]

    def has_end(self, document_id: str, span_id: str) -> bool:
        """Whether the project has this span (a relation end)."""
        doc = self._by_id.get(document_id)
        return doc is not None and doc.has_span(span_id)

    def span_of(self, key: tuple[str, str]) -> Span | None:
        """The span at a relation end, or None if it is not in the project (called for
        every end of every line drawn: one look-up each)."""
        doc = self._by_id.get(key[0])
        return None if doc is None else doc.get_span(key[1])

    def add_document(self, document: Document) -> None:
        if document.id in self._by_id:
            raise ValueError(f"duplicate document id {document.id!r}")
        self.documents.append(document)
        self._by_id[document.id] = document

    def remove_document(self, document_id: str) -> Document:
        """Take a document (and the spans it still has) out of the project."""
        doc = self._by_id.pop(document_id)
        self.documents.remove(doc)
        return doc

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
