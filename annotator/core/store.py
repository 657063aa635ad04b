"""Reading and writing a project folder: ``annotator.json`` beside its articles.

Loading never writes and never drops data: spans whose article changed are
re-anchored by their text or kept as orphans, documents whose article is missing
are kept as records, and every finding goes into a :class:`LoadReport`. Saving is
atomic (temporary file, fsync, replace) and keeps the previous file as a backup.
"""

from __future__ import annotations

import gc
import heapq
import itertools
import json
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import pydantic_core
from pydantic import TypeAdapter, ValidationError

from annotator.core.anchor import reanchor
from annotator.core.models import (
    DEFAULT_LABELS,
    PROJECT_FILE_NAME,
    READABLE_VERSIONS,
    SCHEMA_VERSION,
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
from annotator.core.safejson import JSONProblem, loads_checked
from annotator.core.text import decode_article, first_line_title, looks_like_id, text_hash
from annotator.core.wording import count as count_of
from annotator.core.wording import quoted

ARTICLE_SUFFIXES = (".txt", ".md")
BACKUP_SUFFIX = ".bak"
UNKNOWN_LABEL_COLOR = "#9e9e9e"
# Larger articles are refused with a message: a 50 MB text takes 8 s and 500 MB to show
# (measured), and no article this tool is for comes near this size.
MAX_ARTICLE_BYTES = 10_000_000


_SPANS = TypeAdapter(list[Span])


class ProjectError(Exception):
    """The project cannot be opened; the message says what and where, in plain words."""


FileStamp = tuple[int, int, int]  # st_mtime_ns, st_size, st_ino


def file_stamp(path: Path) -> FileStamp | None:
    """What identifies one version of a file on disk, or None if it does not exist."""
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size, st.st_ino)


class ChangedOnDisk(OSError):
    """The project file changed on disk since it was read; the save did not replace it."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            f"{path} was changed by another program since Annotator read it; not overwritten"
        )
        self.path = path


@dataclass(frozen=True)
class Problem:
    severity: str  # "error" or "warning"
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.severity}: {self.where}: {self.message}"


@dataclass
class LoadReport:
    problems: list[Problem] = field(default_factory=list)
    created: bool = False  # the folder had no project file and became a project now
    # what could not be read and may hold work (lines of the edit journal): never say
    # "nothing was lost" while this is set
    maybe_lost: list[str] = field(default_factory=list)

    def warn(self, where: str, message: str) -> None:
        self.problems.append(Problem("warning", where, message))

    def error(self, where: str, message: str) -> None:
        self.problems.append(Problem("error", where, message))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def project_file(root: Path) -> Path:
    return root / PROJECT_FILE_NAME


def is_project(path: Path) -> bool:
    return project_file(path).is_file()


def resolve_root(path: Path) -> Path:
    """The project folder for a path given by the user (a folder or its annotator.json)."""
    path = path.expanduser()
    if path.is_file() and path.name == PROJECT_FILE_NAME:
        return path.parent.resolve()
    if path.is_dir() and path.name == PROJECT_FILE_NAME:
        path = path.parent  # the project file given, and it is a folder: refused below
    if path.is_dir():
        root = path.resolve()
        _check_project_file(root)
        return root
    if not path.exists():
        raise ProjectError(f"{path} does not exist")
    raise ProjectError(f"{path} is not a folder of articles or an {PROJECT_FILE_NAME} file")


def _check_project_file(root: Path) -> None:
    """Refuse a folder whose ``annotator.json`` exists but is not a regular file (a folder,
    a dangling link, a device): it can be neither read nor replaced by a save."""
    file = project_file(root)
    if file.is_file() or not (file.exists() or file.is_symlink()):
        return
    what = (
        "a folder"
        if file.is_dir()
        else "a link to nothing"
        if not file.exists()
        else "not a regular file"
    )
    raise ProjectError(
        f"{file} is {what}, not a project file, so Annotator can neither read the project "
        f"nor save it. Move it away (or rename it) and open the folder again. Nothing was changed."
    )


def safe_article_path(root: Path, relative: str) -> Path:
    """``root / relative``, refusing anything that ends up outside the project folder
    (``..``, an absolute path, a symlink out). Plain ``os.path`` calls: this runs once
    per article on every open, and pathlib's objects cost 0.2 ms each here."""
    base = os.path.realpath(root)
    candidate = os.path.realpath(os.path.join(base, relative))
    if not candidate.startswith(base + os.sep):
        raise ProjectError(f"{relative!r} points outside the project folder")
    return Path(candidate)


