"""What readers of exchange formats produce, and how it is checked and applied.

A format's ``read`` yields :class:`ImportedDocument` records (text, id, metadata,
spans in code points) or :class:`RecordProblem` for a record it could not parse, each
with the line (or record number) it came from. :func:`plan_import` checks every span
against the project's documents and returns the changes as one undoable
:class:`~annotator.core.commands.Batch` plus a problem for each record or span it
could not place, so nothing is changed unless the caller applies the batch.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from annotator.core.annotators import known_names as names_in
from annotator.core.annotators import spelled_as_known
from annotator.core.changes import Change, RelationChange, StatusChange
from annotator.core.commands import Batch, SpanChange
from annotator.core.models import (
    MANUAL,
    SPAN_LIST,
    STATUSES,
    AttributeValue,
    Span,
    SpanStatus,
    new_span_id,
    utc_now,
)
from annotator.core.names import author_problem
from annotator.core.project import Document, Project
from annotator.core.suggestions import is_known, proposals, why_not_proposed
from annotator.core.text import text_hash
from annotator.core.wording import count as count_of
from annotator.core.work import UNSIGNED
from annotator.formats.new_documents import match_document, new_document
from annotator.formats.new_documents import safe_file_name as safe_file_name
from annotator.formats.relations import ImportedRelation, Placement, plan_relations
from annotator.io.safejson import JSONProblem


@dataclass(frozen=True)
class ImportedSpan:
    start: int
    end: int
    label: str
    text: str | None = None  # the covered text, when the format carries it
    score: float | None = None
    status: SpanStatus | None = None
    origin: str | None = None
    note: str | None = None
    author: str | None = None
    attributes: dict[str, AttributeValue] = field(default_factory=dict)
    id: str | None = None  # the file's id of the span, which its relations name


@dataclass(frozen=True)
class ImportedLinks:
    """Links across documents, read after the documents they join (their ends name the
    file's document ids)."""

    where: str
    relations: tuple[ImportedRelation, ...]


@dataclass(frozen=True)
class ImportedDocument:
    where: str  # "line 3" or "record 3": where the record came from
    text: str
    id: str | None = None
    title: str = ""
    source: str = ""
    meta: dict[str, str] = field(default_factory=dict)
    spans: tuple[ImportedSpan, ...] = ()
    # Token formats rebuild the text from tokens; these let spans be aligned onto a
    # project document whose text differs only in white space.
    tokens: tuple[str, ...] = ()
    relations: tuple[ImportedRelation, ...] = ()  # both ends in this record
    # False: the record names its document and carries no text (predictions by id); an
    # empty ``text`` with this True is an empty article
    has_text: bool = True
    # A page or PDF: the file's name (a new document's id is made from it when the
    # record has none) and its bytes, kept in the project's sources/ folder
    name: str = ""
    original: bytes | None = None
    kept_at: str = ""  # the original is in the project folder already, here: not copied
    # the document status the record carries (our JSONL's "status"): "done" comes in done
    status: str = ""


@dataclass(frozen=True)
class RecordProblem:
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


SHAPE_ERRORS = (AttributeError, TypeError, KeyError, ValueError, IndexError)


def shape_problem(exc: Exception) -> str:
    """What is wrong with a record whose fields hold something else than the format's,
    in words (never Python's ``'int' object has no attribute 'get'``)."""
    if isinstance(exc, KeyError):
        return f"the field {exc.args[0]!r} is missing" if exc.args else "a field is missing"
    if isinstance(exc, AttributeError | TypeError | IndexError):
        return "a field holds another kind of value than the format has there"
    text = str(exc).splitlines()[0] if str(exc) else "a value cannot be read"
    return text if len(text) <= 120 else text[:119] + "…"


def file_line(path: Path, problem: JSONProblem) -> str:
    """``name.json, line 3`` for a problem found at a line of ``path`` (else the name)."""
    return f"{path.name}, line {problem.line}" if problem.line else path.name


@dataclass(frozen=True)
class ImportOptions:
    as_suggestions: bool = False
    origin: str = "import"  # origin of suggestions
    label_map: dict[str, str] = field(default_factory=dict)
    # Records that match no document become new documents (their text is written to
    # the project folder when the plan is applied); otherwise they are reported.
    add_documents: bool = False
    add_labels: bool = False  # unknown labels are added instead of reported
    # The import is this annotator's work (a colleague's export): every span and relation
    # records them as author, and only their own work counts as already there.
    author: str | None = None


@dataclass
class ImportPlan:
    batch: Batch  # spans, then relations and links
    problems: list[RecordProblem]
    documents_matched: int = 0
    skipped_known: int = 0
    new_documents: list[Document] = field(default_factory=list)
    new_labels: list[str] = field(default_factory=list)
    new_relation_types: list[str] = field(default_factory=list)
    # what a page or PDF was before extraction, kept in the project beside its article
    # (its path as the document's ``meta["original"]`` names it, its bytes)
    originals: dict[str, bytes] = field(default_factory=dict)
    # records that were in the project already: where, and why (same address, same text)
    already: list[str] = field(default_factory=list)

    @property
    def span_count(self) -> int:
        return sum(isinstance(c, SpanChange) for c in self.batch.changes)

    @property
    def relation_count(self) -> int:
        return sum(isinstance(c, RelationChange) for c in self.batch.changes)


class _ByTokens:
    """The project's documents by their text without white space, built on first use:
    a token file's record (tokens, no id) finds its document by them."""

    def __init__(self, project: Project) -> None:
        self._project = project
        self._index: dict[str, Document] | None = None

    def find(self, tokens: tuple[str, ...]) -> Document | None:
        if self._index is None:
            self._index = {}
            for doc in self._project.documents:
                self._index.setdefault(text_hash("".join(doc.text.split())), doc)
        return self._index.get(text_hash("".join(tokens)))


Record = ImportedDocument | ImportedLinks | RecordProblem


def plan_import(  # noqa: C901
    project: Project,
    records: Iterable[Record],
    options: ImportOptions,
) -> ImportPlan:
    """Long on purpose: one pass that places every record (documents, spans, links, problems) so an
    import is one undo step; each branch is one record kind or one refusal.
    """
    changes: list[Change] = []
    finished: list[str] = []  # documents whose record says they are done
    now = utc_now()
    # names that differ from the project's only in case are the project's spelling
    known_names = names_in(project)
    options = dataclasses.replace(options, author=spelled_as_known(options.author, known_names))
    placement = Placement()
    problems: list[RecordProblem] = []
    matched = known = 0
    labels = {lb.name for lb in project.labels}
    new_docs: list[Document] = []
    new_labels: list[str] = []
    taken_ids = {d.id for d in project.documents}
    taken_files = {i.lower() + ".txt" for i in taken_ids}
    # the documents this import creates, by id and by text: a record with an id is the
    # document of that id, one without is the first with its text (two records with
    # the same text and different ids stay two). A dict each, not a scan of all of
    # them per record, so an import of many new documents stays linear.
    new_by_id: dict[str, Document] = {}
    new_by_text: dict[str, Document] = {}
    originals: dict[str, bytes] = {}
    plan_already: list[str] = []
    by_tokens = _ByTokens(project)
    for record in records:
        if isinstance(record, RecordProblem):
            problems.append(record)
            continue
        if isinstance(record, ImportedLinks):
            placement.pending.extend((record.where, "", r) for r in record.relations)
            continue
        doc, why = match_document(project, record)
        if doc is not None and record.original is not None:
            plan_already.append(f"{record.where}: in the project already as {doc.id} ({why})")
            continue
        if doc is None and record.tokens and record.id is None:
            doc = by_tokens.find(record.tokens)
        if doc is None:
            if record.id is not None:
                doc = new_by_id.get(record.id)
            else:
                doc = new_by_text.get(record.text)
            if doc is not None and record.original is not None:
                plan_already.append(f"{record.where}: the same text as {doc.id}, added above")
                continue
        if doc is None and not record.has_text:
            problems.append(
                RecordProblem(
                    record.where,
                    f"document {record.id!r} is not in this project, and the file carries no "
                    "article text to create it from (W3C annotations and predictions by id "
                    f"never do): put its article into the project folder as {record.id}.txt "
                    "(or add it with: annotator import PROJECT FOLDER --format text), then "
                    "import this file again",
                )
            )
            continue
        if doc is None and options.add_documents:
            doc = new_document(record, taken_ids, taken_files, originals)
            new_docs.append(doc)
            new_by_id[doc.id] = doc
            new_by_text.setdefault(doc.text, doc)
        elif doc is None:
            name = record.id or f"the document of {record.where}"
            problems.append(
                RecordProblem(record.where, f"{name} is not in this project (no id or text match)")
            )
            continue
        else:
            matched += 1
        if record.status == "done" and not options.as_suggestions:
            finished.append(doc.id)
        record_key = record.id if record.id is not None else record.where
        placement.documents[record_key] = doc.id
        placement.pending.extend((record_key, doc.id, r) for r in record.relations)
        spans = record.spans
        if record.text and doc.text != record.text and not record.tokens:
            # offsets into the record's text: they must cover the same words in ours
            spans = tuple(
                s
                if s.text is not None
                else dataclasses.replace(s, text=record.text[s.start : s.end])
                for s in spans
            )
        if record.text and doc.text != record.text and "\r\n" in doc.text:
            spans = _from_lf(doc.text, record.text, spans)
        if record.tokens and doc.text != record.text:
            aligned = _align(record, doc.text)
            if aligned is None:
                problems.append(
                    RecordProblem(record.where, f"its tokens do not match the text of {doc.id}")
                )
                continue
            spans = aligned
        seen: set[tuple[tuple[int, int, str], str | None]] = set()
        corrected = proposals(doc) if options.as_suggestions else set()
        text = doc.text  # once per record, not per span (a decoded text's cache is locked)
        # a document with no spans yet (one this import makes) has nothing to compare with
        empty = doc.span_count == 0 and not corrected
        # new spans are validated in one call per record (a third of the time of one
        # call each); ``made`` holds them until then, and is flushed before anything
        # looks at the spans this import made (a duplicate in the same record)
        made: list[tuple[str | None, dict[str, Any]]] = []
        for n, imported in enumerate(spans):
            label = options.label_map.get(imported.label, imported.label)
            if label not in labels and options.add_labels:
                labels.add(label)
                new_labels.append(label)
            problem = _check(doc, text, imported, label, labels)
            if not problem and options.author is None and imported.author is not None:
                problem = author_problem(imported.author)
            if problem:
                problems.append(RecordProblem(f"{record.where}, span {n + 1}", problem))
                continue
            key = (imported.start, imported.end, label)
            # a span is already there only in its own annotator's layer
            who = options.author or spelled_as_known(imported.author, known_names)
            # predictions, like an extractor's suggestions, never come back once a person
            # decided on them (rejected, corrected, or tagged most of the range already)
            if (key, who) in seen or (
                not empty
                and (
                    why_not_proposed(doc, *key, corrected)
                    if options.as_suggestions
                    else is_known(doc, *key, author=who)
                )
            ):
                known += 1
                _flush(made, placement, record_key, doc.id, changes)
                there = _existing(doc, key, placement.new_spans.get(doc.id, []), who)
                if there is not None:  # its relations attach to the span already there
                    placement.place(record_key, imported.id, doc.id, there)
                continue
            seen.add((key, who))
            made.append((imported.id, _span_fields(text, imported, label, options, now, who)))
        _flush(made, placement, record_key, doc.id, changes)
    count = len(changes)
    found: list[tuple[str, str]] = []
    linked, new_types, known_links = plan_relations(
        project,
        placement,
        add_types=options.add_labels,
        as_suggestions=options.as_suggestions,
        origin=options.origin,
        problems=found,
        author=options.author,
        known_names=known_names,
    )
    problems.extend(RecordProblem(where, what) for where, what in found)
    kind = "suggestion" if options.as_suggestions else "span"
    text = f"Import {count_of(count, kind)}"
    if linked:
        text += f" and {count_of(len(linked), 'relation')}"
    signer = options.author or project.annotator or UNSIGNED  # whose "done" it is
    said = tuple(
        StatusChange(d, signer, project.work.status(signer, d), "done")
        for d in dict.fromkeys(finished)
        if project.work.status(signer, d) != "done"
    )
    batch = Batch(text, (*changes, *linked, *said))
    plan = ImportPlan(batch, problems, matched, known + known_links, new_docs, new_labels)
    plan.new_relation_types = new_types
    plan.originals, plan.already = originals, plan_already
    return plan


def _existing(
    doc: Document, key: tuple[int, int, str], new: list[Span], author: str | None
) -> Span | None:
    """The span with this range and label, already in the document or this import (by
    ``author``, when the import is one annotator's work)."""
    for span in [*doc.spans_overlapping(key[0], key[1]), *new]:
        if (span.start, span.end, span.label) == key and (author is None or span.author == author):
            return span
    return None


def _from_lf(text: str, lf_text: str, spans: tuple[ImportedSpan, ...]) -> tuple[ImportedSpan, ...]:
    """Offsets into ``text`` with ``\r\n`` turned into ``\n`` (brat) moved back onto ``text``."""
    if text.replace("\r\n", "\n") != lf_text:
        return spans
    crs = [i for i in range(len(text) - 1) if text[i] == "\r" and text[i + 1] == "\n"]

    def back(pos: int) -> int:
        k = 0  # how many \r\n end before lf position pos
        while k < len(crs) and crs[k] - k < pos:
            k += 1
        return pos + k

    return tuple(
        dataclasses.replace(s, start=back(s.start), end=back(s.end), text=None) for s in spans
    )


def _align(record: ImportedDocument, text: str) -> tuple[ImportedSpan, ...] | None:
    """Move spans from the record's rebuilt text onto ``text`` token by token."""
    mapping: dict[int, int] = {}
    src = 0
    dst = 0
    for token in record.tokens:
        src = record.text.index(token, src)
        while dst < len(text) and text[dst].isspace():
            dst += 1
        if not text.startswith(token, dst):
            return None
        mapping[src] = dst
        mapping[src + len(token)] = dst + len(token)
        src += len(token)
        dst += len(token)
    out = []
    for span in record.spans:
        if span.start not in mapping or span.end not in mapping:
            return None
        a, b = mapping[span.start], mapping[span.end]
        out.append(dataclasses.replace(span, start=a, end=b, text=None))
    return tuple(out)


def _check(
    doc: Document, text: str, span: ImportedSpan, label: str, labels: set[str]
) -> str | None:
    """What is wrong with an imported span for ``doc`` (whose text is ``text``), or None."""
    if span.start < 0:
        return f"offsets {span.start}-{span.end} start before the text (at a negative offset)"
    if not span.start < span.end:
        return f"offsets {span.start}-{span.end} are not a range (start must be before end)"
    if span.end > len(text):
        return f"offsets {span.start}-{span.end} run past the end of {doc.id} ({len(text)})"
    found = text[span.start : span.end]
    if span.text is not None and found != span.text:
        return (
            f"text {_short(span.text)!r} does not match {doc.id} at {span.start}-{span.end}, "
            f"which reads {_short(found)!r}"
        )
    if label not in labels:
        return f"unknown label {label!r} (known: {', '.join(sorted(labels))}; map it with --map)"
    if span.status is not None and span.status not in STATUSES:
        return f"unknown status {span.status!r}"
    return None


def _flush(
    made: list[tuple[str | None, dict[str, Any]]],
    placement: Placement,
    record_key: str,
    doc_id: str,
    changes: list[Change],
) -> None:
    """The spans ``made`` (file id, fields) validated in one call, placed, and added."""
    if not made:
        return
    new = placement.new_spans.setdefault(doc_id, [])
    spans = SPAN_LIST.validate_python([raw for _id, raw in made])
    for (file_id, _raw), span in zip(made, spans, strict=True):
        placement.place(record_key, file_id, doc_id, span)
        new.append(span)
        changes.append(SpanChange(doc_id, None, span))
    made.clear()


def _span_fields(
    text: str,
    span: ImportedSpan,
    label: str,
    options: ImportOptions,
    now: datetime,
    author: str | None,
) -> dict[str, Any]:
    """The fields of the span an imported one becomes in a document whose text is
    ``text`` (validated with the others of its record)."""
    if options.as_suggestions:
        origin, status = options.origin, "pending"
    else:
        origin, status = span.origin or MANUAL, span.status or "accepted"
    return {
        "id": new_span_id(),
        "start": span.start,
        "end": span.end,
        "label": label,
        "text": text[span.start : span.end],
        "note": span.note,
        "attributes": dict(span.attributes),
        "origin": origin,
        "author": author,
        "status": status,
        "score": span.score,
        "created": now,  # an import happens at one moment: one time for all its spans
        "modified": now,
    }


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
