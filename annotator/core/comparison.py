"""Comparing the outlets: one row per thing the documents mention (a cluster of linked
spans, a quote, a claim), one cell per document, built from the links as they are.

A row is a group of spans joined by accepted links of a *row type*: a transitive type
(``same``) or an undirected type that may cross documents (``contradicts``,
``differs``). Spans of one document with the same label and the same words (a name
mentioned five times) are one cell, so a mention that was never linked does not look
like something only one outlet has. A cell lists its document's mentions in reading
order; a link of a non-transitive row type inside the row marks both its ends' cells
with the type, the other document and what differs (the link's note, else the
``describe`` function's account of the two texts, else the two texts).

The comparison is computed, never stored: a view rebuilds it after every change, so it
follows undo. Only accepted spans and links count unless ``pending`` is asked for.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from annotator.core.models import Relation, Span, SpanKey
from annotator.core.project import Project
from annotator.core.provenance import column_names, paragraph_starts

Describe = Callable[[str, str], str | None]
FILTERS = ("all", "everywhere", "one", "conflicts")
FILTER_NAMES = {
    "all": "All rows",
    "everywhere": "In every outlet",
    "one": "Only in one outlet",
    "conflicts": "Contradictions and differences",
}
_POSSESSIVE = re.compile(r"(?:[’']s|[’'])$")


class Mark:
    """A contradiction or difference in a cell: against ``other`` document. Its
    ``note`` is worked out when first read (a report shows a few of a row's notes; a
    row of 60,000 contradictions need not describe them all)."""

    __slots__ = ("_note", "other", "relation", "type")

    def __init__(self, type: str, other: str, note: str | Callable[[], str], relation: str):
        self.type = type
        self.other = other
        self._note = note
        self.relation = relation

    @property
    def note(self) -> str:
        note = self._note
        if not isinstance(note, str):
            note = self._note = note()
        return note

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Mark):
            return NotImplemented
        return (self.type, self.other, self.note, self.relation) == (
            other.type,
            other.other,
            other.note,
            other.relation,
        )

    def __hash__(self) -> int:
        return hash((self.type, self.other, self.relation))

    def __repr__(self) -> str:
        return f"Mark({self.type!r}, {self.other!r}, {self.note!r}, {self.relation!r})"


NOTES_SHOWN = 3  # a row or cell is summed up by this many of its marks' notes
NOTES_LOOKED_AT = 50  # found among this many of its marks (a note is worked out when read)


def first_notes(marks: Sequence[Mark], shown: int = NOTES_SHOWN) -> tuple[str, ...]:
    """Up to ``shown`` distinct notes of ``marks``, then ``…`` if there may be more."""
    notes: dict[str, None] = {}
    for looked, mark in enumerate(marks, 1):
        if mark.note:
            notes[mark.note] = None
        if len(notes) > shown or (looked == NOTES_LOOKED_AT and looked < len(marks)):
            return (*list(notes)[:shown], "…")
    return tuple(notes)


@dataclass(frozen=True)
class Cell:
    document: str
    members: tuple[SpanKey, ...]  # reading order
    texts: tuple[str, ...]
    starts: tuple[int, ...]
    marks: tuple[Mark, ...] = ()

    @property
    def text(self) -> str:
        """The first mention, and how many more there are."""
        distinct = list(dict.fromkeys(" ".join(t.split()) for t in self.texts))
        more = f" (+{len(distinct) - 1})" if len(distinct) > 1 else ""
        return distinct[0] + more


@dataclass(frozen=True)
class Row:
    id: str
    label: str
    name: str
    cells: dict[str, Cell]  # only the documents that have it
    order: tuple[int, int]  # document index and start of the first mention

    @property
    def coverage(self) -> int:
        return len(self.cells)

    @property
    def marks(self) -> list[Mark]:
        return [m for cell in self.cells.values() for m in cell.marks]

    @property
    def conflict_types(self) -> set[str]:
        return {m.type for m in self.marks}

    def members(self) -> list[SpanKey]:
        return [k for cell in self.cells.values() for k in cell.members]


@dataclass
class Comparison:
    documents: tuple[str, ...]
    titles: dict[str, str]
    rows: list[Row] = field(default_factory=list)
    # what the report calls each document: its outlet and date, else its title
    names: dict[str, str] = field(default_factory=dict)
    outlets: dict[str, dict[str, str]] = field(default_factory=dict)  # outlet, date, url
    # each document's text: a report finds a mention's paragraph in it (when asked, so
    # the Compare panel, rebuilt after every change, never splits texts it does not need)
    texts: dict[str, str] = field(default_factory=dict, repr=False)
    _paragraphs: dict[str, list[int]] = field(default_factory=dict, repr=False)
    _conflicts: tuple[list[Row], int, list[tuple[Row, str, Mark]]] | None = field(
        default=None, repr=False, compare=False
    )

    def name(self, document: str) -> str:
        return self.names.get(document) or self.titles.get(document, document)

    def paragraph(self, document: str, offset: int) -> int:
        """The paragraph (from 1) of the document that holds ``offset``."""
        starts = self._paragraphs.get(document)
        if starts is None:
            starts = self._paragraphs[document] = paragraph_starts(self.texts.get(document, ""))
        return max(1, bisect_right(starts, offset))

    def per_document(self) -> dict[str, tuple[int, list[Row]]]:
        """Each document's coverage (rows it has) and the rows only it has, in one
        pass over the rows (a report asks for every document's)."""
        have = dict.fromkeys(self.documents, 0)
        only: dict[str, list[Row]] = {d: [] for d in self.documents}
        for row in self.rows:
            for doc in row.cells:
                if doc in have:
                    have[doc] += 1
            if row.coverage == 1:
                (doc,) = row.cells
                if doc in only:
                    only[doc].append(row)
        return {d: (have[d], only[d]) for d in self.documents}

    def filtered(self, which: str = "all", label: str | None = None) -> list[Row]:
        """The rows a filter lets through (:data:`FILTERS`), of one label if given."""
        if which not in FILTERS:
            raise ValueError(f"no filter {which!r}; one of {', '.join(FILTERS)}")
        n = len(self.documents)
        return [
            r
            for r in self.rows
            if (label is None or r.label == label)
            and (
                which == "all"
                or (which == "everywhere" and r.coverage == n)
                or (which == "one" and r.coverage == 1)
                or (which == "conflicts" and bool(r.marks))
            )
        ]

    def coverage(self, document: str) -> int:
        return sum(document in r.cells for r in self.rows)

    def unique(self, document: str) -> list[Row]:
        """Rows only this document has."""
        return [r for r in self.rows if r.coverage == 1 and document in r.cells]

    def conflicts(self) -> list[tuple[Row, Mark]]:
        """Each contradiction or difference once (from the side of its first document)."""
        return [(row, mark) for row, _doc, mark in self.conflicts_at()]

    def conflicts_at(self) -> list[tuple[Row, str, Mark]]:
        """:meth:`conflicts` with the document each is seen from (its first one);
        worked out once for these rows (a report asks several times)."""
        cached = self._conflicts
        if cached is not None and cached[0] is self.rows and cached[1] == len(self.rows):
            return cached[2]
        found = self._conflicts_at()
        self._conflicts = (self.rows, len(self.rows), found)
        return found

    def _conflicts_at(self) -> list[tuple[Row, str, Mark]]:
        order = {d: i for i, d in enumerate(self.documents)}
        last = len(order)
        out: list[tuple[Row, str, Mark]] = []
        for row in self.rows:
            for doc, cell in row.cells.items():
                here = order.get(doc, last)
                out.extend((row, doc, m) for m in cell.marks if here < order.get(m.other, last))
        return out


def row_types(project: Project) -> tuple[set[str], set[str]]:
    """Relation types that join a row, and those of them that mark a disagreement."""
    joining = {
        t.name
        for t in project.relation_types
        if t.transitive or (t.across_documents and not t.directed)
    }
    marking = {t for t in joining if not project.relation_type(t).transitive}  # type: ignore[union-attr]
    return joining, marking


def _words(text: str) -> str:
    return _POSSESSIVE.sub("", " ".join(text.split()).casefold())


def compare(  # noqa: C901
    project: Project,
    documents: Sequence[str] | None = None,
    *,
    labels: Iterable[str] | None = None,
    pending: bool = False,
    describe: Describe | None = None,
) -> Comparison:
    """The rows of ``documents`` (all, in project order, when None).

    Long on purpose: the clusters (union-find over the links) and the rows they make in one
    pass; each branch is a filter of the docstring.
    """
    shown = tuple(documents) if documents is not None else tuple(d.id for d in project.documents)
    wanted = None if labels is None else set(labels)
    statuses = {"accepted", "pending"} if pending else {"accepted"}
    parent: dict[SpanKey, SpanKey] = {}
    spans: dict[SpanKey, Span] = {}
    place: dict[SpanKey, tuple[int, int]] = {}

    def root(k: SpanKey) -> SpanKey:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    def join(a: SpanKey, b: SpanKey) -> None:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    for index, doc_id in enumerate(shown):
        doc = project.document(doc_id)
        same_words: dict[tuple[str, str], SpanKey] = {}
        for span in doc.spans():
            if span.status not in statuses or (wanted is not None and span.label not in wanted):
                continue
            key = (doc_id, span.id)
            spans[key] = span
            parent[key] = key
            place[key] = (index, span.start)
            first = same_words.setdefault((span.label, _words(span.text)), key)
            join(first, key)
    joining, marking = row_types(project)
    conflicts: list[Relation] = []
    for relation in project.relations():
        if relation.type not in joining or relation.status not in statuses:
            continue
        a, b = relation.source.key, relation.target.key
        if a in spans and b in spans:
            join(a, b)
            if relation.type in marking:
                conflicts.append(relation)
    groups: dict[SpanKey, list[SpanKey]] = {}
    for key in spans:
        groups.setdefault(root(key), []).append(key)
    marks: dict[SpanKey, list[Mark]] = {}
    if describe is not None:  # one description per pair of texts, whichever link it is
        describe = functools.lru_cache(maxsize=65536)(describe)
    for relation in conflicts:
        a, b = relation.source.key, relation.target.key
        given = relation.note
        text_a, text_b = spans[a].text, spans[b].text
        note: str | Callable[[], str]
        back: str | Callable[[], str]
        if given:
            note, back = given, _swap(given)
        else:  # described when read
            note = functools.partial(_describe, text_a, text_b, describe)
            back = functools.partial(_describe, text_b, text_a, describe)
        marks.setdefault(a, []).append(Mark(relation.type, b[0], note, relation.id))
        marks.setdefault(b, []).append(Mark(relation.type, a[0], back, relation.id))
    rows = [_row(project, members, spans, place, marks) for members in groups.values()]
    label_order = {label.name: i for i, label in enumerate(project.labels)}
    last = len(label_order)
    rows.sort(key=lambda r: (label_order.get(r.label, last), -r.coverage, -len(r.marks), r.order))
    docs = [project.document(d) for d in shown]
    titles = {d.id: d.display_title for d in docs}
    outlets = {
        d.id: {"outlet": d.source, "date": d.meta.get("date", ""), "url": d.meta.get("url", "")}
        for d in docs
    }
    texts = {d.id: d.text for d in docs}
    return Comparison(shown, titles, rows, column_names(docs), outlets, texts)


def _describe(a: str, b: str, describe: Describe | None) -> str:
    found = describe(a, b) if describe is not None else None
    return found or f"{_short(a)} / {_short(b)}"


def _swap(note: str) -> str:
    """``age: 65 / 64`` seen from the other side: ``age: 64 / 65``."""
    parts = []
    for part in note.split("; "):
        head, sep, values = part.rpartition(": ")
        left, slash, right = values.partition(" / ")
        parts.append(f"{head}{sep}{right} / {left}" if slash else part)
    return "; ".join(parts)


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _row(
    project: Project,
    members: list[SpanKey],
    spans: dict[SpanKey, Span],
    place: dict[SpanKey, tuple[int, int]],
    marks: dict[SpanKey, list[Mark]],
) -> Row:
    members.sort(key=lambda k: place[k])
    cells: dict[str, Cell] = {}
    for doc_id in dict.fromkeys(k[0] for k in members):
        mine = [k for k in members if k[0] == doc_id]
        cells[doc_id] = Cell(
            doc_id,
            tuple(mine),
            tuple(spans[k].text for k in mine),
            tuple(spans[k].start for k in mine),
            tuple(m for k in mine for m in marks.get(k, ())),
        )
    labels = [spans[k].label for k in members]
    label = max(dict.fromkeys(labels), key=labels.count)
    named = next((project.cluster_names[k] for k in members if k in project.cluster_names), None)
    if named:
        name = named
    elif label == "entity":
        name = max((" ".join(spans[k].text.split()) for k in members), key=len)
    else:
        name = _short(spans[members[0]].text, 80)
    return Row(f"{members[0][0]}:{members[0][1]}", label, name, cells, place[members[0]])