# --- opening ---------------------------------------------------------------------------


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
    for rel in find_articles(root):
        _add_article(project, rel, report)
    if not project.documents:
        raise ProjectError(f"{root} holds no .txt or .md articles and no {PROJECT_FILE_NAME}")
    return project, report


def find_articles(root: Path) -> list[str]:
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "_")))
        for name in sorted(filenames):
            if name.lower().endswith(ARTICLE_SUFFIXES) and not name.startswith("."):
                found.append(Path(dirpath, name).relative_to(root).as_posix())
    return found


def _document_id(project: Project, rel: str) -> str:
    base = re.sub(r"[^\w.-]+", "-", rel.rsplit(".", 1)[0]).strip("-") or "document"
    candidate, n = base, 2
    while project.has_document(candidate):
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def read_article(root: Path, rel: str) -> str | None:
    """An article's text as loading reads it (decoded, size and binary checked), or None."""
    return _read_article(root, rel, LoadReport())


def _read_article(root: Path, rel: str, report: LoadReport) -> str | None:
    try:
        path = safe_article_path(root, rel)
        size = path.stat().st_size
        if size > MAX_ARTICLE_BYTES:
            report.error(
                rel,
                f"the article is {size / 1e6:.1f} MB; Annotator opens articles up to "
                f"{MAX_ARTICLE_BYTES / 1e6:.0f} MB. Split it into smaller files (by chapter "
                "or section); it was not opened and nothing was changed",
            )
            return None
        data = path.read_bytes()
    except ProjectError as exc:
        report.error(rel, str(exc))
        return None
    except OSError as exc:
        report.error(rel, f"cannot read the article: {exc.strerror or exc}")
        return None
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        report.error(rel, "this looks like a binary file, not text")
        return None
    decoded = decode_article(data)
    if decoded.warning:
        report.warn(rel, decoded.warning)
    return decoded.text


def _add_article(project: Project, rel: str, report: LoadReport) -> None:
    text = _read_article(project.root, rel, report)
    if text is None:
        return
    stem = Path(rel).stem
    # a file named by an id: the article's first line says more
    title = (first_line_title(text) if looks_like_id(stem) else "") or stem.replace("_", " ")
    project.add_document(Document(id=_document_id(project, rel), path=rel, text=text, title=title))


def read_project_raw(root: Path) -> dict[str, Any]:
    """``annotator.json`` parsed (and migrated to the current version).

    Raises :class:`ProjectError` when the file as a whole cannot be used: not UTF-8,
    empty, not JSON, not an object, or written by a newer Annotator.
    """
    file = project_file(root)
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise ProjectError(f"{file}: cannot read: {exc.strerror or exc}") from exc
    data = data.removeprefix(b"\xef\xbb\xbf")
    # Parsed from the bytes, without first decoding a str of the whole file (four bytes
    # per character once one emoji is in it), repeated strings shared; a file laid out
    # as Annotator writes it is parsed a document at a time (see _parse_in_pieces).
    raw = _parse_in_pieces(data)
    if raw is None:
        try:
            raw = pydantic_core.from_json(data, cache_strings="all")
        except ValueError:
            raw = _parse_strictly(file, root, data)  # the exact message, or what json accepts
    if not isinstance(raw, dict):
        raise ProjectError(f"{file}: expected a JSON object at the top level")
    version = raw.get("schema_version", SCHEMA_VERSION)
    if isinstance(version, int) and not isinstance(version, bool) and version > SCHEMA_VERSION:
        raise ProjectError(
            f"{file}: schema_version {version} was written by a newer Annotator; "
            f"this one reads versions up to {SCHEMA_VERSION}. Nothing was changed."
        )
    if version not in READABLE_VERSIONS:
        known = ", ".join(str(v) for v in READABLE_VERSIONS)
        raise ProjectError(f"{file}: schema_version {version!r} is not one of {known}")
    if version != SCHEMA_VERSION:
        raw = migrate(raw)
    if not isinstance(raw.get("documents", []), list) or not isinstance(
        raw.get("labels", []), list
    ):
        raise ProjectError(f"{file}: 'documents' and 'labels' must be lists")
    return raw


