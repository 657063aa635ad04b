"""Loading a project: every readable part opens, every problem is reported.

Loading never writes and never drops data: spans whose article changed are
re-anchored by their text or kept as orphans, documents whose article is missing are
kept as records, and every finding goes into a :class:`~annotator.io.report.LoadReport`.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from annotator.core.anchor import reanchor
from annotator.core.models import (
    PROJECT_FILE_NAME,
    SPAN_LIST,
    DocumentRecord,
    Label,
    ProjectFile,
    Span,
    new_span_id,
    replace_span,
    span_from_json,
)
from annotator.core.progress import Cancelled, IsCancelled, Progress, never_cancelled, no_progress
from annotator.core.project import Document, Project
from annotator.core.text import first_line_title, looks_like_id
from annotator.core.wording import count as count_of
from annotator.core.wording import quoted
from annotator.io.atomic import FileStamp, file_stamp
from annotator.io.definitions import (
    UNKNOWN_LABEL_COLOR,
    read_cluster_names,
    read_labels,
    read_relation_types,
)
from annotator.io.layer_reading import place_layer_relations, read_layer_spans
from annotator.io.layers import in_git_work_tree
from annotator.io.lazy import SpansAt, StoredFile, StoredSpans
from annotator.io.parse import read_project_for_loading
from annotator.io.paths import (
    _document_id,
    _read_article,
    is_project,
    project_file,
    read_article_bytes,
    resolve_root,
    scan_folder,
)
from annotator.io.placing import place_relations
from annotator.io.report import IdLines, LoadReport, ProjectError, _brief
from annotator.io.work_file import read_shared_work

# Larger articles are refused with a message: a 50 MB text takes 8 s and 500 MB to show
# (measured), and no article this tool is for comes near this size.


def open_project(
    path: Path, progress: Progress = no_progress, cancelled: IsCancelled = never_cancelled
) -> tuple[Project, LoadReport]:
    """Open a project folder, or turn a folder of ``.txt``/``.md`` articles into one.

    A new project is only held in memory; the caller saves it. ``progress`` and
    ``cancelled`` as in :func:`load_project`.
    """
    root = resolve_root(path)
    if is_project(root):
        return load_project(root, progress, cancelled)
    report = LoadReport(created=True)
    project = Project(root=root)
    articles, project.pages_found = scan_folder(root)
    for rel in articles:
        _add_article(project, rel, report)
    if not project.documents and not project.pages_found:
        raise ProjectError(
            f"{root} holds no articles (.txt, .md, saved web pages or PDFs) and no "
            f"{PROJECT_FILE_NAME}"
        )
    project.team = in_git_work_tree(root)  # each clone's work in its own layer file
    return project, report


def _add_article(project: Project, rel: str, report: LoadReport) -> None:
    text = _read_article(project.root, rel, report)
    if text is None:
        return
    stem = Path(rel).stem
    # a file named by an id: the article's first line says more
    title = (first_line_title(text) if looks_like_id(stem) else "") or stem.replace("_", " ")
    project.add_document(Document(id=_document_id(project, rel), path=rel, text=text, title=title))


def load_project(
    root: Path, progress: Progress = no_progress, cancelled: IsCancelled = never_cancelled
) -> tuple[Project, LoadReport]:
    """Open a saved project: every readable part opens, every problem is reported.

    Only a file that cannot be used at all raises :class:`ProjectError`. A bad label,
    document record or span is reported with its line and id and kept exactly as it
    was, to be written back on save; nothing is dropped and nothing on disk changes.
    ``progress(done, total)`` counts spans read; :class:`Cancelled` is raised when
    ``cancelled()`` turns true.
    """
    # Loading allocates hundreds of thousands of objects and no reference cycles; the
    # cyclic collector's passes over them cost a quarter of the time (benchmarks/run.py).
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _load_project(root, progress, cancelled)
    finally:
        if enabled:
            gc.enable()


def _load_project(
    root: Path, progress: Progress, cancelled: IsCancelled
) -> tuple[Project, LoadReport]:
    stamp = file_stamp(project_file(root))  # before reading: a change after it is noticed
    raw, stored = read_project_for_loading(root)
    project, report = _load_parsed(root, raw, stored, stamp, progress, cancelled)
    if not project.team and in_git_work_tree(root):
        project.team = True  # each clone's work in its own layer file: merges cleanly
    return project, report


def _load_parsed(  # noqa: C901
    root: Path,
    raw: dict[str, Any],
    stored: StoredFile | None,
    stamp: FileStamp | None,
    progress: Progress,
    cancelled: IsCancelled,
) -> tuple[Project, LoadReport]:
    """Long on purpose: the loading loop (lazy spans, missing articles, cancellation, progress)
    reads each record once and drops it; split, the parts would share all of its state.
    Covered by tests/test_broken_input.py and tests/test_hostile_readers.py.
    """
    report = LoadReport()
    lines = IdLines(project_file(root))
    for key in raw:
        if key not in ProjectFile.model_fields:
            report.warn(PROJECT_FILE_NAME, f"unknown field {key!r} is ignored and not saved")
    project = Project(root=root, labels=read_labels(raw.get("labels"), report), disk_stamp=stamp)
    # every path the file names, even in records that cannot be used, is not a new article
    known_paths = {
        r["path"]
        for r in raw.get("documents", [])
        if isinstance(r, dict) and isinstance(r.get("path"), str)
    }
    project.relation_types = read_relation_types(raw.get("relation_types"), report)
    # relations are placed once every document is loaded: (record's document or None, raw)
    raw_relations: list[tuple[str | None, object]] = []
    raw_links = raw.get("links", [])
    raw_records = raw.get("documents", [])
    total = sum(_span_total(r) + 1 for r in raw_records)
    done = 0

    # where spans left in the file report what is wrong when they are read: this
    # load's report while it runs (relations read the documents they end in), then
    # the project's late_problems
    sink = [report]
    dirs: dict[str, str] = {}  # real paths of folders resolved (see safe_article_path)

    def read_later(doc: Document, raw_spans: list[Any]) -> list[Span]:
        before = len(project.late_problems)
        spans = _read_spans(project, doc, raw_spans, sink[0], lines)
        if len(project.late_problems) > before and project.on_late_problems is not None:
            project.on_late_problems()
        return spans

    for index, raw_record in enumerate(raw_records):
        if cancelled():
            raise Cancelled
        done += _span_total(raw_record) + 1
        progress(done, total)
        # the parsed record is dropped once read, so the file's parsed form and the
        # project do not both sit in memory whole (records kept raw stay referenced)
        raw_records[index] = None
        raw_spans = raw_record.get("spans", []) if isinstance(raw_record, dict) else []
        counted = None
        if isinstance(raw_spans, SpansAt):
            assert stored is not None
            if isinstance(raw_record.get("text_hash"), str) and raw_record["text_hash"]:
                counted = raw_spans.counted(project.label_names())
            if counted is None:  # read now: whatever is wrong is reported at once
                raw_spans = raw_record["spans"] = stored.parse(raw_spans)
        record = _read_record(project, index, raw_record, report, lines)
        if record is None:
            if isinstance(raw_spans, SpansAt):  # kept as it was: with its spans
                assert stored is not None
                raw_record["spans"] = stored.parse(raw_spans)
            continue
        in_record = raw_record.get("relations", [])
        known_paths.add(record.path)
        where = lines.lazy(record.id)
        read = read_article_bytes(root, record.path, report, dirs)
        if read is None:
            if isinstance(raw_spans, SpansAt):
                assert stored is not None
                raw_spans = raw_record["spans"] = stored.parse(raw_spans)
            count = len(raw_spans) if isinstance(raw_spans, list) else 0
            report.warn(
                where(),
                f"document {record.id}: kept its {count_of(count, 'span')} but cannot show it",
            )
            project.detached.append(raw_record)
            continue
        doc = Document(
            id=record.id,
            path=record.path,
            text=read[0],
            title=record.title,
            source=record.source,
            meta=dict(record.meta),
            utf8=read[1],
        )
        doc.assigned = tuple(record.assigned)
        del read
        changed = bool(record.text_hash) and record.text_hash != doc.text_hash
        if isinstance(raw_spans, SpansAt) and changed:
            assert stored is not None
            raw_spans = stored.parse(raw_spans)
        if isinstance(raw_spans, SpansAt):
            assert stored is not None and counted is not None
            doc.leave_unread(StoredSpans(stored, raw_spans, *counted, read_later))
        else:
            if changed:
                report.warn(
                    where(),
                    f"document {record.id}: the article text changed since the last save; "
                    "re-anchoring its spans",
                )
            if not isinstance(raw_spans, list):
                report.error(where(), f"document {record.id}: 'spans' is not a list; kept as it is")
                doc.unreadable.append(raw_spans)
                raw_spans = []

            def tick(i: int, n: int, before: int = done - len(raw_spans)) -> None:
                if cancelled():
                    raise Cancelled
                progress(before + i + n, total)

            for span in _read_spans(project, doc, raw_spans, report, lines, tick):
                doc.put_span(span)
        project.add_document(doc)
        if isinstance(in_record, list):
            raw_relations.extend((doc.id, r) for r in in_record)
        else:
            report.error(where(), f"document {record.id}: 'relations' is not a list; kept as it is")
            doc.unplaced_relations.append(in_record)
    if isinstance(raw_links, list):
        raw_relations.extend((None, r) for r in raw_links)
    else:
        report.error(PROJECT_FILE_NAME, "'links' is not a list; kept as it is")
        project.detached_relations.append(raw_links)
    articles, project.pages_found = scan_folder(root)
    for rel in articles:
        if rel not in known_paths:
            report.warn(rel, "new article in the project folder; added to the project")
            _add_article(project, rel, report)
    # the layers' spans before any relation: a link in the shared file may end on them
    layer_relations = read_layer_spans(project, report)
    place_relations(project, raw_relations, report, lines)
    place_layer_relations(project, layer_relations, report)
    read_cluster_names(project, raw.get("clusters"), report)
    read_shared_work(project, raw.get("work"), report)
    sink[0] = LoadReport(problems=project.late_problems)
    return project, report


_LOAD_CHUNK = 2000  # spans validated in one call: about 4 ms


def _span_total(raw_record: object) -> int:
    spans = raw_record.get("spans") if isinstance(raw_record, dict) else None
    if isinstance(spans, SpansAt):
        return 1  # counted as one step: nothing is read
    return len(spans) if isinstance(spans, list) else 0


def _read_spans(
    project: Project,
    doc: Document,
    raw_spans: list[Any],
    report: LoadReport,
    lines: IdLines,
    tick: Callable[[int, int], None] | None = None,
) -> list[Span]:
    """A document's spans from the file, checked: broken ones salvaged or kept raw,
    duplicate ids renumbered, unknown labels added, moved text re-anchored."""
    checked: list[Span | None] = []
    for i in range(0, len(raw_spans), _LOAD_CHUNK):
        # A chunk at a time (one call each: a loading thread leaves the GUI thread
        # room between them), else one by one to report each bad span.
        chunk = raw_spans[i : i + _LOAD_CHUNK]
        try:
            checked.extend(SPAN_LIST.validate_python(chunk))
        except ValidationError:
            checked.extend(_read_span(doc, raw_span, report, lines) for raw_span in chunk)
        if tick is not None and len(raw_spans) > _LOAD_CHUNK:
            tick(i, len(chunk))
    seen_ids: set[str] = set()  # a span is addressed by document and id
    labels = set(project.label_names())
    text = doc.text
    out = []
    for span in checked:
        if span is not None:
            span = _checked_span(project, doc, text, span, seen_ids, labels, report, lines)
        if span is not None:
            out.append(span)
    return out


def _read_record(
    project: Project, index: int, raw: object, report: LoadReport, lines: IdLines
) -> DocumentRecord | None:
    """A document record without its spans, or None (then it is kept raw and reported)."""
    ident = raw.get("id") if isinstance(raw, dict) else None
    where = lines.lazy(ident)
    name = f"document {ident}" if isinstance(ident, str) else f"document {index + 1}"
    if not isinstance(raw, dict):
        report.error(where(), f"{name} is not a JSON object; kept as it is")
        project.detached.append(raw)
        return None
    try:
        record = DocumentRecord.model_validate({**raw, "spans": [], "relations": []})
    except ValidationError as exc:
        report.error(where(), f"{name} cannot be read ({_brief(exc)}); kept as it is, not shown")
        project.detached.append(raw)
        return None
    if project.has_document(record.id):
        report.error(
            where(),
            f"document id {record.id!r} appears twice; the second is kept as it is, not shown",
        )
        project.detached.append(raw)
        return None
    return record


def _read_span(doc: Document, raw: object, report: LoadReport, lines: IdLines) -> Span | None:
    """A span from the file; a broken range is rebuilt from its text when it can be."""
    ident = raw.get("id") if isinstance(raw, dict) else None
    where = lines.lazy(ident if ident is not None else doc.id)
    name = f"span {ident}" if isinstance(ident, str) else "a span"
    try:
        return span_from_json(raw)
    except ValidationError as exc:
        problem = _brief(exc).replace(f"{name}: ", "")
    salvaged = _salvage(raw)
    if salvaged is None:
        report.error(
            where(),
            f"{name} in document {doc.id} cannot be read ({problem}); kept as it is, not shown",
        )
        doc.unreadable.append(raw)
        return None
    report.warn(where(), f"{name} in document {doc.id}: {problem}; finding it by its text")
    return salvaged


def _salvage(raw: object) -> Span | None:
    """A span whose offsets are wrong (reversed, or not matching its text) but whose text
    is there: its range is rebuilt from the text, for :func:`reanchor` to place."""
    if not isinstance(raw, dict):
        return None
    text, start = raw.get("text"), raw.get("start")
    if not isinstance(text, str) or not text or not isinstance(start, int) or start < 0:
        return None
    try:
        return span_from_json({**raw, "end": start + len(text)})
    except ValidationError:
        return None


def _checked_span(
    project: Project,
    doc: Document,
    text: str,
    span: Span,
    seen_ids: set[str],
    known_labels: set[str],
    report: LoadReport,
    lines: IdLines,
) -> Span | None:
    where = lines.lazy(span.id)
    name = f"span {span.id} in document {doc.id}"
    if span.id in seen_ids:
        new_id = new_span_id()
        report.warn(
            where(),
            f"span id {span.id} appears twice; the second one is now {new_id} "
            "(relations that name the id stay with the first)",
        )
        span = replace_span(span, id=new_id)
    seen_ids.add(span.id)
    if span.label not in known_labels:
        known_labels.add(span.label)
        report.warn(where(), f"{name} has the unknown label {span.label!r}; label added")
        project.labels.append(Label(name=span.label, color=UNKNOWN_LABEL_COLOR))
    if text[span.start : span.end] == span.text:
        return span
    if span.end > len(text):
        length = count_of(len(text), "character")
        why = f"ends at {span.end}, past the end of the article ({length})"
    else:
        why = f"no longer covers {quoted(span.text)} at {span.start}-{span.end}"
    moved = reanchor(text, span)
    if moved is None:
        report.warn(
            where(),
            f"{name} {why}, and {quoted(span.text)} is not in the article; "
            "kept as an orphan for review",
        )
        doc.orphans.append(span)
        return None
    report.warn(where(), f"{name} {why}; found its text at {moved.start}-{moved.end}")
    return moved


# --- saving ----------------------------------------------------------------------------
