"""Reading and writing a project folder: ``annotator.json`` beside its articles.

Loading never writes and never drops data: spans whose article changed are
re-anchored by their text or kept as orphans, documents whose article is missing
are kept as records, and every finding goes into a :class:`LoadReport`. Saving is
atomic (temporary file, fsync, replace) and keeps the previous file as a backup.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from pydantic import TypeAdapter, ValidationError

from annotator.core.anchor import reanchor
from annotator.core.models import (
    PROJECT_FILE_NAME,
    READABLE_VERSIONS,
    SCHEMA_VERSION,
    DocumentRecord,
    Label,
    ProjectFile,
    Span,
    new_span_id,
)
from annotator.core.project import Document, Project
from annotator.core.text import decode_article, text_hash

ARTICLE_SUFFIXES = (".txt", ".md")
BACKUP_SUFFIX = ".bak"
UNKNOWN_LABEL_COLOR = "#9e9e9e"


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
    if path.is_dir():
        return path.resolve()
    if not path.exists():
        raise ProjectError(f"{path} does not exist")
    raise ProjectError(f"{path} is not a folder of articles or an {PROJECT_FILE_NAME} file")


def safe_article_path(root: Path, relative: str) -> Path:
    """``root / relative``, refusing anything that ends up outside the project folder."""
    candidate = (root / relative).resolve()
    if not candidate.is_relative_to(root.resolve()):
        raise ProjectError(f"{relative!r} points outside the project folder")
    return candidate


# --- opening ---------------------------------------------------------------------------


def open_project(path: Path) -> tuple[Project, LoadReport]:
    """Open a project folder, or turn a folder of ``.txt``/``.md`` articles into one.

    A new project is only held in memory; the caller saves it.
    """
    root = resolve_root(path)
    if is_project(root):
        return load_project(root)
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


def _read_article(root: Path, rel: str, report: LoadReport) -> str | None:
    try:
        data = safe_article_path(root, rel).read_bytes()
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
    title = Path(rel).stem.replace("_", " ")
    project.add_document(Document(id=_document_id(project, rel), path=rel, text=text, title=title))


def read_project_file(root: Path) -> ProjectFile:
    """Parse and validate ``annotator.json``; raise :class:`ProjectError` with every problem."""
    file = project_file(root)
    try:
        raw_text = file.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ProjectError(f"{file}: not UTF-8 text (byte {exc.start})") from exc
    except OSError as exc:
        raise ProjectError(f"{file}: cannot read: {exc.strerror or exc}") from exc
    if not raw_text.strip():
        raise ProjectError(f"{file}: the file is empty")
    try:
        raw = json.loads(raw_text)
    except json.JSONDecodeError as exc:
        raise ProjectError(f"{file}, line {exc.lineno}, column {exc.colno}: {exc.msg}") from exc
    if not isinstance(raw, dict):
        raise ProjectError(f"{file}: expected a JSON object at the top level")
    version = raw.get("schema_version")
    if isinstance(version, int) and version > SCHEMA_VERSION:
        raise ProjectError(
            f"{file}: schema_version {version} was written by a newer Annotator; "
            f"this one reads version {SCHEMA_VERSION}. Nothing was changed."
        )
    if version in READABLE_VERSIONS and version != SCHEMA_VERSION:
        raw = migrate(raw)
    try:
        return ProjectFile.model_validate(raw)
    except ValidationError as exc:
        raise ProjectError(f"{file}:\n" + describe_validation_error(exc, raw)) from exc


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
        where = _describe_location(loc, raw)
        lines.append(f"  {where}: {err['msg']}")
    return "\n".join(lines)


def _describe_location(loc: list[str | int], raw: object) -> str:
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


def load_project(root: Path) -> tuple[Project, LoadReport]:
    stamp = file_stamp(project_file(root))  # before reading: a change after it is noticed
    data = read_project_file(root)
    report = LoadReport()
    project = Project(root=root, labels=list(data.labels), disk_stamp=stamp)
    seen_ids: set[str] = set()
    known_paths = set()
    for record in data.documents:
        known_paths.add(record.path)
        where = f"document {record.id} ({record.path})"
        if project.has_document(record.id):
            raise ProjectError(f"{project_file(root)}: document id {record.id!r} appears twice")
        text = _read_article(root, record.path, report)
        if text is None:
            report.warn(where, f"kept its {len(record.spans)} spans but cannot show it")
            project.detached.append(record)
            continue
        doc = Document(
            id=record.id,
            path=record.path,
            text=text,
            title=record.title,
            source=record.source,
            meta=dict(record.meta),
        )
        changed = bool(record.text_hash) and record.text_hash != text_hash(text)
        if changed:
            report.warn(where, "the article text changed since the last save; re-anchoring spans")
        for stored in record.spans:
            span = _checked_span(project, doc, stored, seen_ids, report, where)
            if span is not None:
                doc.put_span(span)
        project.add_document(doc)
    for rel in find_articles(root):
        if rel not in known_paths:
            report.warn(rel, "new article in the project folder; added to the project")
            _add_article(project, rel, report)
    return project, report


def _checked_span(
    project: Project,
    doc: Document,
    span: Span,
    seen_ids: set[str],
    report: LoadReport,
    where: str,
) -> Span | None:
    if span.id in seen_ids:
        new_id = new_span_id()
        report.warn(where, f"span id {span.id} appears twice; the second one is now {new_id}")
        span = span.model_copy(update={"id": new_id})
    seen_ids.add(span.id)
    if project.label(span.label) is None:
        report.warn(where, f"span {span.id} has the unknown label {span.label!r}; label added")
        project.labels.append(Label(name=span.label, color=UNKNOWN_LABEL_COLOR))
    if doc.text[span.start : span.end] == span.text:
        return span
    moved = reanchor(doc.text, span)
    if moved is None:
        report.warn(
            where,
            f"span {span.id} “{span.text[:40]}” is no longer in the article; kept as an orphan",
        )
        doc.orphans.append(span)
        return None
    report.warn(where, f"span {span.id} moved from {span.start} to {moved.start}")
    return moved


# --- saving ----------------------------------------------------------------------------

_SPANS = TypeAdapter(list[Span])
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


@dataclass(frozen=True)
class Snapshot:
    """What a save writes, taken in O(spans) pointer copies so it can be written elsewhere.

    Taking it is cheap and happens on the thread that owns the project; turning it
    into JSON and writing it (:func:`write_snapshot`) may run on another thread.
    """

    root: Path
    labels: list[Label]
    documents: list[_DocumentSnapshot]
    detached: list[DocumentRecord]
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
            )
            for doc in project.documents
        ],
        detached=list(project.detached),
        expected=project.disk_stamp,
    )


def _document_raw(doc: _DocumentSnapshot) -> dict[str, Any]:
    """One document record as JSON-ready data, in the key order of :class:`DocumentRecord`.

    Spans are dumped in chunks: each chunk is one short call into pydantic, so a
    writer thread hands the interpreter back to the GUI thread between chunks.
    """
    spans = sorted(doc.spans, key=Span.sort_key)
    dumped: list[dict[str, Any]] = []
    for i in range(0, len(spans), _CHUNK):
        dumped.extend(_SPANS.dump_python(spans[i : i + _CHUNK], mode="json"))
    return {
        "id": doc.id,
        "path": doc.path,
        "title": doc.title,
        "source": doc.source,
        "text_hash": text_hash(doc.text),
        "meta": dict(sorted(doc.meta.items())),
        "spans": dumped,
    }


def _raw_file(snap: Snapshot) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "labels": [label.model_dump(mode="json") for label in snap.labels],
        "documents": [
            *(_document_raw(doc) for doc in snap.documents),
            *(record.model_dump(mode="json") for record in snap.detached),
        ],
    }


def to_project_file(project: Project) -> ProjectFile:
    """The project as a validated :class:`ProjectFile` (what a save writes)."""
    return ProjectFile.model_validate(_raw_file(snapshot(project)))


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
        for piece in _encode(_raw_file(snap)):
            batch.append(piece)
            if len(batch) >= 65536:
                handle.write("".join(batch).encode("utf-8"))
                batch.clear()
        handle.write("".join(batch).encode("utf-8"))
    return Saved(file, file_stamp(file))


def dump_project_file(data: ProjectFile) -> str:
    return "".join(_encode(data.model_dump(mode="json")))


def _encode(raw: dict[str, Any]) -> Iterator[str]:
    """The project file's text in pieces: two-space indent, stable key order."""
    for record in raw["documents"]:
        for span in record["spans"]:
            span["attributes"] = dict(sorted(span["attributes"].items()))
            for optional in ("score", "proposed"):
                if optional in span and span[optional] is None:
                    del span[optional]
    # indent= makes json use its pure-Python encoder, which also yields to other threads
    yield from json.JSONEncoder(indent=2, ensure_ascii=False).iterencode(raw)
    yield "\n"


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