_DOCS_OPEN = b'\n  "documents": [\n    {\n'
_DOCS_BETWEEN = b"\n    },\n    {\n"
_DOCS_CLOSE = b"\n    }\n  ]\n}"


def _parse_in_pieces(data: bytes) -> dict[str, Any] | None:
    """The file parsed one document record at a time, if it is laid out as Annotator
    writes it (else None, and the caller parses it whole).

    One parse of a 50 MB file is a single 0.3 s step; when the file is read on a
    thread, the window could not draw during it. Parsed per record, it can between
    any two. The layout is recognised by bytes that can only be structure (a JSON
    string cannot hold a raw newline): the top-level ``"documents"`` list, two-space
    indented, and records separated by ``},`` and ``{`` on lines of their own.
    """
    start = data.find(_DOCS_OPEN)
    end = data.rfind(_DOCS_CLOSE)
    if start < 0 or end < start or data[end + len(_DOCS_CLOSE) :].strip():
        return None
    try:
        top = pydantic_core.from_json(data[:start] + b'\n  "documents": []\n}')
        if not isinstance(top, dict) or top.get("documents") != []:
            return None
        records = []
        pos = start + len(_DOCS_OPEN) - 2  # at the first record's "{"
        stop = end + len(b"\n    }")  # just after the last record's "}"
        while True:
            cut = data.find(_DOCS_BETWEEN, pos, stop)
            record = pydantic_core.from_json(
                data[pos : stop if cut < 0 else cut + 6], cache_strings="all"
            )
            if not isinstance(record, dict):
                return None
            records.append(record)
            if cut < 0:
                break
            pos = cut + len(_DOCS_BETWEEN) - 2
    except ValueError:
        return None
    top["documents"] = records
    return top


def _parse_strictly(file: Path, root: Path, data: bytes) -> Any:
    """The careful reading of a file the fast parser refused: a message that names the
    line and column, in plain words, for every kind of broken or hostile JSON (see
    :mod:`annotator.core.safejson`), never a traceback."""
    try:
        raw_text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProjectError(
            f"{file}: not UTF-8 text (byte {exc.start}){_backup_hint(root)}"
        ) from exc
    if not raw_text.strip():
        raise ProjectError(f"{file}: the file is empty{_backup_hint(root)}")
    try:
        return loads_checked(raw_text)
    except JSONProblem as exc:
        where = f"{file}, line {exc.line}, column {exc.column}" if exc.line else str(file)
        raise ProjectError(f"{where}: {exc.message}{_backup_hint(root)}") from None


def read_project_file(root: Path) -> ProjectFile:
    """Parse and validate ``annotator.json`` strictly; :class:`ProjectError` lists every problem."""
    raw = read_project_raw(root)
    try:
        return ProjectFile.model_validate(raw)
    except ValidationError as exc:
        raise ProjectError(
            f"{project_file(root)}:\n" + describe_validation_error(exc, raw)
        ) from exc


def _backup_hint(root: Path) -> str:
    bak = root / f".{PROJECT_FILE_NAME}{BACKUP_SUFFIX}"
    if bak.is_file():
        return (
            f". The previous save is kept in {bak.name} (copy it over {PROJECT_FILE_NAME} "
            "to go back to it). Nothing was changed."
        )
    return ". Nothing was changed."


def migrate(raw: dict[str, Any]) -> dict[str, Any]:
    """Bring an older project file up to :data:`SCHEMA_VERSION` (on load; saved on the next save).

    Version 1 → 2: spans gained ``status``, ``score`` and ``proposed``, whose defaults
    (``accepted``, none, none) say exactly what a version-1 span was.
    """
    raw = dict(raw)
    raw["schema_version"] = SCHEMA_VERSION
    return raw


def describe_validation_error(exc: ValidationError, raw: object) -> str:
    lines = []
    for err in exc.errors():
        loc = list(err["loc"])
        where = describe_location(loc, raw)
        lines.append(f"  {where}: {err['msg']}")
    return "\n".join(lines)


def describe_location(loc: list[str | int], raw: object) -> str:
    parts: list[str] = []
    node = raw
    for key in loc:
        if isinstance(key, int):
            parts[-1:] = [f"{parts[-1] if parts else ''}[{key}]"]
        else:
            parts.append(str(key))
        try:
            node = node[key]  # type: ignore[index]
        except (KeyError, IndexError, TypeError):
            node = None
        if isinstance(node, dict) and isinstance(key, int) and "id" in node:
            parts[-1] += f" (id {node['id']})"
    return ".".join(parts) or "top level"


def _brief(exc: ValidationError) -> str:
    """A validation error in one line: each field and what is wrong with it."""
    parts = []
    for err in exc.errors():
        field_name = ".".join(str(k) for k in err["loc"]) or "value"
        message = str(err["msg"]).removeprefix("Value error, ")
        parts.append(message if field_name == "value" else f"{field_name}: {message}")
    return "; ".join(parts)


class IdLines:
    """Line numbers of ``"id": "..."`` in the project file, found in one pass when needed.

    The file is read again for it, only when a problem is reported: holding its bytes
    through every load would add their size (70 MB for 10,000 articles) to the peak.
    """

    _ID = re.compile(rb'"id"\s*:\s*("(?:[^"\\]|\\.)*")')

    def __init__(self, file: Path) -> None:
        self._file = file
        self._lines: dict[str, int] | None = None

    def lazy(self, value: object) -> Callable[[], str]:
        """:meth:`where`, computed only if a problem is reported (most spans have none)."""
        return lambda: self.where(value)

    def where(self, value: object) -> str:
        if self._lines is None:
            self._lines = {}
            try:
                data = self._file.read_bytes()
            except OSError:
                data = b""
            line, pos = 1, 0
            for match in self._ID.finditer(data):
                line += data.count(b"\n", pos, match.start())
                pos = match.start()
                try:
                    self._lines.setdefault(json.loads(match.group(1)), line)
                except ValueError:
                    continue
        number = self._lines.get(value) if isinstance(value, str) else None
        return PROJECT_FILE_NAME + (f", line {number}" if number else "")


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
    raw = read_project_raw(root)
    report = LoadReport()
    lines = IdLines(project_file(root))
    for key in raw:
        if key not in ProjectFile.model_fields:
            report.warn(PROJECT_FILE_NAME, f"unknown field {key!r} is ignored and not saved")
    project = Project(root=root, labels=_read_labels(raw.get("labels"), report), disk_stamp=stamp)
    # every path the file names, even in records that cannot be used, is not a new article
    known_paths = {
        r["path"]
        for r in raw.get("documents", [])
        if isinstance(r, dict) and isinstance(r.get("path"), str)
    }
    labels = set(project.label_names())
    raw_records = raw.get("documents", [])
    total = sum(_span_total(r) + 1 for r in raw_records)
    done = 0
    for index, raw_record in enumerate(raw_records):
        if cancelled():
            raise Cancelled
        done += _span_total(raw_record) + 1
        progress(done, total)
        # the parsed record is dropped once read, so the file's parsed form and the
        # project do not both sit in memory whole (records kept raw stay referenced)
        raw_records[index] = None
        record = _read_record(project, index, raw_record, report, lines)
        if record is None:
            continue
        known_paths.add(record.path)
        where = lines.lazy(record.id)
        text = _read_article(root, record.path, report)
        if text is None:
            spans = raw_record.get("spans", [])
            count = len(spans) if isinstance(spans, list) else 0
            report.warn(
                where(),
                f"document {record.id}: kept its {count_of(count, 'span')} but cannot show it",
            )
            project.detached.append(raw_record)
            continue
        doc = Document(
            id=record.id,
            path=record.path,
            text=text,
            title=record.title,
            source=record.source,
            meta=dict(record.meta),
        )
        if record.text_hash and record.text_hash != text_hash(text):
            report.warn(
                where(),
                f"document {record.id}: the article text changed since the last save; "
                "re-anchoring its spans",
            )
        raw_spans = raw_record.get("spans", [])
        if not isinstance(raw_spans, list):
            report.error(where(), f"document {record.id}: 'spans' is not a list; kept as it is")
            doc.unreadable.append(raw_spans)
            raw_spans = []
        seen_ids: set[str] = set()  # a span is addressed by document and id
        checked: list[Span | None] = []
        for i in range(0, len(raw_spans), _LOAD_CHUNK):
            # A chunk at a time (one call each: a loading thread leaves the GUI thread
            # room between them), else one by one to report each bad span.
            chunk = raw_spans[i : i + _LOAD_CHUNK]
            try:
                checked.extend(_SPANS.validate_python(chunk))
            except ValidationError:
                checked.extend(_read_span(doc, raw_span, report, lines) for raw_span in chunk)
            if len(raw_spans) > _LOAD_CHUNK:
                if cancelled():
                    raise Cancelled
                progress(done - len(raw_spans) + i + len(chunk), total)
        for span in checked:
            if span is not None:
                span = _checked_span(project, doc, span, seen_ids, labels, report, lines)
            if span is not None:
                doc.put_span(span)
        project.add_document(doc)
    for rel in find_articles(root):
        if rel not in known_paths:
            report.warn(rel, "new article in the project folder; added to the project")
            _add_article(project, rel, report)
    return project, report


_LOAD_CHUNK = 2000  # spans validated in one call: about 4 ms


def _span_total(raw_record: object) -> int:
    spans = raw_record.get("spans") if isinstance(raw_record, dict) else None
    return len(spans) if isinstance(spans, list) else 0


def _read_labels(raw: object, report: LoadReport) -> list[Label]:
    if raw is None:
        return list(DEFAULT_LABELS)
    labels: list[Label] = []
    for index, item in enumerate(raw if isinstance(raw, list) else []):
        try:
            label = Label.model_validate(item)
        except ValidationError as exc:
            problem = _brief(exc)
            try:  # a bad colour alone should not cost the label its key and description
                label = Label.model_validate({**item, "color": UNKNOWN_LABEL_COLOR})
            except (ValidationError, TypeError):
                report.error(
                    PROJECT_FILE_NAME,
                    f"label {index + 1} cannot be read ({problem}); its spans get a grey stand-in",
                )
                continue
            report.warn(PROJECT_FILE_NAME, f"label {label.name!r}: {problem}; shown grey")
        if any(lb.name == label.name for lb in labels):
            report.warn(
                PROJECT_FILE_NAME,
                f"the label {label.name!r} is defined twice; the first one counts",
            )
            continue
        labels.append(label)
    return labels


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
        record = DocumentRecord.model_validate({**raw, "spans": []})
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
        report.warn(where(), f"span id {span.id} appears twice; the second one is now {new_id}")
        span = replace_span(span, id=new_id)
    seen_ids.add(span.id)
    if span.label not in known_labels:
        known_labels.add(span.label)
        report.warn(where(), f"{name} has the unknown label {span.label!r}; label added")
        project.labels.append(Label(name=span.label, color=UNKNOWN_LABEL_COLOR))
    if doc.text[span.start : span.end] == span.text:
        return span
    if span.end > len(doc.text):
        length = count_of(len(doc.text), "character")
        why = f"ends at {span.end}, past the end of the article ({length})"
    else:
        why = f"no longer covers {quoted(span.text)} at {span.start}-{span.end}"
    moved = reanchor(doc.text, span)
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

_CHUNK = 500


@dataclass(frozen=True)
class _DocumentSnapshot:
    id: str
    path: str
    title: str
    source: str
    text: str
    meta: dict[str, str]
    spans: list[Span]  # unsorted; spans are immutable, so sharing them is safe
    unreadable: list[Any]  # raw spans that could not be read


@dataclass(frozen=True)
class Snapshot:
    """What a save writes, taken in O(spans) pointer copies so it can be written elsewhere.

    Taking it is cheap and happens on the thread that owns the project; turning it
    into JSON and writing it (:func:`write_snapshot`) may run on another thread.
    """

    root: Path
    labels: list[Label]
    documents: list[_DocumentSnapshot]
    detached: list[Any]  # raw records that could not be used, written back as they were
    expected: FileStamp | None = None  # the file on disk must still be this version


@dataclass(frozen=True)
class Saved:
    path: Path
    stamp: FileStamp | None  # the version just written


def snapshot(project: Project) -> Snapshot:
    return Snapshot(
        root=project.root,
        labels=list(project.labels),
        documents=[
            _DocumentSnapshot(
                doc.id,
                doc.path,
                doc.title,
                doc.source,
                doc.text,
                dict(doc.meta),
                [*doc.span_values(), *doc.orphans],
                list(doc.unreadable),
            )
            for doc in project.documents
        ],
        detached=list(project.detached),
        expected=project.disk_stamp,
    )


def _sorted_gently(spans: list[Span]) -> Iterator[Span]:
    """``spans`` in file order, sorted in small pieces merged by a generator.

    One ``sorted()`` of 50,000 spans is a single 30 ms step that a writer thread
    cannot be interrupted in; small sorts and a Python-level merge hand the
    interpreter back to the GUI thread all along.
    """
    runs = [sorted(spans[i : i + _CHUNK], key=Span.sort_key) for i in range(0, len(spans), _CHUNK)]
    return heapq.merge(*runs, key=Span.sort_key)


def _span_chunks(doc: _DocumentSnapshot) -> Iterator[list[Any]]:
    """The document's spans as JSON-ready dicts, dumped one chunk at a time."""
    chunk: list[Span] = []
    for span in _sorted_gently(doc.spans):
        chunk.append(span)
        if len(chunk) == _CHUNK:
            yield _dump_spans(chunk)
            chunk = []
    yield _dump_spans(chunk)
    yield list(doc.unreadable)  # spans that could not be read, written back as they were


def _dump_spans(spans: list[Span]) -> list[dict[str, Any]]:
    dumped: list[dict[str, Any]] = _SPANS.dump_python(spans, mode="json")
    _tidy(dumped)
    return dumped


class _Stream:
    """A JSON array whose items are made while the file is written, never all at once.

    ``chunks`` yields lists of items; each list is encoded in one go.
    """

    def __init__(self, chunks: Iterator[list[Any]]) -> None:
        self.chunks = chunks


def _document_raw(doc: _DocumentSnapshot) -> dict[str, Any]:
    """One document record in the key order of :class:`DocumentRecord`; spans streamed."""
    return {
        "id": doc.id,
        "path": doc.path,
        "title": doc.title,
        "source": doc.source,
        "text_hash": text_hash(doc.text),
        "meta": dict(sorted(doc.meta.items())),
        "spans": _Stream(_span_chunks(doc)),
    }


def _raw_file(snap: Snapshot) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "labels": [label.model_dump(mode="json") for label in snap.labels],
        "documents": _Stream(
            itertools.chain(([_document_raw(doc)] for doc in snap.documents), [snap.detached])
        ),
    }


def to_project_file(project: Project) -> ProjectFile:
    """The project as a validated :class:`ProjectFile` (what a save writes)."""
    return ProjectFile.model_validate(json.loads("".join(_encode(_raw_file(snapshot(project))))))


def write_snapshot(snap: Snapshot, target: Path | None = None) -> Saved:
    """Write a snapshot as the project file, atomically, keeping a backup.

    Raises :class:`ChangedOnDisk`, leaving the file alone, if the project file is no
    longer the version the snapshot expects (``target`` writes elsewhere, unchecked).
    The JSON is encoded and written in pieces, never joined into one 20 MB string:
    no single step holds the interpreter long, so a writer thread leaves the GUI
    thread responsive (``benchmarks/run.py`` measures the longest stall).
    """
    file = target or project_file(snap.root)

    def unchanged() -> None:
        now = file_stamp(file)
        if target is None and now is not None and now != snap.expected:
            raise ChangedOnDisk(file)

    with atomic_writer(file, backup=target is None, before_replace=unchanged) as handle:
        batch: list[str] = []
        size = 0
        for piece in _encode(_raw_file(snap)):
            batch.append(piece)
            size += len(piece)
            if size >= 256_000:  # about 1 ms to join and encode
                handle.write("".join(batch).encode("utf-8"))
                batch.clear()
                size = 0
        handle.write("".join(batch).encode("utf-8"))
    return Saved(file, file_stamp(file))


def dump_project_file(data: ProjectFile) -> str:
    raw = data.model_dump(mode="json")
    for record in raw["documents"]:
        _tidy(record["spans"])
    return "".join(_encode(raw))


def _tidy(spans: list[dict[str, Any]]) -> None:
    """Dumped spans in their stored form: attributes sorted, empty optional fields left out."""
    for span in spans:
        span["attributes"] = dict(sorted(span["attributes"].items()))
        for optional in ("score", "proposed"):
            if optional in span and span[optional] is None:
                del span[optional]


def _encode(raw: dict[str, Any]) -> Iterator[str]:
    """The project file's text in pieces: two-space indent, stable key order.

    The same text as ``json.dumps(raw, indent=2, ensure_ascii=False)``, but arrays
    given as :class:`_Stream` are encoded item by item as they are made, so a
    50,000-span project is never held as one big structure or one big string.
    """
    yield from _pieces(raw, 0)
    yield "\n"


_LEAF = json.JSONEncoder(indent=2, ensure_ascii=False)


def _has_stream(value: Any) -> bool:
    return isinstance(value, dict) and any(isinstance(v, _Stream) for v in value.values())


def _pieces(value: Any, level: int) -> Iterator[str]:
    pad = "\n" + "  " * level
    inner = "," + pad + "  "  # between two items one level down
    if _has_stream(value):
        sep = "{" + pad + "  "
        for key, item in value.items():
            yield sep + json.dumps(key, ensure_ascii=False) + ": "
            yield from _pieces(item, level + 1)
            sep = inner
        yield pad + "}"
    elif isinstance(value, _Stream):
        sep = "[" + pad + "  "
        for chunk in value.chunks:
            if any(_has_stream(item) for item in chunk):
                for item in chunk:
                    yield sep
                    yield from _pieces(item, level + 1)
                    sep = inner
            elif chunk:
                # One encode for the whole chunk; the text between its brackets is the items.
                # (indent= makes json use its pure-Python encoder, which yields to other threads.)
                text = _LEAF.encode(chunk).replace("\n", pad)
                yield sep + text[len(pad) + 3 : -len(pad) - 1]
                sep = inner
        yield "[]" if sep.startswith("[") else pad + "]"
    else:
        yield _LEAF.encode(value).replace("\n", pad)


def save_project(project: Project) -> Path:
    """Save on this thread; :class:`ChangedOnDisk` if someone else changed the file."""
    saved = write_snapshot(snapshot(project))
    project.disk_stamp = saved.stamp
    return saved.path


def atomic_write_text(path: Path, text: str, *, backup: bool = False) -> None:
    atomic_write_bytes(path, text.encode("utf-8"), backup=backup)


def atomic_write_bytes(path: Path, data: bytes, *, backup: bool = False) -> None:
    """Write ``data`` so that ``path`` holds either the old or the new bytes, never a mix."""
    with atomic_writer(path, backup=backup) as handle:
        handle.write(data)


@contextmanager
def atomic_writer(
    path: Path, *, backup: bool = False, before_replace: Callable[[], None] | None = None
) -> Iterator[BinaryIO]:
    """A binary handle whose content replaces ``path`` only when the block ends without error.

    ``before_replace`` runs after the new content is on disk and may raise to cancel.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(tmp_name)
    try:
        os.chmod(tmp, _file_mode(path))
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        if before_replace is not None:
            before_replace()
        if backup and path.exists():
            _copy_for_backup(path, path.with_name(f".{path.name}{BACKUP_SUFFIX}"))
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def _file_mode(path: Path) -> int:
    """Keep an existing file's permissions; new files get the usual 0666 minus the umask."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        return 0o666 & ~_UMASK


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _current_umask()


def _copy_for_backup(path: Path, bak: Path) -> None:
    # A copy, not a rename: the project file must exist at every instant.
    atomic_write_bytes(bak, path.read_bytes())


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
